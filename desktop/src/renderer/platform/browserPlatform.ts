import { arrivalNotice } from '../../common/queueNotice';
import type { ConsolePlatform } from './platform';

const SOUND_KEY = 'callcenter.agent.sound';

/**
 * In a plain browser (the console served at /agent/): the Notification API stands in for native
 * notifications, the app badge (where supported) for the dock badge.
 */
export function browserPlatform(serverUrl: string): ConsolePlatform {
  return {
    kind: 'browser',
    serverUrl,
    loadSoundPreference: () => Promise.resolve(localStorage.getItem(SOUND_KEY) !== 'off'),
    saveSoundPreference: (enabled) => {
      localStorage.setItem(SOUND_KEY, enabled ? 'on' : 'off');
    },
    reportQueue: ({ total, arrivals }) => {
      if ('setAppBadge' in navigator) {
        const badge =
          total === null || total === 0 ? navigator.clearAppBadge() : navigator.setAppBadge(total);
        badge.catch(() => undefined);
      }
      const unfocused = document.visibilityState !== 'visible' || !document.hasFocus();
      if (arrivals.length === 0 || !unfocused) return;
      if (!('Notification' in window) || Notification.permission !== 'granted') return;
      const { title, body } = arrivalNotice(arrivals, total);
      const notification = new Notification(title, { body, tag: 'queue-arrivals' });
      notification.onclick = () => {
        window.focus();
        notification.close();
      };
    },
    prepareNotifications: () => {
      if ('Notification' in window && Notification.permission === 'default') {
        Notification.requestPermission().catch(() => undefined);
      }
    },
    openServerSettings: null,
  };
}
