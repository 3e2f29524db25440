import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SETTINGS_PAGE_URL } from './appProtocol';
import { serverUrlOverride, startDesktopApp } from './desktopApp';
import { MainLanguage } from './mainLanguage';
import * as electron from './testing/fakeElectron';
import { CONSOLE_URL, SERVER, startApp, type StartedApp } from './testing/startTestApp';

vi.mock('electron', () => import('./testing/fakeElectron'));

let started: StartedApp | undefined;
let httpServer: Server | undefined;
afterEach(async () => {
  await started?.cleanup();
  started = undefined;
  if (httpServer) await new Promise((resolve) => httpServer?.close(resolve));
  httpServer = undefined;
});

/** A local HTTP server answering `paths` with 200 and everything else with 404. */
async function serveOnly(paths: string[]): Promise<string> {
  httpServer = createServer((request, response) => {
    response.statusCode = paths.includes(request.url ?? '') ? 200 : 404;
    response.end('{}');
  });
  await new Promise<void>((resolve) => httpServer!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

describe('start-up', () => {
  it('keeps one instance: a second one quits, the first comes to the front', async () => {
    started = await startApp();
    started.window.minimized = true;
    electron.app.emit('second-instance', new electron.FakeEvent(), ['--second']);
    expect(started.window.minimized).toBe(false);
    expect(started.window.isFocused()).toBe(true);

    electron.resetFakeElectron();
    electron.app.gotLock = false;
    const second = await startDesktopApp({ distDir: '/d', assetsDir: '/a', argv: [], env: {} });
    expect(second).toBeNull();
    expect(electron.app.quitCalls).toBe(1);
    expect(electron.BrowserWindow.instances).toHaveLength(0);
  });

  it('registers the app scheme as privileged before ready and serves it', async () => {
    started = await startApp();
    expect(electron.protocol.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true } },
    ]);
    expect(electron.protocol.handlers.has('app')).toBe(true);
  });

  it('opens the settings page when no server is set, else the server’s console', async () => {
    started = await startApp(null);
    expect(started.window.loadedUrls).toEqual([SETTINGS_PAGE_URL]);
    await started.cleanup();

    started = await startApp({ serverUrl: SERVER, soundEnabled: false });
    expect(started.window.loadedUrls).toEqual([CONSOLE_URL]);
    await expect(
      electron.ipcMain.invoke('settings/get', started.fromPage(CONSOLE_URL)),
    ).resolves.toEqual({ serverUrl: SERVER, soundEnabled: false });
  });

  it('takes a server from --server-url or CALLCENTER_SERVER_URL for this run only', async () => {
    expect(serverUrlOverride(['electron', '--server-url=https://a.example/'], {})).toBe(
      'https://a.example',
    );
    expect(serverUrlOverride([], { CALLCENTER_SERVER_URL: 'http://b.example:8080' })).toBe(
      'http://b.example:8080',
    );
    vi.spyOn(console, 'warn').mockImplementationOnce(() => undefined);
    expect(serverUrlOverride(['--server-url=ftp://c.example'], {})).toBeNull();

    started = await startApp(null, { argv: ['--server-url=http://127.0.0.1:5000'] });
    expect(started.window.loadedUrls).toEqual(['http://127.0.0.1:5000/agent/']);
  });

  it('shows the settings page with the reason when the server cannot be reached', async () => {
    started = await startApp();
    const contents = started.window.webContents;
    // An aborted load (replaced by another navigation) is not a failure.
    contents.emit('did-fail-load', new electron.FakeEvent(), -3, 'ERR_ABORTED', CONSOLE_URL, true);
    expect(started.window.loadedUrls).toEqual([CONSOLE_URL]);

    contents.emit(
      'did-fail-load',
      new electron.FakeEvent(),
      -102,
      'ERR_CONNECTION_REFUSED',
      CONSOLE_URL,
      true,
    );
    const shown = new URL(started.window.loadedUrls.at(-1)!);
    expect(shown.href.split('?')[0]).toBe(SETTINGS_PAGE_URL);
    expect(shown.searchParams.get('problem')).toBe(
      `Could not reach ${SERVER} (ERR_CONNECTION_REFUSED).`,
    );
  });

  it('shows the settings page when the server does not serve the console', async () => {
    started = await startApp();
    started.window.webContents.emit('did-navigate', new electron.FakeEvent(), CONSOLE_URL, 404);
    const shown = new URL(started.window.loadedUrls.at(-1)!);
    expect(shown.searchParams.get('problem')).toContain('HTTP 404');
  });
});

