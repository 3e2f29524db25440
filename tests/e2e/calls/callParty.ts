// Bundled into a test page (see callAudio.test.ts): one device of a call, as an app would run it,
// with the client core's request and CallMedia, driven by the test through `window.callParty`.
import { io } from 'socket.io-client';
import { request, type ClientSocket } from '@callcenter/client';
import { CallAudio, type CallMediaOptions } from '@callcenter/client/media';
import type { AgentToServerEvents, CallState } from '@callcenter/shared';

export interface AudioFigures {
  /** Audio bytes received, and the level of what is received (0..1). */
  inboundBytes: number;
  inboundLevel: number;
  outboundBytes: number;
}

let socket: ClientSocket<AgentToServerEvents> | null = null;
let current: CallState | null = null;

/** Holds `call` unless it is an older state of the held call (pushes and acks can cross). */
function hold(call: CallState): void {
  if (current?.callId !== call.callId || call.version >= current.version) current = call;
}

function requireSocket(): ClientSocket<AgentToServerEvents> {
  if (!socket) throw new Error('not connected');
  return socket;
}

/** Session descriptions received: a second offer is an ICE restart. */
let offersReceived = 0;

/** How soon a dropped connection gets an ICE restart, and then ends the call. */
export type PartyTiming = CallMediaOptions['timing'];

// The client core's call audio, as the apps run it (here without the call machine).
const audioWith = (timing?: PartyTiming): CallAudio =>
  new CallAudio({
    media: { timing },
    sendSignal: async (push) => {
      await request(requireSocket(), 'call.signal', push);
    },
    endCall: (reason) => {
      if (current) void request(requireSocket(), 'call.end', { callId: current.callId, reason });
    },
    onRemoteStream: (stream) => {
      // Played, so the browser decodes it (and reports its level).
      if (!stream) return;
      const player = new Audio();
      player.srcObject = stream;
      void player.play().catch(() => undefined);
    },
  });
let audio = audioWith();

const callParty = {
  /** `timing`: how soon a dropped connection gets an ICE restart, and then ends the call. */
  async connect(url: string, token: string, timing?: PartyTiming): Promise<void> {
    if (timing) audio = audioWith(timing);
    const opened: ClientSocket<AgentToServerEvents> = io(url, {
      auth: { token },
      transports: ['websocket'],
    });
    socket = opened;
    opened.on('call.state', (call) => {
      hold(call);
      audio.callChanged(call);
    });
    opened.on('call.signal', (push) => {
      if (push.signal.kind === 'description' && push.signal.type === 'offer') offersReceived += 1;
      audio.receive(push);
    });
    await new Promise<void>((resolve, reject) => {
      opened.once('connect', () => {
        resolve();
      });
      opened.once('connect_error', reject);
    });
  },
  async start(conversationId: string): Promise<string> {
    const { call, ice } = await request(requireSocket(), 'call.start', { conversationId });
    hold(call);
    await audio.join({ call, ice, placed: call.state === 'ringing' });
    return call.callId;
  },
  async accept(callId: string): Promise<void> {
    const { call, ice } = await request(requireSocket(), 'call.accept', { callId });
    hold(call);
    await audio.join({ call, ice, placed: false });
  },
  mute(muted: boolean): void {
    audio.setMuted(muted);
  },
  async hangUp(): Promise<void> {
    if (current) await request(requireSocket(), 'call.end', { callId: current.callId });
  },
  offersReceived(): number {
    return offersReceived;
  },
  currentCallId(): string {
    if (!current) throw new Error('no call yet');
    return current.callId;
  },
  endReason(): string | null {
    return current?.reason ?? null;
  },
  callState(): string | null {
    return current?.state ?? null;
  },
  async audio(): Promise<AudioFigures> {
    const figures: AudioFigures = { inboundBytes: 0, inboundLevel: 0, outboundBytes: 0 };
    const stats = audio.stats();
    if (!stats) return figures;
    (await stats).forEach((report: Record<string, unknown>) => {
      if (report.kind !== 'audio' && report.mediaType !== 'audio') return;
      if (report.type === 'inbound-rtp') {
        figures.inboundBytes = Number(report.bytesReceived ?? 0);
        figures.inboundLevel = Number(report.audioLevel ?? 0);
      }
      if (report.type === 'outbound-rtp') figures.outboundBytes = Number(report.bytesSent ?? 0);
    });
    return figures;
  },
};

declare global {
  interface Window {
    callParty: typeof callParty;
  }
}
window.callParty = callParty;
