import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CallSignalPush, CallState, Role } from '@callcenter/shared';
import type { CallEvent } from '@callcenter/shared/machines';
import type { CallJoin } from '../calls';
import { CallAudio } from './callAudio';

/** This device's side of a call's media, for an app's call screens and its `<audio>`. */
export interface CallMediaState {
  /** The other party's audio, played by the app's `<audio>` element. */
  remoteStream: MediaStream | null;
  muted: boolean;
  /** The call this device placed or answered (another device of the user may have). */
  joinedCallId: string | null;
  /** The call this device ended because its microphone could not be opened. */
  noMicrophoneCallId: string | null;
  /** The call the user hung up (or cancelled) on this device. */
  hungUpCallId: string | null;
}

export interface DeviceCallOptions {
  /** Relays a signal to the other party's device (`call.signal`). */
  sendSignal: (push: CallSignalPush) => Promise<void>;
  /** Tells the session's call machine. */
  tell: (event: CallEvent) => void;
  /** Calls placed by this role ring here (the other party's). */
  ringsFrom: Role;
  /**
   * A call rings in, once per call: alert the user as the app sees fit. Returns the ring's
   * stop, or null when it does not ring (the app is in front: the call screen shows).
   */
  ringIn: (call: CallState) => (() => void) | null;
}

const IDLE: CallMediaState = {
  remoteStream: null,
  muted: false,
  joinedCallId: null,
  noMicrophoneCallId: null,
  hungUpCallId: null,
};

/**
 * A device's call, the same in both apps: the user's asks to the call machine, the call audio
 * fed with what the session hears, and the ring of an incoming call. One per app; `stop` at the
 * end of a session.
 */
export class DeviceCall {
  readonly media: StoreApi<CallMediaState> = createStore<CallMediaState>()(() => IDLE);
  private readonly audio: CallAudio;
  /** The last incoming call that rang, so each rings once. */
  private announcedCallId: string | null = null;
  private ringing: { callId: string; stop: () => void } | null = null;

  constructor(private readonly options: DeviceCallOptions) {
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

  /** Hangs up the call `callId` in progress, or cancels it while it rings. */
  hangUp(callId: string): void {
    this.media.setState({ hungUpCallId: callId });
    this.options.tell({ type: 'call.end' });
  }

  /** Puts the ended call's note away. */
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
    if (call.state !== 'ringing' || call.from.role !== this.options.ringsFrom) {
      if (this.ringing?.callId === call.callId) this.stopRinging();
      return;
    }
    if (this.announcedCallId === call.callId) return;
    this.announcedCallId = call.callId;
    this.stopRinging();
    const stop = this.options.ringIn(call);
    if (stop !== null) this.ringing = { callId: call.callId, stop };
  }

  /** A signal from the other party's device. */
  receive(push: CallSignalPush): void {
    this.audio.receive(push);
  }

  /** The session ended (sign-out, revoked): any call media and ring stop. */
  stop(): void {
    this.audio.stop();
    this.stopRinging();
    this.announcedCallId = null;
    this.media.setState(IDLE);
  }

  private stopRinging(): void {
    this.ringing?.stop();
    this.ringing = null;
  }
}
