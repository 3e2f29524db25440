import { afterEach, describe, expect, it, vi } from 'vitest';
import * as electron from './testing/fakeElectron';
import { CONSOLE_URL, SERVER, startApp, type StartedApp } from './testing/startTestApp';

vi.mock('electron', () => import('./testing/fakeElectron'));

let started: StartedApp | undefined;
afterEach(async () => {
  await started?.cleanup();
  started = undefined;
});

const SECURE_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
};

describe('windows', () => {
  it('every window the app creates is isolated, sandboxed, without Node, with the preload', async () => {
    started = await startApp();
    // Closing the last window and coming back (dock click, second instance) makes a new one.
    started.window.destroyed = true;
    started.window.emit('closed');
    started.desktop.showWindow();

    expect(electron.BrowserWindow.instances).toHaveLength(2);
    for (const window of electron.BrowserWindow.instances) {
      expect(window.options.webPreferences).toMatchObject(SECURE_PREFERENCES);
      expect(String(window.options.webPreferences?.preload)).toMatch(/preload[\\/]preload\.cjs$/);
    }
    expect(electron.BrowserWindow.instances[1]!.loadedUrls).toEqual([CONSOLE_URL]);
    expect(electron.app.sandboxEnabled).toBe(true);
  });

  it('refuses every permission request except writing to the clipboard', async () => {
    started = await startApp();
    const { permissionRequestHandler, permissionCheckHandler } = electron.session.defaultSession;
    const ask = (permission: string): boolean => {
      let granted: boolean | undefined;
      const handler = permissionRequestHandler as unknown as (
        contents: unknown,
        permission: string,
        callback: (granted: boolean) => void,
      ) => void;
      handler(started!.window.webContents, permission, (answer) => {
        granted = answer;
      });
      return granted ?? false;
    };
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      expect(ask(permission)).toBe(false);
    }
    expect(ask('clipboard-sanitized-write')).toBe(true);
    const check = permissionCheckHandler as unknown as (c: unknown, p: string) => boolean;
    expect(check(started.window.webContents, 'media')).toBe(false);
  });

  it('adds the strict CSP to the console served by the server, and only to it', async () => {
    started = await startApp();
    const listener = electron.session.defaultSession.headersListener!;
    const headersFor = (url: string, responseHeaders: Record<string, string[]>) => {
      let result: { responseHeaders?: Record<string, string[]> } | undefined;
      listener({ url, responseHeaders }, (response) => {
        result = response;
      });
      return result;
    };

    const consoleResponse = headersFor(CONSOLE_URL, {
      'content-type': ['text/html'],
      'content-security-policy': ['default-src *'],
    });
    const csp = consoleResponse?.responseHeaders?.['Content-Security-Policy'];
    expect(csp).toHaveLength(1);
    expect(csp?.[0]).toContain("default-src 'none'");
    expect(csp?.[0]).toContain("script-src 'self'");
    expect(csp?.[0]).toContain("frame-ancestors 'none'");
    expect(consoleResponse?.responseHeaders).not.toHaveProperty('content-security-policy');
    expect(consoleResponse?.responseHeaders?.['content-type']).toEqual(['text/html']);

    // The server's API and other sites keep their own headers.
    expect(headersFor(`${SERVER}/api/auth/login`, {})).toEqual({});
    expect(headersFor('https://elsewhere.example/agent/', {})).toEqual({});
  });
});
