import type { DesktopBridge } from '../../ipc/channels';
import type { ConsolePlatform } from './platform';

function reportFailure(what: string): (error: unknown) => void {
  return (error) => {
    console.warn(`desktop bridge: ${what} failed`, error);
  };
}

/** Inside the desktop app: tray, badge, native notifications and settings are the main process's. */
export function desktopPlatform(bridge: DesktopBridge, serverUrl: string): ConsolePlatform {
  return {
    kind: 'desktop',
    serverUrl,
    loadSoundPreference: async () => (await bridge.getSettings()).soundEnabled,
    saveSoundPreference: (enabled) => {
      bridge.setSoundEnabled(enabled).catch(reportFailure('saving the sound setting'));
    },
    loadAlertRepeat: async () => (await bridge.getSettings()).alertRepeatSeconds ?? null,
    saveAlertRepeat: (seconds) => {
      bridge.setAlertRepeat(seconds).catch(reportFailure('saving the repeat period'));
    },
    reportLanguage: (language) => {
      bridge.reportLanguage(language).catch(reportFailure('reporting the language'));
    },
    reportQueue: (update) => {
      bridge.reportQueue(update).catch(reportFailure('reporting the queue'));
    },
    notifyCustomerMessage: (notice) => {
      bridge.notifyCustomerMessage(notice).catch(reportFailure('notifying of a message'));
    },
    notifyIncomingCall: (notice) => {
      bridge.notifyIncomingCall(notice).catch(reportFailure('notifying of a call'));
    },
    prepareNotifications: () => undefined,
    openServerSettings: () => {
      bridge.openSettings().catch(reportFailure('opening the settings'));
    },
  };
}
