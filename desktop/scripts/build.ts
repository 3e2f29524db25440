// `npm run build -w @callcenter/desktop`: the renderer for browsers (into the repository's
// dist/public/agent, served by the server at /agent/), then the Electron main process and preload,
// and a copy of the renderer for the packaged app (desktop/dist/renderer: the settings page).
import { cp, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { RENDERER_OUT_DIR } from '../vite.config.ts';

const desktopDir = fileURLToPath(new URL('..', import.meta.url));
const distDir = `${desktopDir}dist`;

await build({ configFile: `${desktopDir}vite.config.ts`, logLevel: 'warn' });

/** One Node bundle for Electron: everything inlined except Electron and Node's own modules. */
async function buildForElectron(
  entry: string,
  outDir: string,
  format: 'es' | 'cjs',
  fileName: string,
): Promise<void> {
  await build({
    configFile: false,
    root: desktopDir,
    logLevel: 'warn',
    ssr: { noExternal: true, external: ['electron'] },
    build: {
      ssr: entry,
      outDir: `${distDir}/${outDir}`,
      emptyOutDir: true,
      target: 'node20',
      sourcemap: true,
      minify: false,
      rolldownOptions: { output: { format, entryFileNames: fileName } },
    },
  });
}

// Sandboxed preloads cannot load ES modules: the preload is one CommonJS file.
await buildForElectron('src/main/main.ts', 'main', 'es', 'main.js');
await buildForElectron('src/preload/preload.ts', 'preload', 'cjs', 'preload.cjs');

await rm(`${distDir}/renderer`, { recursive: true, force: true });
await cp(RENDERER_OUT_DIR, `${distDir}/renderer`, { recursive: true });
console.log(`desktop: renderer in ${RENDERER_OUT_DIR}, Electron app in ${distDir}`);
