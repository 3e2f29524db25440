// Bundled into a test page (see callAudio.test.ts): one device of a call, as an app would run it,
// with the client core's request and CallMedia, driven by the test through `window.callParty`.
import { io } from 'socket.io-client';
import { request, type ClientSocket } from '@callcenter/client';
import { CallMediaSlot, type CallMedia } from '@callcenter/client/media';
import type { AgentToServerEvents, CallState } from '@callcenter/shared';

export interface AudioFigures {
  /** Audio bytes received, and the level of what is received (0..1). */
  inboundBytes: number;
  inboundLevel: number;
  outboundBytes: number;
}

let socket: ClientSocket<AgentToServerEvents> | null = null;
// Signals that come before this side's microphone is open wait in the slot.
const slot = new CallMediaSlot();
let current: CallState | null = null;
let offerer = false;

function requireSocket(): ClientSocket<AgentToServerEvents> {
  if (!socket) throw new Error('not connected');
  return socket;
}

async function openMedia(call: CallState, ice: Parameters<typeof CallMedia.open>[0]['ice']) {
  const media = await slot.open({
    ice,
    offerer,
    sendSignal: async (signal) => {
      await request(requireSocket(), 'call.signal', { callId: call.callId, signal });
    },
    onRemoteStream: (stream) => {
      // Played, so the browser decodes it (and reports its level).
      const audio = new Audio();
      audio.srcObject = stream;
      void audio.play().catch(() => undefined);
    },
    onFailed: () => {
      void request(requireSocket(), 'call.end', { callId: call.callId, reason: 'failed' });
    },
  });
  if (offerer && current?.state === 'established') await media.start();
}

const callParty = {
  async connect(url: string, token: string): Promise<void> {
    const opened: ClientSocket<AgentToServerEvents> = io(url, {
      auth: { token },
      transports: ['websocket'],
    });
    socket = opened;
    opened.on('call.state', (call) => {
      const wasEstablished = current?.state === 'established';
      current = call;
      if (call.state === 'established' && !wasEstablished && offerer) void slot.current?.start();
      if (call.state === 'ended') slot.close();
    });
    opened.on('call.signal', ({ signal }) => {
      void slot.receive(signal);
    });
    await new Promise<void>((resolve, reject) => {
      opened.once('connect', () => {
        resolve();
      });
      opened.once('connect_error', reject);
    });
  },
  async start(conversationId: string): Promise<string> {
    offerer = true;
    const { call, ice } = await request(requireSocket(), 'call.start', { conversationId });
    current = call;
    await openMedia(call, ice);
    return call.callId;
  },
  async accept(callId: string): Promise<void> {
    offerer = false;
    const { call, ice } = await request(requireSocket(), 'call.accept', { callId });
    current = call;
    await openMedia(call, ice);
  },
  mute(muted: boolean): void {
    slot.current?.setMuted(muted);
  },
  async hangUp(): Promise<void> {
    if (current) await request(requireSocket(), 'call.end', { callId: current.callId });
  },
  callState(): string | null {
    return current?.state ?? null;
  },
  async audio(): Promise<AudioFigures> {
    const figures: AudioFigures = { inboundBytes: 0, inboundLevel: 0, outboundBytes: 0 };
    const media = slot.current;
    if (!media) return figures;
    (await media.stats()).forEach((report: Record<string, unknown>) => {
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
