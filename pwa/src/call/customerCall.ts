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
        notifyIncoming(call.from.displayName);
        return startRingtone(ringOutput());
      },
    });
  }

  override start(conversationId: string): void {
    // A tap: the moment a browser lets the app's sound output start, for a later ring.
    ringOutput();
    super.start(conversationId);
  }
}

/**
 * An incoming call while the app is in the background: a notification, only where the customer
 * already allowed them (the app never asks just for this).
 */
function notifyIncoming(agentName: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const options = {
    body: `${agentName} is calling you.`,
    tag: 'incoming-call',
    icon: '/icons/icon-192.png',
  };
  void navigator.serviceWorker.getRegistration().then(
    async (registration) => {
      if (registration) await registration.showNotification('Incoming call', options);
      else new Notification('Incoming call', options);
    },
    () => undefined,
  );
}
