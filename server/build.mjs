// Bundles the server and the admin tool for production (the Docker image runs plain Node, no
// TypeScript loader). Packages stay external and come from node_modules; the Lua scripts are
// copied next to the bundles, where the code looks for them.
import { cp, readFile, rm } from 'node:fs/promises';
import { build } from 'esbuild';

async function dependencies(packageJson) {
  const pkg = JSON.parse(await readFile(new URL(packageJson, import.meta.url), 'utf8'));
  return Object.keys(pkg.dependencies ?? {});
}

// The workspace's own packages ship TypeScript source, so they are bundled; everything else
// is installed in the image and loaded from node_modules.
const external = [
  ...(await dependencies('./package.json')),
  ...(await dependencies('../shared/package.json')),
].filter((name) => !name.startsWith('@callcenter/'));

const outdir = new URL('../dist/server/', import.meta.url).pathname;
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/main.ts', admin: 'src/admin/cli.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external,
  sourcemap: true,
  logLevel: 'info',
});
await cp(new URL('./src/live/lua/', import.meta.url), new URL('lua/', `file://${outdir}`), {
  recursive: true,
});
