import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory holding the root package.json (the one declaring "workspaces"). */
export function findRepoRoot(startDir: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(startDir);
  for (;;) {
    const manifestPath = join(dir, 'package.json');
    if (existsSync(manifestPath) && manifestDeclaresWorkspaces(manifestPath)) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`No package.json with "workspaces" found above ${startDir}`);
    }
    dir = parent;
  }
}

function manifestDeclaresWorkspaces(manifestPath: string): boolean {
  try {
    const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
    return typeof manifest === 'object' && manifest !== null && 'workspaces' in manifest;
  } catch {
    return false;
  }
}

/** Where `npm start` says which Redis and MongoDB it started, for `npm run admin`. */
export interface RuntimeInfo {
  redisUrl: string;
  mongodbUrl: string;
  mongodbDb: string;
  appUrl: string;
}

function runtimeFile(root: string): string {
  return join(root, '.data', 'runtime.json');
}

/** Written by `npm start` into the checkout it runs from (`root`). */
export function writeRuntimeInfo(root: string, info: RuntimeInfo): void {
  writeFileSync(runtimeFile(root), `${JSON.stringify(info, null, 2)}\n`);
}

/** What `npm start` wrote, or undefined outside a checkout (a deployed image) or when absent. */
export function readRuntimeInfo(): RuntimeInfo | undefined {
  let file: string;
  try {
    file = runtimeFile(findRepoRoot());
  } catch {
    return undefined;
  }
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
}
