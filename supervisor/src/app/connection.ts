import { io } from 'socket.io-client';
import { create } from 'zustand';
import { ProtocolError } from '@callcenter/shared';
import type {
  ChatMessage,
  EventPayload,
  SupervisorToServerEvents,
  WallboardSample,
  WallboardSnapshot,
} from '@callcenter/shared';
import { connectAgainLater, request, type ClientSocket, type OkAnswer } from '@callcenter/client';
import { serverUrl, useSession } from './session';

type SupervisorSocket = ClientSocket<SupervisorToServerEvents>;
type SupervisorEventName = keyof SupervisorToServerEvents;

/** A handshake the server refused for now (busy, too many connections) is tried again after. */
const RETRY_AFTER_REFUSAL_MS = 3_000;

/** The live picture: the wallboard and the charts' samples, as the server pushes them. */
interface LiveStore {
  connection: 'connecting' | 'online' | 'offline';
  snapshot: WallboardSnapshot | null;
  samples: WallboardSample[];
  sampleSeconds: number;
  /** Messages of watched conversations, by conversation, by sequence number (no duplicates). */
  watched: Record<string, Record<number, ChatMessage>>;
}

export const useLive = create<LiveStore>(() => ({
  connection: 'offline',
  snapshot: null,
  samples: [],
  sampleSeconds: 60,
  watched: {},
}));

function applySnapshot(snapshot: WallboardSnapshot): void {
  const current = useLive.getState().snapshot;
  if (current && current.version >= snapshot.version) return;
  useLive.setState({ snapshot });
}

/** Keeps a watched conversation's messages once each, however often they arrive. */
export function addWatchedMessages(conversationId: string, messages: ChatMessage[]): void {
  useLive.setState((state) => {
    const own = { ...(state.watched[conversationId] ?? {}) };
    for (const message of messages) own[message.seq] = message;
    return { watched: { ...state.watched, [conversationId]: own } };
  });
}

export function forgetWatched(conversationId: string): void {
  useLive.setState((state) => ({
    watched: Object.fromEntries(
      Object.entries(state.watched).filter(([id]) => id !== conversationId),
    ),
  }));
}

let socket: SupervisorSocket | null = null;
/** Conversations this console watches: joined again after a reconnect. */
const watching = new Set<string>();

/** Opens the console's socket for the signed-in supervisor; the wallboard follows it. */
export function connect(token: string): void {
  disconnect();
  const link: SupervisorSocket = io(serverUrl, {
    auth: { token },
    transports: ['websocket'],
  });
  socket = link;
  useLive.setState({ connection: 'connecting' });
  link.on('connect', () => {
    useLive.setState({ connection: 'online' });
    void resync(link);
  });
  link.on('disconnect', () => {
    if (socket === link) useLive.setState({ connection: 'connecting' });
  });
  link.on('connect_error', (error) => {
    if (error.message === 'unauthorized') {
      useSession.getState().ended('Your session has ended; sign in again.');
      return;
    }
    connectAgainLater(link, () => socket === link, RETRY_AFTER_REFUSAL_MS);
  });
  link.on('session.revoked', () => {
    useSession.getState().ended('Your session was ended (signed out elsewhere or disabled).');
  });
  link.on('wallboard.snapshot', applySnapshot);
  link.on('wallboard.sample', (sample) => {
    useLive.setState((state) => ({ samples: [...state.samples, sample].slice(-5_000) }));
  });
  link.on('message.new', (message) => {
    if (watching.has(message.conversationId)) {
      addWatchedMessages(message.conversationId, [message]);
    }
  });
}

/** After every (re)connect: the whole wallboard and history again, and the watched rooms. */
async function resync(link: SupervisorSocket): Promise<void> {
  try {
    const { snapshot, history } = await request(link, 'wallboard.sync', {});
    useLive.setState({ samples: history.samples, sampleSeconds: history.intervalSeconds });
    applySnapshot(snapshot);
    for (const conversationId of watching) {
      const { messages } = await request(link, 'supervisor.watch', { conversationId });
      addWatchedMessages(conversationId, messages);
    }
  } catch {
    // The next reconnect tries again; the screen says the connection is not live.
  }
}

export function disconnect(): void {
  const link = socket;
  socket = null;
  link?.disconnect();
  useLive.setState({ connection: 'offline', snapshot: null, samples: [], watched: {} });
  watching.clear();
}

/** Sends a supervisor event and resolves with its ok answer; rejects with the server's error. */
export async function send<E extends SupervisorEventName>(
  event: E,
  payload: EventPayload<SupervisorToServerEvents, E>,
): Promise<OkAnswer<SupervisorToServerEvents, E>> {
  if (!socket?.connected) {
    throw new ProtocolError('unavailable', 'Not connected to the server; retrying.');
  }
  return request(socket, event, payload);
}

/** Opens a conversation read-only: its history now, then its messages as they come. */
export async function watch(
  conversationId: string,
): Promise<OkAnswer<SupervisorToServerEvents, 'supervisor.watch'>> {
  watching.add(conversationId);
  try {
    const answer = await send('supervisor.watch', { conversationId });
    addWatchedMessages(conversationId, answer.messages);
    return answer;
  } catch (error) {
    watching.delete(conversationId);
    throw error;
  }
}

export function unwatch(conversationId: string): void {
  watching.delete(conversationId);
  forgetWatched(conversationId);
  if (socket?.connected)
    void request(socket, 'supervisor.unwatch', { conversationId }).catch(() => undefined);
}
