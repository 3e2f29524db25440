import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { BUILT_CLIENTS_DIR } from '../../../support/paths';

export interface PrivatePwaBuild {
  /** For `usePwaSuite({ staticDir })`: copies the built PWA into a folder of this suite's own. */
  staticDir: () => Promise<string>;
  /**
   * Publishes a new release in place: any byte change of the worker is one. `code` is added to
   * the worker (a comment, or a handler that says which release it is).
   */
  publishRelease: (code: string) => Promise<void>;
}

/** A private copy of the built PWA for a suite, removed after it, so a test can release anew. */
export function usePrivatePwaBuild(): PrivatePwaBuild {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  return {
    staticDir: async () => {
      dir = await mkdtemp(join(tmpdir(), 'callcenter-pwa-'));
      await cp(join(BUILT_CLIENTS_DIR, 'pwa'), join(dir, 'pwa'), { recursive: true });
      return dir;
    },
    publishRelease: async (code) => {
      if (dir === undefined) throw new Error('the private build is made when the suite starts');
      await appendFile(join(dir, 'pwa', 'sw.js'), `\n${code}\n`);
    },
  };
}
