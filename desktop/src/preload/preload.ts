// Runs sandboxed before the page, with context isolation: the page sees only `window.desktop`,
// never `ipcRenderer` or Node. Bundled to one CommonJS file (sandboxed preloads cannot import).
import { contextBridge, ipcRenderer } from 'electron';
import type { DesktopBridge, IpcArgs, IpcChannel, IpcResult } from '../ipc/channels';

function invoke<C extends IpcChannel>(channel: C, ...args: IpcArgs<C>): Promise<IpcResult<C>> {
  return ipcRenderer.invoke(channel, ...args) as Promise<IpcResult<C>>;
}

/** The bridge; each method is one channel, arguments passed through as structured clones. */
const desktopBridge = {
  platform: process.platform,
  getSettings: () => invoke('settings/get'),
  saveSettings: (settings) => invoke('settings/save', settings),
  checkServer: (serverUrl) => invoke('settings/checkServer', serverUrl),
  leaveSettings: () => invoke('settings/leave'),
  openSettings: () => invoke('settings/open'),
  setSoundEnabled: (enabled) => invoke('preferences/setSound', enabled),
  setAlertRepeat: (seconds) => invoke('preferences/setAlertRepeat', seconds),
  reportLanguage: (language) => invoke('preferences/setLanguage', language),
  reportQueue: (update) => invoke('queue/update', update),
  notifyCustomerMessage: (notice) => invoke('chat/customerMessage', notice),
  notifyIncomingCall: (notice) => invoke('call/incoming', notice),
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('desktop', desktopBridge);
