import type { CallSignalPush, CallState, IceConfig } from '@callcenter/shared';
import type { CallEndRequest } from '@callcenter/shared/machines';
import type { CallJoin } from '../calls';
import { CallMediaSlot, NoMicrophoneError, type CallMediaOptions } from './callMedia';

export interface CallAudioOptions {
  /** Relays a signal to the other device (`call.signal`). */
  sendSignal: (push: CallSignalPush) => Promise<void>;
  /**
   * This device must end its call: its microphone could not be opened (`no_microphone`), or
   * the media could not connect (`failed`). The app tells its call machine (`call.end`).
   */
  endCall: (reason: Extract<CallEndRequest, 'failed' | 'no_microphone'>) => void;
  /** The other side's audio to play, or `null` once the call is over. */
  onRemoteStream: (stream: MediaStream | null) => void;
  /** For tests: another microphone, or other reconnect timing. */
  media?: Pick<CallMediaOptions, 'openMicrophone' | 'timing'>;
}

/**
 * A device's call audio, driven by what the app hears: the device joined a call (the call
 * machine's `onJoin`), the call changed (`call.state`, a re-sync), a signal came
 * (`call.signal`). The caller offers once the call is established; the audio stops when the
 * call ends. Both apps run one per signed-in session.
 */
export class CallAudio {
  private readonly slot = new CallMediaSlot();
  /** The call this device's media belongs to, as last heard. */
  private call: CallState | null = null;
  /** The newest state heard of any call: a push can beat the ack of the join. */
  private heard: CallState | null = null;
  private placed = false;
  private muted = false;

  constructor(private readonly options: CallAudioOptions) {}

  /** This device placed or accepted `call`: open the microphone and the peer connection. */
  async join({ call: joined, ice, placed }: CallJoin): Promise<void> {
    const call =
      this.heard?.callId === joined.callId && this.heard.version > joined.version
        ? this.heard
        : joined;
    this.call = call;
    this.placed = placed;
    this.muted = false;
    try {
      const media = await this.slot.open(this.mediaOptions(call.callId, ice, placed));
      // What was heard while the microphone was opening.
      const now = this.stateOf(call.callId);
      if (now === null) {
        media.close(); // another call began meanwhile
        return;
      }
      if (now.state === 'ended') {
        this.stop(); // the call ended meanwhile
        return;
      }
      if (placed && now.state === 'established') await media.start();
    } catch (error) {
      if (this.stateOf(call.callId) === null) return;
      this.options.endCall(error instanceof NoMicrophoneError ? 'no_microphone' : 'failed');
    }
  }

  /** Every state of a call this session hears of. */
  callChanged(call: CallState): void {
    if (this.heard?.callId !== call.callId || call.version >= this.heard.version) this.heard = call;
    // Another call: this device is not in it (it has not joined it, or joined a later one).
    if (this.call?.callId !== call.callId || call.version < this.call.version) return;
    const wasEstablished = this.call.state === 'established';
    this.call = call;
    if (call.state === 'ended') {
      this.stop();
      return;
    }
    if (call.state === 'established' && !wasEstablished && this.placed) {
      void this.slot.current?.start().catch(() => undefined);
    }
  }

  /** A signal from the other device. */
  receive(push: CallSignalPush): void {
    if (this.call?.callId !== push.callId || this.call.state === 'ended') return;
    void this.slot.receive(push.signal).catch(() => undefined);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.slot.current?.setMuted(muted);
  }

  get isMuted(): boolean {
    return this.muted;
  }

  /** The peer connection's statistics, or `null` when no media is open. */
  stats(): Promise<RTCStatsReport> | null {
    return this.slot.current?.stats() ?? null;
  }

  /** The session ended: any call media stops. */
  stop(): void {
    this.slot.close();
    this.muted = false;
    this.options.onRemoteStream(null);
  }

  /** The joined call's latest state, if `callId` is still the joined call. */
  private stateOf(callId: string): CallState | null {
    return this.call?.callId === callId ? this.call : null;
  }

  private mediaOptions(callId: string, ice: IceConfig, placed: boolean): CallMediaOptions {
    return {
      ice,
      offerer: placed,
      sendSignal: (signal) => this.options.sendSignal({ callId, signal }),
      onRemoteStream: (stream) => {
        if (this.call?.callId === callId) this.options.onRemoteStream(stream);
      },
      onFailed: () => {
        if (this.call?.callId === callId && this.call.state !== 'ended') {
          this.options.endCall('failed');
        }
      },
      ...this.options.media,
    };
  }
}
