import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CallJoin } from '@callcenter/client';
import { CallAudio, startRingtone } from '@callcenter/client/media';
import type { CallSignalPush, CallState } from '@callcenter/shared';
import type { CallEvent } from '@callcenter/shared/machines';

/** This device's side of a call's media, for the call screens and the app's `<audio>`. */
export interface CallMediaState {
  /** The agent's audio, played by the app's `<audio>` element. */
  remoteStream: MediaStream | null;
  muted: boolean;
  /** The call this device ended because its microphone could not be opened. */
  noMicrophoneCallId: string | null;
  /** The call this device placed or answered (another of the customer's devices may have). */
  joinedCallId: string | null;
}

export interface CustomerCallOptions {
  /** Relays a signal to the agent's device (`call.signal`). */
  sendSignal: (push: CallSignalPush) => Promise<void>;
  /** Tells the session's call machine. */
  tell: (event: CallEvent) => void;
}

const idle: CallMediaState = {
  remoteStream: null,
  muted: false,
  noMicrophoneCallId: null,
  joinedCallId: null,
};

let soundOutput: AudioContext | null = null;

/** The app's sound output, made on first use (a browser may keep it locked until a tap). */
function ringOutput(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  soundOutput ??= new AudioContext();
  void soundOutput.resume().catch(() => undefined);
  return soundOutput;
}

/**
 * The customer's call: their asks to the call machine, the client core's call audio fed with
 * what the session hears, and the ring of an incoming call while the app is in the background.
 * One per app; `stop` at the end of a session.
 */
export class CustomerCall {
  readonly media: StoreApi<CallMediaState> = createStore<CallMediaState>()(() => idle);
  private readonly audio: CallAudio;
  private announcedCallId: string | null = null;
  private ringing: { callId: string; stop: () => void } | null = null;

  constructor(private readonly options: CustomerCallOptions) {
    this.audio = new CallAudio({
      sendSignal: options.sendSignal,
      endCall: (reason) => {
        if (reason === 'no_microphone') {
          this.media.setState((state) => ({ noMicrophoneCallId: state.joinedCallId }));
        }
        options.tell({ type: 'call.end', reason });
      },
      onRemoteStream: (remoteStream) => {
        this.media.setState({ remoteStream });
      },
    });
  }

  start(conversationId: string): void {
    // A tap: the moment a browser lets the app's sound output start.
    ringOutput();
    this.media.setState({ noMicrophoneCallId: null });
    this.options.tell({ type: 'call.start', conversationId });
  }

  accept(): void {
    this.stopRinging();
    this.options.tell({ type: 'call.accept' });
  }

  decline(): void {
    this.stopRinging();
    this.options.tell({ type: 'call.decline' });
  }

  hangUp(): void {
    this.options.tell({ type: 'call.end' });
  }

  /** Back to the chat from the ended call's note. */
  dismiss(): void {
    this.media.setState({ noMicrophoneCallId: null });
    this.options.tell({ type: 'call.dismiss' });
  }

  setMuted(muted: boolean): void {
    this.audio.setMuted(muted);
    this.media.setState({ muted: this.audio.isMuted });
  }

  /** This device placed or answered a call (the call machine's `onJoin`). */
  join(join: CallJoin): void {
    this.media.setState({ joinedCallId: join.call.callId, muted: false, noMicrophoneCallId: null });
    void this.audio.join(join);
  }

  /** Every state of a call the session hears (`call.state` pushes, `session.sync`). */
  heard(call: CallState): void {
    this.audio.callChanged(call);
    if (call.state === 'ended' && this.media.getState().joinedCallId === call.callId) {
      this.media.setState({ muted: false });
    }
    if (call.state !== 'ringing' || call.from.role !== 'agent') {
      if (this.ringing?.callId === call.callId) this.stopRinging();
      return;
    }
    if (this.announcedCallId === call.callId) return;
    this.announcedCallId = call.callId;
    if (document.visibilityState === 'hidden') {
      this.ringing = { callId: call.callId, stop: startRingtone(ringOutput()) };
      notifyIncoming(call.from.displayName);
    }
  }

  /** A signal from the agent's device. */
  receive(push: CallSignalPush): void {
    this.audio.receive(push);
  }

  /** The session ended (sign-out, revoked): any call media and ring stop. */
  stop(): void {
    this.audio.stop();
    this.stopRinging();
    this.announcedCallId = null;
    this.media.setState(idle);
  }

  private stopRinging(): void {
    this.ringing?.stop();
    this.ringing = null;
  }
}

/**
 * An incoming call while the app is in the background: a notification, only where the customer
 * already allowed them (the app never asks just for this).
 */
function notifyIncoming(agentName: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const body = `${agentName} is calling you.`;
  const options = { body, tag: 'incoming-call', icon: '/icons/icon-192.png' };
  void navigator.serviceWorker.getRegistration().then(
    async (registration) => {
      if (registration) await registration.showNotification('Incoming call', options);
      else new Notification('Incoming call', options);
    },
    () => undefined,
  );
}
