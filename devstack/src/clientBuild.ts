// `npm start` serves the built clients; a fresh clone has none, and an edited source makes the
// build out of date. This decides whether they must be built, and builds them with the
// workspaces' own build scripts, so no printed URL ever answers 404 or an old app.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A client the server serves: where its build lands and what it is built from. */
interface ServedClient {
  name: string;
  workspace: string;
  /** The file whose presence and age stand for the whole build. */
  builtIndex: string;
  /** Folders and files whose newer modification means the build is out of date. */
  sources: string[];
}

export function servedClients(root: string): ServedClient[] {
  const shared = [
    join(root, 'shared', 'src'),
    join(root, 'client', 'src'),
    join(root, 'package-lock.json'),
  ];
  return [
    {
      name: 'customer app',
      workspace: '@callcenter/pwa',
      builtIndex: join(root, 'dist', 'public', 'pwa', 'index.html'),
      sources: [
        join(root, 'pwa', 'src'),
        join(root, 'pwa', 'public'),
        join(root, 'pwa', 'index.html'),
        join(root, 'pwa', 'vite.config.ts'),
        ...shared,
      ],
    },
    {
      name: 'agent console',
      workspace: '@callcenter/desktop',
      builtIndex: join(root, 'dist', 'public', 'agent', 'index.html'),
      sources: [
        join(root, 'desktop', 'src'),
        join(root, 'desktop', 'vite.config.ts'),
        join(root, 'desktop', 'scripts', 'build.ts'),
        ...shared,
      ],
    },
    {
      name: 'supervisor console',
      workspace: '@callcenter/supervisor',
      builtIndex: join(root, 'dist', 'public', 'supervisor', 'index.html'),
      sources: [
        join(root, 'supervisor', 'src'),
        join(root, 'supervisor', 'index.html'),
        join(root, 'supervisor', 'vite.config.ts'),
        ...shared,
      ],
    },
  ];
}

/** The newest modification time under `path` (0 when it does not exist). */
function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    newest = Math.max(newest, newestChange(join(path, entry)));
  }
  return newest;
}

/** Why a client must be built, or undefined when its build is current. */
export function buildReason(client: ServedClient): string | undefined {
  if (!existsSync(client.builtIndex)) return 'not built yet';
  const builtAt = statSync(client.builtIndex).mtimeMs;
  const changed = client.sources.find((source) => newestChange(source) > builtAt);
  return changed === undefined ? undefined : 'sources changed since the last build';
}

/**
 * Builds the given clients with `npm run build -w <workspace>`, their output passed through so
 * the progress shows; rejects with the failing client's name.
 */
export async function buildClients(
  root: string,
  clients: ServedClient[],
  say: (line: string) => void,
): Promise<void> {
  for (const client of clients) {
    say(`Building the ${client.name} (${buildReason(client) ?? 'requested'})...`);
    const started = Date.now();
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('npm', ['run', 'build', '--silent', '-w', client.workspace], {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0 || !existsSync(client.builtIndex)) {
      throw new Error(
        `building the ${client.name} failed (npm run build -w ${client.workspace}, exit ${String(code)})`,
      );
    }
    say(`  built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
