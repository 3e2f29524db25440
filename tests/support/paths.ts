import { join } from 'node:path';
import { findRepoRoot } from '@callcenter/devstack/embedded';

/** Where `npm run build` puts the clients: `pwa/` is served at `/`, `agent/` at `/agent/`. */
export const BUILT_CLIENTS_DIR = join(findRepoRoot(), 'dist', 'public');

/** Where end-to-end tests write screenshots and other artifacts (git-ignored). */
export const ARTIFACTS_DIR = join(findRepoRoot(), 'artifacts');
