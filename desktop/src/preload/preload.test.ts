import { describe, expect, it, vi } from 'vitest';
import type { DesktopBridge } from '../ipc/channels';
import * as electron from '../main/testing/fakeElectron';

vi.mock('electron', () => import('../main/testing/fakeElectron'));

describe('preload bridge', () => {
  it('exposes one object, window.desktop, whose methods each invoke one channel', async () => {
    electron.resetFakeElectron();
    await import('./preload');
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['desktop']);
    const bridge = electron.contextBridge.exposed.get('desktop') as DesktopBridge;
    expect(bridge.platform).toBe(process.platform);

    const settings = { serverUrl: 'https://chat.example.com', soundEnabled: true };
    const update = { total: 2, arrivals: [] };
    await bridge.getSettings();
    await bridge.saveSettings(settings);
    await bridge.checkServer('https://chat.example.com');
    await bridge.leaveSettings();
    await bridge.openSettings();
    await bridge.setSoundEnabled(false);
    await bridge.setAlertRepeat(0);
    await bridge.reportLanguage('ar');
    await bridge.reportQueue(update);
    await bridge.notifyCustomerMessage({ customerName: 'Dana', text: 'Hello?' });
    await bridge.notifyIncomingCall({ customerName: 'Dana' });
    expect(electron.ipcRenderer.calls).toEqual([
      { channel: 'settings/get', args: [] },
      { channel: 'settings/save', args: [settings] },
      { channel: 'settings/checkServer', args: ['https://chat.example.com'] },
      { channel: 'settings/leave', args: [] },
      { channel: 'settings/open', args: [] },
      { channel: 'preferences/setSound', args: [false] },
      { channel: 'preferences/setAlertRepeat', args: [0] },
      { channel: 'preferences/setLanguage', args: ['ar'] },
      { channel: 'queue/update', args: [update] },
      { channel: 'chat/customerMessage', args: [{ customerName: 'Dana', text: 'Hello?' }] },
      { channel: 'call/incoming', args: [{ customerName: 'Dana' }] },
    ]);
    // Nothing else leaks through: no ipcRenderer, no generic send.
    expect(Object.keys(bridge).sort()).toEqual(
      [
        'checkServer',
        'getSettings',
        'notifyCustomerMessage',
        'notifyIncomingCall',
        'leaveSettings',
        'openSettings',
        'platform',
        'reportLanguage',
        'reportQueue',
        'saveSettings',
        'setSoundEnabled',
        'setAlertRepeat',
      ].sort(),
    );
  });
});
