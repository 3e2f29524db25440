import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The server's layers, inner first: each may import only the layers listed (and the top-level
// modules: config, logger, errors, passwords). Outer parts (app.ts, main.ts, admin) may import
// any layer. Socket.IO and HTTP sit above the services, which reach clients through the
// Broadcaster port the socket layer implements. No server code imports the dev stack
// (devstack/: embedded services, test harness): production ships without it.
const SERVER_LAYERS = {
  store: [],
  live: [],
  auth: ['store', 'live'],
  services: ['auth', 'live', 'store'],
  http: ['auth'],
  socket: ['auth', 'http', 'live', 'services'],
  // What supervisors see and do: built on the services, answered over both HTTP and sockets;
  // the console's administration reuses the admin tool's validated account and canned logic.
  supervisor: ['admin', 'auth', 'http', 'live', 'services', 'socket', 'store'],
  // Web Push: the sender (the services' CustomerAlerts port) and the customers' subscribe routes.
  push: ['auth', 'http', 'live', 'services', 'store'],
};
const SERVER_PARTS = [...Object.keys(SERVER_LAYERS), 'admin'];
const DEV_STACK = {
  group: ['@callcenter/devstack', '@callcenter/devstack/*'],
  message: 'Production code does not import the dev stack (devstack/ is for npm start and tests).',
};
// The client side, inner first: shared <- client <- apps (pwa, desktop) and tools. shared/ knows
// no client code; client/ (the headless client core) imports only shared. Both are
// platform-free. Relative paths are covered too, for a path past a package's exports.
const PLATFORM_IMPORTS = {
  group: ['electron', 'ioredis', 'mongodb', 'react', 'react-dom', 'node:*', 'socket.io'],
  message:
    'shared/ and client/ are platform-free: no Node, Electron, database, DOM or React imports.',
};
const packagesAbove = (names) =>
  names.flatMap((name) => [
    `@callcenter/${name}`,
    `@callcenter/${name}/*`,
    `../${name}/*`,
    `../../${name}/*`,
    `../../../${name}/*`,
  ]);
const SHARED_IMPORTS = {
  group: packagesAbove(['client', 'server', 'devstack', 'pwa', 'desktop', 'supervisor']),
  message: 'shared/ imports no client, server or app code (shared <- client <- apps).',
};
const CLIENT_IMPORTS = {
  group: packagesAbove(['server', 'devstack', 'pwa', 'desktop', 'supervisor']),
  message:
    'client/ imports only shared (shared <- client <- apps); its tests may use the dev stack.',
};
const serverLayerRules = Object.entries(SERVER_LAYERS).map(([layer, allowed]) => {
  const forbidden = SERVER_PARTS.filter((part) => part !== layer && !allowed.includes(part));
  return {
    files: [`server/src/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...forbidden.flatMap((part) => [`../${part}`, `../${part}/*`]), '../app'],
              message: `server/src/${layer} may import only ${allowed.join(', ') || 'no other layer'} (see SERVER_LAYERS in eslint.config.js).`,
            },
            DEV_STACK,
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.data/**', 'artifacts/**', 'tools/ferretdb/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true } }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [PLATFORM_IMPORTS, SHARED_IMPORTS] }],
    },
  },
  {
    files: ['client/**/*.ts'],
    ignores: ['**/*.test.ts', 'client/src/react/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [PLATFORM_IMPORTS, CLIENT_IMPORTS] }],
    },
  },
  {
    // The apps' shared React pieces: React and the browser, still no Node, Electron or servers.
    files: ['client/src/react/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'ioredis', 'mongodb', 'node:*', 'socket.io'],
              message: 'client/src/react runs in the apps’ pages: no Node, Electron or servers.',
            },
            CLIENT_IMPORTS,
          ],
        },
      ],
    },
  },
  {
    // The renderer runs sandboxed (and in plain browsers): only the preload bridge reaches Electron.
    files: ['desktop/src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'node:*'],
              message:
                'The renderer has no Node or Electron: use window.desktop (the preload bridge).',
            },
          ],
        },
      ],
    },
  },
  {
    // The supervisor console runs in browsers: no Node or Electron.
    files: ['supervisor/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'node:*'], message: 'The supervisor console runs in browsers.' },
          ],
        },
      ],
    },
  },
  ...serverLayerRules,
  {
    files: ['server/src/*.ts', 'server/src/admin/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DEV_STACK] }] },
  },
  {
    // Tests assert on values they just checked or created; `!` there reads better than guards.
    files: ['**/*.test.ts', '**/test/**/*.ts', 'tests/**/*.ts', '**/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['*.config.ts', '*.config.js', '**/vite.config.ts', '**/vitest.config.ts'],
    rules: { 'no-restricted-exports': 'off' },
  },
  {
    files: ['**/*.{js,mjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: globals.node,
    },
  },
);
