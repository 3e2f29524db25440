/**
 * An init script that puts a stand-in for the preload's `window.desktop` into a page, recording
 * every call in `window.__bridgeCalls`: the renderer's side of the desktop app, in Chromium.
 * The console's preferences (sound, repeat period, language) are kept across reloads of the page, as the
 * main process keeps them in settings.json. Plain JavaScript in a string: it runs in the page,
 * not in Node.
 */
export function bridgeStandIn(stored: {
  serverUrl: string | null;
  soundEnabled: boolean;
  language?: string;
}): string {
  return `
    window.__bridgeCalls = [];
    const settings = JSON.parse(
      sessionStorage.getItem('__bridgeSettings') ?? ${JSON.stringify(JSON.stringify(stored))},
    );
    const keep = (change) => {
      Object.assign(settings, change);
      sessionStorage.setItem('__bridgeSettings', JSON.stringify(settings));
    };
    const record = (name, ...args) => {
      window.__bridgeCalls.push({ name, args });
    };
    window.desktop = Object.freeze({
      platform: 'linux',
      getSettings: async () => (record('getSettings'), settings),
      saveSettings: async (next) => {
        record('saveSettings', next);
        return /^https?:\\/\\//.test(next.serverUrl)
          ? { ok: true }
          : { ok: false, message: 'Start the address with http:// or https://.' };
      },
      checkServer: async (url) => (
        record('checkServer', url),
        { ok: false, message: 'Could not reach ' + url + ' (ERR_CONNECTION_REFUSED).' }
      ),
      leaveSettings: async () => record('leaveSettings'),
      openSettings: async () => record('openSettings'),
      setSoundEnabled: async (enabled) => (
        record('setSoundEnabled', enabled), keep({ soundEnabled: enabled })
      ),
      setAlertRepeat: async (seconds) => (
        record('setAlertRepeat', seconds), keep({ alertRepeatSeconds: seconds })
      ),
      reportLanguage: async (language) => (
        record('reportLanguage', language), keep({ language })
      ),
      reportQueue: async (update) => record('reportQueue', update),
      notifyCustomerMessage: async (notice) => record('notifyCustomerMessage', notice),
      notifyIncomingCall: async (notice) => record('notifyIncomingCall', notice),
    });`;
}

export interface BridgeCall {
  name: string;
  args: unknown[];
}
