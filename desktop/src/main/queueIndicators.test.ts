import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QueueUpdate } from '../ipc/channels';
import { SETTINGS_PAGE_URL } from './appProtocol';
import { incomingCallNotice } from '../common/callNotice';
import { isolateBidi } from '@callcenter/shared';
import { arrivalNotice, queueLabel } from '../common/queueNotice';
import { MainLanguage } from './mainLanguage';
import * as electron from './testing/fakeElectron';
import { CONSOLE_URL, startApp, type StartedApp } from './testing/startTestApp';

vi.mock('electron', () => import('./testing/fakeElectron'));

let started: StartedApp | undefined;
afterEach(async () => {
  await started?.cleanup();
  started = undefined;
});

const t = new MainLanguage('en').t;
/** A name as the notices set it: isolated from the words around it. */
const named = isolateBidi;

const dana = { requestId: 'req-dana', displayName: 'Dana', tier: 'platinum' as const };
const erik = { requestId: 'req-erik', displayName: 'Erik', tier: 'standard' as const };

async function report(app: StartedApp, update: QueueUpdate): Promise<void> {
  await electron.ipcMain.invoke('queue/update', app.fromPage(CONSOLE_URL), update);
}

function trayMenuLabels(): string[] {
  const menu = electron.Tray.instances[0]!.contextMenu as electron.FakeMenuItem[];
  return menu.map((item) => item.label ?? `(${item.type ?? item.role ?? ''})`);
}

function trayImagePath(): string {
  return (electron.Tray.instances[0]!.image as { path: string }).path;
}

