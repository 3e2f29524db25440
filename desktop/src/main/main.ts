// Electron entry point (bundled to dist/main/main.js).
import { join } from 'node:path';
import { app } from 'electron';
import { startDesktopApp } from './desktopApp';

const distDir = join(import.meta.dirname, '..');

startDesktopApp({
  distDir,
  assetsDir: join(distDir, '..', 'assets'),
  argv: process.argv,
  env: process.env,
}).catch((error: unknown) => {
  console.error('the agent console failed to start', error);
  app.exit(1);
});
