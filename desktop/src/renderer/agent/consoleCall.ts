import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CallJoin } from '@callcenter/client';
import { CallAudio } from '@callcenter/client/media';
import type { CallSignalPush, CallState } from '@callcenter/shared';
import type { CallEvent } from '@callcenter/shared/machines';
import type { IncomingCallNotice } from '../../ipc/channels';
import { startRingtone } from '../platform/ringtone';

/** This window's side of a call's media, for the call bar and the console's `<audio>`. */
export interface CallMediaState {
  /** The customer's audio, played by the console's `<audio>` element. */
  remoteStream: MediaStream | null;
  muted: boolean;
  /** The call this window placed or answered (another console window may have answered it). */
  joinedCallId: string | null;
  /** The call this window ended because its microphone could not be opened. */
  noMicrophoneCallId: string | null;
  /** The call the agent hung up (or cancelled) in this window. */
  hungUpCallId: string | null;
}

export interface ConsoleCallOptions {
  /** Relays a signal to the customer's device (`call.signal`). */
  sendSignal: (push: CallSignalPush) => Promise<void>;
  /** Tells the session's call machine. */
  tell: (event: CallEvent) => void;
  /** The customer is calling: the platform notifies when the window is not focused. */
  notifyIncoming: (notice: IncomingCallNotice) => void;
  /** Whether the agent is looking at the console (no ringtone then: the call bar shows). */
  isFocused?: () => boolean;
  /** Starts the ringtone; returns its stop. */
  ring?: () => () => void;
}

function consoleIsFocused(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

const idle: CallMediaState = {
  remoteStream: null,
  muted: false,
  joinedCallId: null,
  noMicrophoneCallId: null,
  hungUpCallId: null,
};

/**
 * The console's call: the agent's asks to the call machine, the client core's call audio fed
 * with what the session hears, and the ring of an incoming call. One per console; `stop` at
 * the end of a session.
 */
export class ConsoleCall {
  readonly media: StoreApi<CallMediaState> = createStore<CallMediaState>()(() => idle);
  private readonly audio: CallAudio;
  /** The last incoming call announced (notification, ringtone), so each rings once. */
  private announcedCallId: string | null = null;
  private ringing: { callId: string; stop: () => void } | null = null;

  constructor(private readonly options: ConsoleCallOptions) {
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
    this.options.tell({ type: 'call.dismiss' });
  }

  setMuted(muted: boolean): void {
    this.audio.setMuted(muted);
    this.media.setState({ muted: this.audio.isMuted });
  }

  /** This window placed or answered a call (the call machine's `onJoin`). */
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
    if (call.state !== 'ringing' || call.from.role !== 'customer') {
      if (this.ringing?.callId === call.callId) this.stopRinging();
      return;
    }
    if (this.announcedCallId === call.callId) return;
    this.announcedCallId = call.callId;
    this.options.notifyIncoming({ customerName: call.from.displayName });
    if (!(this.options.isFocused ?? consoleIsFocused)()) {
      this.stopRinging();
      this.ringing = { callId: call.callId, stop: (this.options.ring ?? startRingtone)() };
    }
  }

  /** A signal from the customer's device. */
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