describe('settings', () => {
  it('stores a new server in the user-data folder and opens its console', async () => {
    started = await startApp(null);
    const page = started.fromPage(SETTINGS_PAGE_URL);
    await expect(
      electron.ipcMain.invoke('settings/save', page, {
        serverUrl: ' https://chat.example.com/ ',
        soundEnabled: false,
      }),
    ).resolves.toEqual({ ok: true });
    const stored = JSON.parse(
      await readFile(join(started.userDataDir, 'settings.json'), 'utf8'),
    ) as unknown;
    expect(stored).toEqual({ serverUrl: 'https://chat.example.com', soundEnabled: false });
    await vi.waitFor(() => {
      expect(started!.window.loadedUrls.at(-1)).toBe('https://chat.example.com/agent/');
    });
  });

  it('answers what is wrong with an unusable address and stores nothing', async () => {
    started = await startApp(null);
    const page = started.fromPage(SETTINGS_PAGE_URL);
    for (const serverUrl of ['chat.example.com', 'https://chat.example.com/app', null]) {
      const answer = (await electron.ipcMain.invoke('settings/save', page, {
        serverUrl,
        soundEnabled: true,
      })) as { ok: boolean; message?: string };
      expect(answer.ok).toBe(false);
      expect(answer.message).toBeTruthy();
    }
    await expect(readFile(join(started.userDataDir, 'settings.json'))).rejects.toThrow();
  });

  it('refuses plain http to another computer unless the agent confirmed the warning', async () => {
    started = await startApp(null);
    const page = started.fromPage(SETTINGS_PAGE_URL);
    const settingsFile = join(started.userDataDir, 'settings.json');
    await expect(
      electron.ipcMain.invoke('settings/save', page, {
        serverUrl: 'http://chat.example.com',
        soundEnabled: true,
      }),
    ).resolves.toEqual({
      ok: false,
      message: new MainLanguage('en').t('server.unencryptedWarning'),
    });
    await expect(readFile(settingsFile)).rejects.toThrow();

    await expect(
      electron.ipcMain.invoke('settings/save', page, {
        serverUrl: 'http://chat.example.com',
        soundEnabled: true,
        allowUnencrypted: true,
      }),
    ).resolves.toEqual({ ok: true });
    // The consent is not stored: it belongs to this one save.
    expect(JSON.parse(await readFile(settingsFile, 'utf8'))).toEqual({
      serverUrl: 'http://chat.example.com',
      soundEnabled: true,
    });
  });

  it('saves plain http to this computer without the warning', async () => {
    started = await startApp(null);
    const page = started.fromPage(SETTINGS_PAGE_URL);
    await expect(
      electron.ipcMain.invoke('settings/save', page, {
        serverUrl: 'http://127.0.0.1:3000',
        soundEnabled: true,
      }),
    ).resolves.toEqual({ ok: true });
  });

  it('checks a server from the main process before it is saved', async () => {
    started = await startApp(null);
    const page = started.fromPage(SETTINGS_PAGE_URL);
    const good = await serveOnly(['/healthz', '/agent/']);
    await expect(electron.ipcMain.invoke('settings/checkServer', page, good)).resolves.toEqual({
      ok: true,
    });
    await new Promise((resolve) => httpServer!.close(resolve));

    const noConsole = await serveOnly(['/healthz']);
    await expect(
      electron.ipcMain.invoke('settings/checkServer', page, noConsole),
    ).resolves.toMatchObject({ ok: false, message: expect.stringContaining('/agent/') as string });
    await new Promise((resolve) => httpServer!.close(resolve));
    httpServer = undefined;

    await expect(
      electron.ipcMain.invoke('settings/checkServer', page, noConsole),
    ).resolves.toMatchObject({
      ok: false,
      message: expect.stringContaining('Could not reach') as string,
    });
  });

  it('keeps the sound preference the console sets', async () => {
    started = await startApp();
    await electron.ipcMain.invoke('preferences/setSound', started.fromPage(CONSOLE_URL), false);
    const stored = JSON.parse(
      await readFile(join(started.userDataDir, 'settings.json'), 'utf8'),
    ) as unknown;
    expect(stored).toEqual({ serverUrl: SERVER, soundEnabled: false });
  });

  it('keeps the repeat period the console sets, also across a change of server', async () => {
    started = await startApp();
    const stored = async () =>
      JSON.parse(await readFile(join(started!.userDataDir, 'settings.json'), 'utf8')) as unknown;
    await electron.ipcMain.invoke('preferences/setAlertRepeat', started.fromPage(CONSOLE_URL), 60);
    expect(await stored()).toEqual({
      serverUrl: SERVER,
      soundEnabled: true,
      alertRepeatSeconds: 60,
    });
    await expect(
      electron.ipcMain.invoke('preferences/setAlertRepeat', started.fromPage(CONSOLE_URL), 7200),
    ).rejects.toThrow(/invalid arguments/);
    await expect(
      electron.ipcMain.invoke('settings/get', started.fromPage(CONSOLE_URL)),
    ).resolves.toMatchObject({ alertRepeatSeconds: 60 });
    await electron.ipcMain.invoke('settings/save', started.fromPage(SETTINGS_PAGE_URL), {
      serverUrl: 'http://127.0.0.1:3999',
      soundEnabled: false,
    });
    expect(await stored()).toEqual({
      serverUrl: 'http://127.0.0.1:3999',
      soundEnabled: false,
      alertRepeatSeconds: 60,
    });
  });
});

