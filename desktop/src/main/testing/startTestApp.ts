// Starts the real main-process composition against the Electron fake, for the main tests.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesktopSettings } from '../../ipc/channels';
import { startDesktopApp, type DesktopApp } from '../desktopApp';
import * as electron from './fakeElectron';

export const SERVER = 'http://127.0.0.1:3999';
export const CONSOLE_URL = `${SERVER}/agent/`;

export interface StartedApp {
  desktop: DesktopApp;
  window: electron.BrowserWindow;
  userDataDir: string;
  /** The main window's main frame as an IPC sender. */
  fromPage: (url: string) => electron.FakeInvokeEvent;
  cleanup: () => Promise<void>;
}

export async function startApp(
  stored: Partial<DesktopSettings> | null = { serverUrl: SERVER },
  options: { argv?: string[]; env?: Record<string, string>; systemLanguages?: string[] } = {},
): Promise<StartedApp> {
  electron.resetFakeElectron();
  const userDataDir = await mkdtemp(join(tmpdir(), 'desktop-main-test-'));
  electron.app.userDataDir = userDataDir;
  if (options.systemLanguages) electron.app.systemLanguages = options.systemLanguages;
  if (stored !== null) {
    await writeFile(join(userDataDir, 'settings.json'), JSON.stringify(stored));
  }
  const desktop = await startDesktopApp({
    distDir: join(userDataDir, 'dist'),
    assetsDir: join(userDataDir, 'assets'),
    argv: options.argv ?? [],
    env: options.env ?? {},
  });
  if (desktop === null) throw new Error('the app did not start');
  const window = electron.BrowserWindow.instances[0]!;
  return {
    desktop,
    window,
    userDataDir,
    fromPage: (url) => {
      window.webContents.mainFrame.url = url;
      return { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    },
    cleanup: async () => {
      desktop.dispose();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