describe('tray, badge and notifications follow the queue (R12)', () => {
  it('shows the count in the badge and the tray as it changes', async () => {
    started = await startApp();
    expect(electron.Tray.instances).toHaveLength(1);
    expect(electron.Tray.instances[0]!.toolTip).toContain('Not signed in');
    expect(electron.app.badgeCount).toBe(0);

    await report(started, { total: 0, arrivals: [] });
    expect(electron.Tray.instances[0]!.toolTip).toContain('No customers waiting');
    expect(trayImagePath()).toMatch(/tray\.png$/);

    await report(started, { total: 3, arrivals: [] });
    expect(electron.app.badgeCount).toBe(3);
    expect(electron.Tray.instances[0]!.toolTip).toContain('3 customers waiting');
    expect(trayMenuLabels()[0]).toBe('3 customers waiting');
    expect(trayImagePath()).toMatch(/tray-waiting\.png$/);

    await report(started, { total: 1, arrivals: [] });
    expect(electron.app.badgeCount).toBe(1);
    expect(trayMenuLabels()[0]).toBe('1 customer waiting');

    await report(started, { total: 0, arrivals: [] });
    expect(electron.app.badgeCount).toBe(0);
    expect(trayImagePath()).toMatch(/tray\.png$/);
  });

  it('clears the count when the console is left for the settings page', async () => {
    started = await startApp();
    await report(started, { total: 2, arrivals: [] });
    started.desktop.loadSettings();
    expect(electron.app.badgeCount).toBe(0);
    expect(electron.Tray.instances[0]!.toolTip).toContain('Not signed in');
    expect(started.window.loadedUrls.at(-1)).toBe(SETTINGS_PAGE_URL);
  });

  it('notifies of arrivals only while the window is not focused; a click brings it up', async () => {
    started = await startApp();
    const { window } = started;
    window.show();
    window.focus();
    await report(started, { total: 1, arrivals: [dana] });
    expect(electron.Notification.instances).toHaveLength(0);

    window.blur();
    window.minimized = true;
    const focusesBefore = window.focusCalls;
    await report(started, { total: 2, arrivals: [erik] });
    expect(electron.Notification.instances).toHaveLength(1);
    const notification = electron.Notification.instances[0]!;
    expect(notification.shown).toBe(true);
    expect(notification.options).toMatchObject({
      title: `${named('Erik')} is waiting`,
      body: 'Standard customer joined the queue. 2 customers waiting.',
      silent: true,
    });

    // No arrival, no notification: a count going down (a customer taken) is not news.
    await report(started, { total: 1, arrivals: [] });
    expect(electron.Notification.instances).toHaveLength(1);

    notification.emit('click');
    expect(window.minimized).toBe(false);
    expect(window.visible).toBe(true);
    expect(window.focusCalls).toBe(focusesBefore + 1);
    expect(window.isFocused()).toBe(true);
  });

  it('sums up several arrivals in one notification', async () => {
    started = await startApp();
    await report(started, { total: 5, arrivals: [dana, erik] });
    expect(electron.Notification.instances).toHaveLength(1);
    expect(electron.Notification.instances[0]!.options).toMatchObject({
      title: '2 customers joined the queue',
      body: `${named('Dana')} (Platinum) and ${named('Erik')} (Standard). 5 customers waiting.`,
    });
  });

  it('brings the window up from the tray icon and its menu', async () => {
    started = await startApp();
    const { window } = started;
    window.minimized = true;
    electron.Tray.instances[0]!.emit('click');
    expect(window.minimized).toBe(false);
    expect(window.isFocused()).toBe(true);

    const menu = electron.Tray.instances[0]!.contextMenu as electron.FakeMenuItem[];
    menu.find((item) => item.label === 'Server settings…')?.click?.();
    expect(window.loadedUrls.at(-1)).toBe(SETTINGS_PAGE_URL);
    menu.find((item) => item.label === 'Quit')?.click?.();
    expect(electron.app.quitCalls).toBe(1);
  });

  it('notifies of a message from the current customer only while the window is not focused', async () => {
    started = await startApp();
    const { window } = started;
    const page = started.fromPage(CONSOLE_URL);
    window.show();
    window.focus();
    await electron.ipcMain.invoke('chat/customerMessage', page, {
      customerName: 'Dana',
      text: 'Are you still there?',
    });
    expect(electron.Notification.instances).toHaveLength(0);

    window.blur();
    await electron.ipcMain.invoke('chat/customerMessage', page, {
      customerName: 'Dana',
      text: 'x'.repeat(300),
      tier: 'gold',
    });
    expect(electron.Notification.instances).toHaveLength(1);
    const notification = electron.Notification.instances[0]!;
    expect(notification.options.title).toBe(`${named('Dana')} (Gold) wrote`);
    expect(notification.options.body).toBe(`${'x'.repeat(200)}…`);
    notification.emit('click');
    expect(window.isFocused()).toBe(true);
  });

  it('notifies of an incoming call only while the window is not focused; a click brings it up', async () => {
    started = await startApp();
    const { window } = started;
    const page = started.fromPage(CONSOLE_URL);
    window.show();
    window.focus();
    await electron.ipcMain.invoke('call/incoming', page, { customerName: 'Dana' });
    expect(electron.Notification.instances).toHaveLength(0);

    window.blur();
    await electron.ipcMain.invoke('call/incoming', page, { customerName: 'Dana' });
    expect(electron.Notification.instances).toHaveLength(1);
    const notification = electron.Notification.instances[0]!;
    expect(notification.options).toMatchObject(incomingCallNotice(t, 'Dana'));
    expect(notification.options.title).toBe(`${named('Dana')} is calling`);
    notification.emit('click');
    expect(window.isFocused()).toBe(true);
  });

  it('words the tray label and notices for people', () => {
    expect(queueLabel(t, null)).toBe('Not signed in');
    expect(queueLabel(t, 0)).toBe('No customers waiting');
    expect(arrivalNotice(t, [dana], 1)).toEqual({
      title: `${named('Dana')} is waiting`,
      body: 'Platinum customer joined the queue. 1 customer waiting.',
    });
    const many = ['A', 'B', 'C', 'D'].map((name) => ({ ...erik, displayName: name }));
    expect(arrivalNotice(t, many, 9).body).toBe(
      `${named('A')} (Standard), ${named('B')} (Standard), ${named('C')} (Standard), and others. 9 customers waiting.`,
    );
    expect(queueLabel(t, 3, 1)).toBe('3 customers waiting, 1 waiting long');
  });

  it('words them in Arabic and Spanish too, names kept apart from the words', () => {
    const ar = new MainLanguage('ar').t;
    const es = new MainLanguage('es').t;
    expect(arrivalNotice(ar, [dana], 2)).toEqual({
      title: `${named('Dana')} ينتظر`,
      body: 'انضم عميل من الفئة بلاتينية إلى قائمة الانتظار. عميلان ينتظران.',
    });
    expect(arrivalNotice(es, [dana, erik], 3).title).toBe('2 clientes se unieron a la cola');
    expect(queueLabel(es, 3, 1)).toBe('3 clientes en espera, 1 espera demasiado');
    expect(incomingCallNotice(ar, 'Dana').title).toBe(`${named('Dana')} يتصل`);
  });

  it('counts customers waiting past their tier’s threshold in the tray', async () => {
    started = await startApp();
    await report(started, { total: 3, arrivals: [], waitingLong: 2 });
    expect(electron.Tray.instances[0]!.toolTip).toContain('3 customers waiting, 2 waiting long');
    expect(trayMenuLabels()[0]).toBe('3 customers waiting, 2 waiting long');
    expect(electron.app.badgeCount).toBe(3);
    await report(started, { total: 3, arrivals: [], waitingLong: 0 });
    expect(trayMenuLabels()[0]).toBe('3 customers waiting');
    // More waiting long than waiting: refused, the tray keeps what it showed.
    await expect(
      electron.ipcMain.invoke('queue/update', started.fromPage(CONSOLE_URL), {
        total: 1,
        arrivals: [],
        waitingLong: 2,
      }),
    ).rejects.toThrow();
    expect(trayMenuLabels()[0]).toBe('3 customers waiting');
  });
});
