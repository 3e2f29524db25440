import { ProtocolError } from '@callcenter/shared';
import type { AckResult, AgentToServerEvents, ServerToClientEvents } from '@callcenter/shared';
import { io, type Socket } from 'socket.io-client';

/** The agent's socket, typed by the shared event maps. */
export type AgentSocket = Socket<ServerToClientEvents, AgentToServerEvents>;

type AgentEventName = keyof AgentToServerEvents;
type PayloadOf<E extends AgentEventName> = Parameters<AgentToServerEvents[E]>[0];
type AckOf<E extends AgentEventName> = Parameters<Parameters<AgentToServerEvents[E]>[1]>[0];
/** The `{ ok: true, ... }` answer of event `E`. */
export type OkAnswer<E extends AgentEventName> = Extract<AckOf<E>, { ok: true }>;

const ACK_TIMEOUT_MS = 10_000;

/** Opens the socket: websocket only (the server's documented transport), token in the handshake. */
export function openAgentSocket(serverUrl: string, token: string): AgentSocket {
  return io(serverUrl, {
    transports: ['websocket'],
    auth: { token },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    // A connection attempt that hangs (half-open network) is given up sooner than the default 20 s.
    timeout: 8_000,
  });
}

interface AckEmitter {
  emitWithAck: (event: string, payload: unknown) => Promise<unknown>;
}

/**
 * Sends one event and waits for its ack. Resolves with the ok answer; rejects with a
 * `ProtocolError`: the server's code, or `unavailable` when no answer came in time (unknown
 * outcome: every event is safe to retry, see the protocol's delivery section).
 */
export async function request<E extends AgentEventName>(
  socket: AgentSocket,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs = ACK_TIMEOUT_MS,
): Promise<OkAnswer<E>> {
  // socket.io's typings cannot follow a generic event name through `timeout()`.
  const emitter = socket.timeout(timeoutMs) as unknown as AckEmitter;
  let answer: AckResult;
  try {
    answer = (await emitter.emitWithAck(event, payload)) as AckResult;
  } catch {
    throw new ProtocolError('unavailable', 'The server did not answer in time.');
  }
  if (!answer.ok) throw new ProtocolError(answer.error.code, answer.error.message);
  return answer as OkAnswer<E>;
}