describe('the application menu', () => {
  function fileMenuItem(label: string): electron.FakeMenuItem {
    const file = electron.Menu.applicationMenu?.find((item) => item.label === 'File');
    const item = file?.submenu?.find((candidate) => candidate.label === label);
    if (!item) throw new Error(`no File menu item ${label}`);
    return item;
  }

  it('opens the server’s supervisor console in the user’s browser', async () => {
    started = await startApp();
    fileMenuItem('Open Supervisor Console').click?.();
    expect(electron.shell.opened).toEqual([`${SERVER}/supervisor/`]);
    // The app's own window stays on the agent console.
    expect(started.window.loadedUrls).toEqual([CONSOLE_URL]);
  });

  it('opens the server settings instead when no server is set', async () => {
    started = await startApp(null);
    fileMenuItem('Open Supervisor Console').click?.();
    expect(electron.shell.opened).toEqual([]);
    expect(started.window.loadedUrls.at(-1)).toBe(SETTINGS_PAGE_URL);
  });
});

describe('the language of the tray, menus and notifications', () => {
  const menuLabels = (): (string | undefined)[] =>
    (electron.Menu.applicationMenu ?? []).map((item) => item.label);
  const trayLabels = (): (string | undefined)[] =>
    (electron.Tray.instances[0]!.contextMenu as electron.FakeMenuItem[]).map((item) => item.label);

  it('speaks the operating system’s language until the console reports its own', async () => {
    started = await startApp(undefined, { systemLanguages: ['ar-EG', 'en-US'] });
    expect(menuLabels()).toContain('ملف');
    expect(trayLabels()).toContain('إظهار وحدة التحكم');
    expect(electron.Tray.instances[0]!.toolTip).toBe('وحدة تحكم الموظف: لم يتم تسجيل الدخول');
  });

  it('follows the console’s language at once, keeps it, and starts in it next time', async () => {
    started = await startApp(undefined, { systemLanguages: ['ar-EG'] });
    const page = started.fromPage(CONSOLE_URL);
    await electron.ipcMain.invoke('queue/update', page, { total: 2, arrivals: [] });
    await electron.ipcMain.invoke('preferences/setLanguage', page, 'es');
    expect(menuLabels()).toContain('Archivo');
    expect(trayLabels()).toEqual([
      '2 clientes en espera',
      undefined,
      'Mostrar la consola',
      'Ajustes del servidor…',
      undefined,
      'Salir',
    ]);
    const answer = (await electron.ipcMain.invoke(
      'settings/save',
      started.fromPage(SETTINGS_PAGE_URL),
      { serverUrl: 'chat.example.com', soundEnabled: true },
    )) as { ok: boolean; message: string };
    expect(answer.message).toBe('Empieza la dirección con http:// o https://.');
    const stored = JSON.parse(
      await readFile(join(started.userDataDir, 'settings.json'), 'utf8'),
    ) as unknown;
    expect(stored).toEqual({ serverUrl: SERVER, soundEnabled: true, language: 'es' });

    await started.cleanup();
    started = await startApp({ serverUrl: SERVER, language: 'es' }, { systemLanguages: ['ar'] });
    expect(menuLabels()).toContain('Archivo');
    await expect(
      electron.ipcMain.invoke('settings/get', started.fromPage(SETTINGS_PAGE_URL)),
    ).resolves.toMatchObject({ language: 'es' });
  });

  it('takes only a language it speaks, and only from the console', async () => {
    started = await startApp();
    await expect(
      electron.ipcMain.invoke('preferences/setLanguage', started.fromPage(CONSOLE_URL), 'xx'),
    ).rejects.toThrow(/invalid arguments/);
    await expect(
      electron.ipcMain.invoke('preferences/setLanguage', started.fromPage(SETTINGS_PAGE_URL), 'ar'),
    ).rejects.toThrow();
    expect(menuLabels()).toContain('File');
  });
});
