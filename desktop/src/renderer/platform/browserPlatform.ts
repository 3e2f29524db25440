import type { Translate } from '@callcenter/client';
import { incomingCallNotice } from '../../common/callNotice';
import { arrivalNotice, messageNoticeTitle } from '../../common/queueNotice';
import { loadRepeatPreference, saveRepeatPreference } from '../state/queueAlerts';
import type { ConsolePlatform } from './platform';

const SOUND_KEY = 'callcenter.agent.sound';

function windowIsFocused(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

/** A web notification, when allowed; a click brings the console's tab up. */
function notify(title: string, body: string, tag: string): void {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  const notification = new Notification(title, { body, tag });
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
}

/**
 * In a plain browser (the console served at /agent/): the Notification API stands in for native
 * notifications, the app badge (where supported) for the dock badge. Notifications are worded
 * with `t`, the console's words in its current language.
 */
export function browserPlatform(serverUrl: string, t: Translate): ConsolePlatform {
  return {
    kind: 'browser',
    serverUrl,
    loadSoundPreference: () => Promise.resolve(localStorage.getItem(SOUND_KEY) !== 'off'),
    saveSoundPreference: (enabled) => {
      localStorage.setItem(SOUND_KEY, enabled ? 'on' : 'off');
    },
    loadAlertRepeat: () => Promise.resolve(loadRepeatPreference(localStorage)),
    saveAlertRepeat: (seconds) => {
      saveRepeatPreference(localStorage, seconds);
    },
    // The page itself speaks the language; nothing else here shows words.
    reportLanguage: () => undefined,
    reportQueue: ({ total, arrivals }) => {
      if ('setAppBadge' in navigator) {
        const badge =
          total === null || total === 0 ? navigator.clearAppBadge() : navigator.setAppBadge(total);
        badge.catch(() => undefined);
      }
      if (arrivals.length === 0 || windowIsFocused()) return;
      const { title, body } = arrivalNotice(t, arrivals, total);
      notify(title, body, 'queue-arrivals');
    },
    notifyCustomerMessage: ({ customerName, text, tier }) => {
      if (windowIsFocused()) return;
      const body = text.length > 200 ? `${text.slice(0, 200)}…` : text;
      notify(messageNoticeTitle(t, customerName, tier), body, 'chat');
    },
    notifyIncomingCall: ({ customerName }) => {
      if (windowIsFocused()) return;
      const { title, body } = incomingCallNotice(t, customerName);
      notify(title, body, 'call');
    },
    prepareNotifications: () => {
      if ('Notification' in window && Notification.permission === 'default') {
        Notification.requestPermission().catch(() => undefined);
      }
    },
    openServerSettings: null,
  };
}
