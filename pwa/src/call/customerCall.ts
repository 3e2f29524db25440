import { DeviceCall, startRingtone } from '@callcenter/client/media';
import type { CallSignalPush } from '@callcenter/shared';
import type { CallEvent } from '@callcenter/shared/machines';

export type { CallMediaState } from '@callcenter/client/media';

export interface CustomerCallOptions {
  /** Relays a signal to the agent's device (`call.signal`). */
  sendSignal: (push: CallSignalPush) => Promise<void>;
  /** Tells the session's call machine. */
  tell: (event: CallEvent) => void;
}

let soundOutput: AudioContext | null = null;

/** The app's sound output, made on first use (a browser may keep it locked until a tap). */
function ringOutput(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  soundOutput ??= new AudioContext();
  void soundOutput.resume().catch(() => undefined);
  return soundOutput;
}

/**
 * The customer's call (the client core's `DeviceCall`): the agent's call rings, with a
 * notification, while the app is in the background; in front, the full-screen call shows.
 */
export class CustomerCall extends DeviceCall {
  constructor(options: CustomerCallOptions) {
    super({
      ...options,
      ringsFrom: 'agent',
      ringIn: (call) => {
        if (document.visibilityState !== 'hidden') return null;
        const closeNotification = notifyIncoming(call.from.displayName);
        const stopRingtone = startRingtone(ringOutput());
        return () => {
          stopRingtone();
          closeNotification();
        };
      },
    });
  }

  override start(conversationId: string): void {
    // A tap: the moment a browser lets the app's sound output start, for a later ring.
    ringOutput();
    super.start(conversationId);
  }
}

const CALL_NOTIFICATION_TAG = 'incoming-call';

/**
 * An incoming call while the app is in the background: a notification, only where the customer
 * already allowed them (the app never asks just for this). Returns its close: once the call is
 * answered, declined or over, it would only mislead.
 */
function notifyIncoming(agentName: string): () => void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') {
    return () => undefined;
  }
  const title = 'Incoming call';
  const options = {
    body: `${agentName} is calling you.`,
    tag: CALL_NOTIFICATION_TAG,
    icon: '/icons/icon-192.png',
  };
  // An installed app shows it through its service worker (a phone's browser allows no other).
  const shown: Promise<(() => void) | null> = (
    'serviceWorker' in navigator ? navigator.serviceWorker.getRegistration() : Promise.resolve(null)
  ).then(async (registration) => {
    if (!registration) {
      const notification = new Notification(title, options);
      return () => {
        notification.close();
      };
    }
    await registration.showNotification(title, options);
    return () => {
      void registration.getNotifications({ tag: CALL_NOTIFICATION_TAG }).then((open) => {
        for (const notification of open) notification.close();
      });
    };
  });
  // Not shown (a browser that refuses): nothing to close.
  const closing = shown.catch(() => null);
  return () => {
    void closing.then((close) => close?.());
  };
}
