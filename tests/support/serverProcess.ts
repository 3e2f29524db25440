import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'vitest';
import type { Tier } from '@callcenter/shared';
import { findRepoRoot } from '@callcenter/devstack/embedded';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  nodeId: string;
  /** Every line the process wrote to stdout and stderr. */
  output: string[];
  exited: Promise<number | null>;
}

/**
 * Settings for tests with several nodes: nodes heartbeat often and are declared dead soon, and
 * the per-user budget leaves room for test clients that send in bursts.
 */
export const MULTI_NODE_SETTINGS: Record<string, string> = {
  PRESENCE_HEARTBEAT_MS: '500',
  NODE_DEAD_AFTER_MS: '3000',
  RATE_LIMIT_EVENTS_PER_SECOND: '200',
  RATE_LIMIT_BURST: '400',
};

/** Environment for a server process on a free port with the given Redis and database. */
export function serverEnv(
  redisUrl: string,
  mongodbUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: redisUrl,
    MONGODB_URL: mongodbUrl,
    MONGODB_DB: `test_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/**
 * Spawns the server as a real process and resolves once it listens: from source, or
 * (`bundle`) the production build `dist/server/main.js` that the Docker image runs.
 */
export function startServerProcess(
  env: Record<string, string>,
  options: { bundle?: boolean } = {},
): Promise<ServerProcess> {
  const args = options.bundle ? ['dist/server/main.js'] : ['--import', 'tsx', 'server/src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: findRepoRoot(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => output.push(line));
  }
  return new Promise((resolve, reject) => {
    const onLine = (line: string): void => {
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number; nodeId?: string };
        if (entry.msg === 'server listening' && entry.port) {
          resolve({
            child,
            url: `http://127.0.0.1:${entry.port}`,
            nodeId: entry.nodeId ?? '',
            output,
            exited,
          });
        }
      } catch {
        // Not a log line.
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    void exited.then((code) => {
      reject(new Error(`server exited with ${code} before listening:\n${output.join('\n')}`));
    });
  });
}

/** Runs a TypeScript (through tsx) or JavaScript file to completion and collects its output. */
export async function runCommand(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const loader = args[0]?.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, ...args], {
    cwd: findRepoRoot(),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin ?? '');
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** Logs in over HTTP; fails the test unless the server says 200. */
export async function loginOverHttp(
  url: string,
  role: 'agent' | 'customer',
  login: string,
  password: string,
): Promise<{ token: string; userId: string }> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, login, password }),
  });
  if (response.status !== 200) {
    throw new Error(`login of ${login} failed: ${response.status} ${await response.text()}`);
  }
  const body = (await response.json()) as { token: string; user: { id: string } };
  return { token: body.token, userId: body.user.id };
}

/**
 * Creates `agents` and `customers` accounts named `<prefix>-agent-<i>` and
 * `<prefix>-customer-<i>` as an admin does: a JSON file through the admin tool's `import`.
 */
export async function importAccounts(
  env: Record<string, string>,
  dir: string,
  accounts: { prefix: string; agents: number; customers: number; password: string; tier: Tier },
): Promise<void> {
  const { prefix, password } = accounts;
  const file = join(dir, 'accounts.json');
  await writeFile(
    file,
    JSON.stringify({
      agents: Array.from({ length: accounts.agents }, (_, i) => ({
        login: `${prefix}-agent-${i}`,
        displayName: `Agent ${i}`,
        password,
      })),
      customers: Array.from({ length: accounts.customers }, (_, i) => ({
        login: `${prefix}-customer-${i}`,
        displayName: `Customer ${i}`,
        password,
        tier: accounts.tier,
      })),
    }),
  );
  const imported = await runCommand(['server/src/admin/cli.ts', 'import', file], {
    MONGODB_URL: env.MONGODB_URL ?? '',
    MONGODB_DB: env.MONGODB_DB ?? '',
  });
  expect(imported.stdout).toContain(
    `${accounts.agents + accounts.customers} created, 0 updated, 0 failed`,
  );
}
