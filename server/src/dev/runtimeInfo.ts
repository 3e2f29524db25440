import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from './embeddedServices';

/** Where `npm start` says which Redis and MongoDB it started, for `npm run admin`. */
export interface RuntimeInfo {
  redisUrl: string;
  mongodbUrl: string;
  mongodbDb: string;
  appUrl: string;
}

function runtimeFile(): string {
  return join(findRepoRoot(), '.data', 'runtime.json');
}

export function writeRuntimeInfo(info: RuntimeInfo): void {
  writeFileSync(runtimeFile(), `${JSON.stringify(info, null, 2)}\n`);
}

/** What `npm start` wrote, or undefined outside a checkout (a deployed image) or when absent. */
export function readRuntimeInfo(): RuntimeInfo | undefined {
  let file: string;
  try {
    file = runtimeFile();
  } catch {
    return undefined;
  }
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
}
