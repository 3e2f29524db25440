import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SETTINGS_PAGE_URL } from './appProtocol';
import * as electron from './testing/fakeElectron';
import { CONSOLE_URL, SERVER, startApp, type StartedApp } from './testing/startTestApp';

vi.mock('electron', () => import('./testing/fakeElectron'));
vi.spyOn(console, 'warn').mockImplementation(() => undefined);

let started: StartedApp | undefined;
afterEach(async () => {
  await started?.cleanup();
  started = undefined;
});

const queueUpdate = { total: 4, arrivals: [] };

describe('IPC sender validation', () => {
  it('answers the console page and the settings page on their own channels', async () => {
    started = await startApp();
    await expect(
      electron.ipcMain.invoke('settings/get', started.fromPage(CONSOLE_URL)),
    ).resolves.toEqual({ serverUrl: SERVER, soundEnabled: true });
    await electron.ipcMain.invoke('queue/update', started.fromPage(CONSOLE_URL), queueUpdate);
    expect(electron.app.badgeCount).toBe(4);
    await expect(
      electron.ipcMain.invoke('settings/get', started.fromPage(SETTINGS_PAGE_URL)),
    ).resolves.toMatchObject({ serverUrl: SERVER });
  });

  it('refuses a page from a foreign origin in the app window', async () => {
    started = await startApp();
    for (const url of [
      'https://evil.example/agent/',
      `${SERVER}/`,
      'http://127.0.0.1:4000/agent/',
      'app://local/agent/index.html',
      'file:///tmp/page.html',
    ]) {
      await expect(
        electron.ipcMain.invoke('queue/update', started.fromPage(url), queueUpdate),
      ).rejects.toThrow(/not available/);
      await expect(electron.ipcMain.invoke('settings/get', started.fromPage(url))).rejects.toThrow(
        /not available/,
      );
    }
    expect(electron.app.badgeCount).toBe(0);
  });

  it('refuses subframes, other web contents and destroyed frames', async () => {
    started = await startApp();
    const { window } = started;
    const subframe = new electron.FakeFrame(CONSOLE_URL);
    subframe.parent = window.webContents.mainFrame;
    const other = new electron.FakeWebContents();
    other.mainFrame.url = CONSOLE_URL;
    for (const event of [
      { sender: window.webContents, senderFrame: subframe },
      { sender: other, senderFrame: other.mainFrame },
      { sender: window.webContents, senderFrame: null },
    ]) {
      await expect(electron.ipcMain.invoke('queue/update', event, queueUpdate)).rejects.toThrow(
        /not available/,
      );
    }
    expect(electron.app.badgeCount).toBe(0);
  });

  it('lets only the app’s own settings page change the server', async () => {
    started = await startApp();
    const hijack = { serverUrl: 'https://phishing.example', soundEnabled: true };
    await expect(
      electron.ipcMain.invoke('settings/save', started.fromPage(CONSOLE_URL), hijack),
    ).rejects.toThrow(/not available/);
    await expect(
      electron.ipcMain.invoke('settings/checkServer', started.fromPage(CONSOLE_URL), SERVER),
    ).rejects.toThrow(/not available/);
    const stored = JSON.parse(
      await readFile(join(started.userDataDir, 'settings.json'), 'utf8'),
    ) as unknown;
    expect(stored).toEqual({ serverUrl: SERVER });
    expect(started.desktop.server).toBe(SERVER);
    // And the settings page cannot drive the console's channels.
    await expect(
      electron.ipcMain.invoke('queue/update', started.fromPage(SETTINGS_PAGE_URL), queueUpdate),
    ).rejects.toThrow(/not available/);
  });

  it('refuses arguments that are not the channel’s documented shape', async () => {
    started = await startApp();
    const page = started.fromPage(CONSOLE_URL);
    const bad: unknown[][] = [
      [],
      [{ total: -1, arrivals: [] }],
      [{ total: 1.5, arrivals: [] }],
      [{ total: '3', arrivals: [] }],
      [{ total: 1, arrivals: [{ requestId: 'r', displayName: 'x', tier: 'diamond' }] }],
      [{ total: 1, arrivals: [{ requestId: 'r'.repeat(65), displayName: 'x', tier: 'gold' }] }],
      [{ total: 1, arrivals: Array.from({ length: 201 }, () => ({})) }],
      [{ total: 1, arrivals: [], waitingLong: 2 }],
      [{ total: 1, arrivals: [], waitingLong: -1 }],
      [{ total: null, arrivals: [], waitingLong: 1 }],
      [queueUpdate, 'extra'],
    ];
    for (const args of bad) {
      await expect(electron.ipcMain.invoke('queue/update', page, ...args)).rejects.toThrow(
        /invalid arguments/,
      );
    }
    await expect(electron.ipcMain.invoke('preferences/setSound', page, 'yes')).rejects.toThrow(
      /invalid arguments/,
    );
    for (const seconds of [-1, 2.5, 3601, '30', null]) {
      await expect(
        electron.ipcMain.invoke('preferences/setAlertRepeat', page, seconds),
      ).rejects.toThrow(/invalid arguments/);
    }
    await expect(
      electron.ipcMain.invoke('chat/customerMessage', page, {
        customerName: 'Dana',
        text: 'hi',
        tier: 'diamond',
      }),
    ).rejects.toThrow(/invalid arguments/);
    for (const args of [
      [],
      [{}],
      [{ customerName: 7 }],
      [{ customerName: 'x'.repeat(201) }],
      [{ customerName: 'Dana' }, 'extra'],
    ] as unknown[][]) {
      await expect(electron.ipcMain.invoke('call/incoming', page, ...args)).rejects.toThrow(
        /invalid arguments/,
      );
    }
    expect(electron.app.badgeCount).toBe(0);
  });
});
