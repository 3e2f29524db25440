// Browser only (WebRTC): both apps' renderers use it; Node clients (tests, bench) do not.
import type { CallSignal, IceConfig } from '@callcenter/shared';

/** The microphone could not be opened (denied, or none): the call ends as `no_microphone`. */
export class NoMicrophoneError extends Error {
  constructor(cause: unknown) {
    super('The microphone could not be opened.', { cause });
    this.name = 'NoMicrophoneError';
  }
}

export interface CallMediaOptions {
  ice: IceConfig;
  /** The caller offers (once the call is established); the callee answers. */
  offerer: boolean;
  /** Relays a signal to the other device (`call.signal`). */
  sendSignal: (signal: CallSignal) => Promise<void>;
  /** The other side's audio, to play. */
  onRemoteStream: (stream: MediaStream) => void;
  /** The media could not connect, or reconnect after an ICE restart: end the call as `failed`. */
  onFailed: () => void;
  /** Opens the microphone; the browser's by default. */
  openMicrophone?: () => Promise<MediaStream>;
  /** How long a dropped connection may take to come back before an ICE restart, and after it. */
  timing?: { restartAfterMs: number; failAfterMs: number };
}

const DEFAULT_TIMING = { restartAfterMs: 3_000, failAfterMs: 15_000 };

/**
 * One device's audio in a call: an RTCPeerConnection with the server's ICE configuration, the
 * microphone's track, and the signalling through the server. A dropped connection (a network
 * change) gets an ICE restart from the offerer; if that does not bring it back, `onFailed`.
 */
export class CallMedia {
  private readonly timing: { restartAfterMs: number; failAfterMs: number };
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private failTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  private constructor(
    private readonly options: CallMediaOptions,
    private readonly peer: RTCPeerConnection,
    private readonly microphone: MediaStream,
  ) {
    this.timing = options.timing ?? DEFAULT_TIMING;
    peer.onicecandidate = ({ candidate }) => {
      void this.send({
        kind: 'candidate',
        candidate: candidate && {
          candidate: candidate.candidate,
          sdpMid: candidate.sdpMid,
          sdpMLineIndex: candidate.sdpMLineIndex,
          usernameFragment: candidate.usernameFragment,
        },
      });
    };
    peer.ontrack = ({ streams }) => {
      const [stream] = streams;
      if (stream) options.onRemoteStream(stream);
    };
    peer.oniceconnectionstatechange = () => {
      this.watchConnection();
    };
  }

  /** Opens the microphone and the peer connection; rejects with `NoMicrophoneError`. */
  static async open(options: CallMediaOptions): Promise<CallMedia> {
    let microphone: MediaStream;
    try {
      microphone = await (
        options.openMicrophone ??
        (() => navigator.mediaDevices.getUserMedia({ audio: true, video: false }))
      )();
    } catch (error) {
      throw new NoMicrophoneError(error);
    }
    const peer = new RTCPeerConnection({
      iceServers: options.ice.iceServers,
      iceTransportPolicy: options.ice.iceTransportPolicy,
    });
    for (const track of microphone.getAudioTracks()) peer.addTrack(track, microphone);
    return new CallMedia(options, peer, microphone);
  }

  /** The offerer begins, once the call is established. */
  async start(): Promise<void> {
    if (!this.options.offerer || this.closed) return;
    await this.offer(false);
  }

  /** A signal from the other device. */
  async receive(signal: CallSignal): Promise<void> {
    if (this.closed) return;
    if (signal.kind === 'candidate') {
      await this.peer.addIceCandidate(signal.candidate ?? undefined).catch(() => undefined);
      return;
    }
    await this.peer.setRemoteDescription({ type: signal.type, sdp: signal.sdp });
    if (signal.type === 'offer') {
      const answer = await this.peer.createAnswer();
      await this.peer.setLocalDescription(answer);
      await this.send({ kind: 'description', type: 'answer', sdp: answer.sdp ?? '' });
    }
  }

  /** Mute: the microphone's track is disabled (the other side hears silence). */
  setMuted(muted: boolean): void {
    for (const track of this.microphone.getAudioTracks()) track.enabled = !muted;
  }

  get muted(): boolean {
    return this.microphone.getAudioTracks().every((track) => !track.enabled);
  }

  /** The peer connection's statistics (audio in and out), for the UI or a test. */
  stats(): Promise<RTCStatsReport> {
    return this.peer.getStats();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.restartTimer);
    clearTimeout(this.failTimer);
    for (const track of this.microphone.getTracks()) track.stop();
    this.peer.close();
  }

  private async offer(iceRestart: boolean): Promise<void> {
    const offer = await this.peer.createOffer({ iceRestart });
    await this.peer.setLocalDescription(offer);
    await this.send({ kind: 'description', type: 'offer', sdp: offer.sdp ?? '' });
  }

  private async send(signal: CallSignal): Promise<void> {
    if (this.closed) return;
    // A signal lost while the signalling link is down is made good by the ICE restart.
    await this.options.sendSignal(signal).catch(() => undefined);
  }

  private watchConnection(): void {
    const state = this.peer.iceConnectionState;
    if (state === 'connected' || state === 'completed') {
      clearTimeout(this.restartTimer);
      clearTimeout(this.failTimer);
      this.restartTimer = this.failTimer = undefined;
      return;
    }
    if (state !== 'disconnected' && state !== 'failed') return;
    this.failTimer ??= setTimeout(() => {
      if (!this.closed) this.options.onFailed();
    }, this.timing.failAfterMs);
    if (!this.options.offerer) return;
    this.restartTimer ??= setTimeout(
      () => {
        void this.offer(true).catch(() => undefined);
      },
      state === 'failed' ? 0 : this.timing.restartAfterMs,
    );
  }
}

/**
 * A device's place for its call media: signals that arrive before the media is open (the
 * caller's offer can beat the callee's microphone) wait here and reach it once it is.
 */
export class CallMediaSlot {
  private media: CallMedia | null = null;
  private readonly early: CallSignal[] = [];

  get current(): CallMedia | null {
    return this.media;
  }

  /** Opens the media and hands it what waited (an earlier media of this slot is closed). */
  async open(options: CallMediaOptions): Promise<CallMedia> {
    this.media?.close();
    this.media = null;
    const media = await CallMedia.open(options);
    this.media = media;
    for (const signal of this.early.splice(0)) await media.receive(signal);
    return media;
  }

  async receive(signal: CallSignal): Promise<void> {
    if (this.media) await this.media.receive(signal);
    else this.early.push(signal);
  }

  /** The call ended: its media closes, and what waited for it is dropped. */
  close(): void {
    this.media?.close();
    this.media = null;
    this.early.length = 0;
  }
}
