import { defineConfig } from 'vitest/config';

// `isolate: false` (measured on the two-core machine, one file at a time as vitest runs there):
// a worker keeps the modules it imported for the next file instead of a fresh process importing
// them all again (0.5-1.5 s per file). Every file starts and stops its own servers, Redis and
// browser in its hooks. Two projects stay isolated:
// - desktop: its main-process tests mock `electron` with module-level fakes (vi.mock), which must
//   not carry over to another file;
// - server: a file run after another in the same process can fail (replayIndex after
//   sessionRefusal: "agents arriving while it is rebuilt" reads a storage page twice).
// Files of every project but `tests` run one at a time on two cores (vitest's default there):
// some server tests compare timings (userBudgets) and fail with another file running beside
// them. The `tests` project (end-to-end and browser files, mostly waiting on browsers and
// servers) runs after them, two files at a time: 330 s instead of 690 s here, every file passing.
const SHARED_WORKER = { isolate: false };

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'shared', include: ['shared/src/**/*.test.ts'], ...SHARED_WORKER },
      },
      {
        test: {
          name: 'server',
          include: ['server/src/**/*.test.ts', 'server/test/**/*.test.ts'],
          globalSetup: ['devstack/src/testing/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'devstack',
          include: ['devstack/src/**/*.test.ts'],
          globalSetup: ['devstack/src/testing/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          ...SHARED_WORKER,
        },
      },
      {
        test: {
          name: 'client',
          include: ['client/src/**/*.test.ts'],
          globalSetup: ['devstack/src/testing/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          ...SHARED_WORKER,
        },
      },
      {
        test: { name: 'pwa', include: ['pwa/src/**/*.test.{ts,tsx}'], ...SHARED_WORKER },
      },
      {
        test: {
          name: 'supervisor',
          include: ['supervisor/src/**/*.test.{ts,tsx}'],
          ...SHARED_WORKER,
        },
      },
      {
        test: {
          name: 'desktop',
          include: ['desktop/src/**/*.test.{ts,tsx}'],
          // The renderer's outbox is tested against the real server.
          globalSetup: ['devstack/src/testing/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'tests',
          include: ['tests/**/*.test.ts'],
          globalSetup: ['devstack/src/testing/globalSetup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          ...SHARED_WORKER,
          // Its own group, after the others: two of its files at a time, never beside theirs.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
