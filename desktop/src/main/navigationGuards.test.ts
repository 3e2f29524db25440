import { afterEach, describe, expect, it, vi } from 'vitest';
import { SETTINGS_PAGE_URL } from './appProtocol';
import * as electron from './testing/fakeElectron';
import { CONSOLE_URL, SERVER, startApp, type StartedApp } from './testing/startTestApp';

vi.mock('electron', () => import('./testing/fakeElectron'));

let started: StartedApp | undefined;
afterEach(async () => {
  await started?.cleanup();
  started = undefined;
});

describe('navigation and new windows', () => {
  it('lets the window move only between the console and the settings page', async () => {
    started = await startApp();
    const contents = started.window.webContents;

    expect(contents.navigate(CONSOLE_URL)).toBe(true);
    expect(contents.navigate(`${SERVER}/agent/?reloaded=1`)).toBe(true);
    expect(contents.navigate(SETTINGS_PAGE_URL)).toBe(true);

    expect(contents.navigate('https://evil.example/agent/')).toBe(false);
    expect(contents.navigate(`${SERVER}/`)).toBe(false); // the customer app, same server
    expect(contents.navigate('http://127.0.0.1:4000/agent/')).toBe(false); // another port
    expect(contents.navigate('file:///etc/passwd')).toBe(false);
    expect(contents.navigate('app://local/agent/../../secret')).toBe(false);
    expect(contents.navigate('javascript:alert(1)')).toBe(false);
    expect(contents.navigate('https://evil.example/', 'will-redirect')).toBe(false);
  });

  it('never opens a new window and never attaches a webview', async () => {
    started = await startApp();
    const contents = started.window.webContents;
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
    expect(contents.windowOpenHandler?.({ url: CONSOLE_URL })).toEqual({ action: 'deny' });

    const attach = new electron.FakeEvent();
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
  });

  it('guards any other web contents created in the app too', async () => {
    started = await startApp();
    const other = new electron.FakeWebContents();
    electron.app.emit('web-contents-created', new electron.FakeEvent(), other);
    expect(other.navigate('https://evil.example/')).toBe(false);
    expect(other.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
  });

  it('follows a change of server: the old server is foreign afterwards', async () => {
    started = await startApp();
    const settingsPage = started.fromPage(SETTINGS_PAGE_URL);
    await electron.ipcMain.invoke('settings/save', settingsPage, {
      serverUrl: 'https://chat.example.com',
      soundEnabled: true,
    });
    const contents = started.window.webContents;
    expect(contents.navigate('https://chat.example.com/agent/')).toBe(true);
    expect(contents.navigate(CONSOLE_URL)).toBe(false);
  });
});
