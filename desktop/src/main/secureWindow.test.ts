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

  it('refuses every permission request except the clipboard, and audio to the console itself', async () => {
    started = await startApp();
    const { permissionRequestHandler, permissionCheckHandler } = electron.session.defaultSession;
    const ask = (permission: string, details?: object): boolean => {
      let granted: boolean | undefined;
      const handler = permissionRequestHandler as unknown as (
        contents: unknown,
        permission: string,
        callback: (granted: boolean) => void,
        details?: object,
      ) => void;
      handler(
        started!.window.webContents,
        permission,
        (answer) => {
          granted = answer;
        },
        details,
      );
      return granted ?? false;
    };
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      expect(ask(permission)).toBe(false);
    }
    expect(ask('clipboard-sanitized-write')).toBe(true);

    // Voice calls: the microphone, to the console's pages only, and never the camera.
    const microphone = (requestingUrl: string, mediaTypes: string[]) =>
      ask('media', { requestingUrl, mediaTypes });
    expect(microphone(CONSOLE_URL, ['audio'])).toBe(true);
    expect(microphone(CONSOLE_URL, ['audio', 'video'])).toBe(false);
    expect(microphone(CONSOLE_URL, ['video'])).toBe(false);
    expect(microphone(`${SERVER}/`, ['audio'])).toBe(false);
    expect(microphone('https://elsewhere.example/agent/', ['audio'])).toBe(false);

    const check = permissionCheckHandler as unknown as (
      contents: unknown,
      permission: string,
      origin: string,
      details?: object,
    ) => boolean;
    expect(check(started.window.webContents, 'media', SERVER)).toBe(false);
    expect(
      check(started.window.webContents, 'media', SERVER, {
        requestingUrl: CONSOLE_URL,
        mediaType: 'audio',
      }),
    ).toBe(true);
    expect(
      check(started.window.webContents, 'media', SERVER, {
        requestingUrl: CONSOLE_URL,
        mediaType: 'video',
      }),
    ).toBe(false);
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
