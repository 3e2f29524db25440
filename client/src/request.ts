import type { Socket } from 'socket.io-client';
import { ProtocolError } from '@callcenter/shared';
import type {
  Ack,
  AckBody,
  AckResult,
  AgentToServerEvents,
  CustomerToServerEvents,
  EventPayload,
  ServerToClientEvents,
  SupervisorToServerEvents,
} from '@callcenter/shared';

/** How long a request waits for its ack; then its outcome is unknown (every event is safe to retry). */
export const ACK_TIMEOUT_MS = 10_000;

/** The ack body of event `E`; for a union of events, any of theirs. */
export type AckBodyOf<Events, E> = E extends keyof Events ? AckBody<Events, E> : never;

/**
 * Either role's events, for clients that speak for both (the test client, the load generators):
 * any payload (a test also sends what the server must refuse), and the ack of either role.
 */
export type AnyRoleEvents = {
  [
    E in keyof CustomerToServerEvents | keyof AgentToServerEvents | keyof SupervisorToServerEvents
  ]: (
    payload: unknown,
    ack: Ack<
      | AckBodyOf<CustomerToServerEvents, E>
      | AckBodyOf<AgentToServerEvents, E>
      | AckBodyOf<SupervisorToServerEvents, E>
    >,
  ) => void;
};

/** The event maps a client may speak: a role's, or `AnyRoleEvents`. */
export type ClientEvents =
  CustomerToServerEvents | AgentToServerEvents | SupervisorToServerEvents | AnyRoleEvents;

/** A client's socket, typed by the shared event maps. */
export type ClientSocket<Events extends ClientEvents> = Socket<ServerToClientEvents, Events>;

/** The `{ ok: true, ... }` answer of event `E`. */
export type OkAnswer<Events extends ClientEvents, E extends keyof Events> = {
  ok: true;
} & AckBodyOf<Events, E>;

const notConnected = (): ProtocolError =>
  new ProtocolError('unavailable', 'Not connected to the server.');

/**
 * Sends one event and resolves with its ack, `ok` or not. Rejects with an `unavailable`
 * `ProtocolError` when there is no answer: not connected (never buffered, so an intent cannot
 * fire late), the link dropped while waiting (Socket.IO fails the ack at once), or time-out.
 */
export function ask<Events extends ClientEvents, E extends keyof Events & string>(
  socket: ClientSocket<Events>,
  event: E,
  payload: EventPayload<Events, E>,
  timeoutMs = ACK_TIMEOUT_MS,
): Promise<AckResult<AckBodyOf<Events, E>>> {
  if (!socket.connected) return Promise.reject(notConnected());
  // Socket.IO's typed `emit` resolves its overloads from a literal event name and cannot follow
  // the generic `E`; the signature below is what `E`'s entry in the map already promises.
  const emitter = socket.timeout(timeoutMs) as unknown as {
    emit(
      event: E,
      payload: EventPayload<Events, E>,
      ack: (error: Error | null, answer: AckResult<AckBodyOf<Events, E>>) => void,
    ): void;
  };
  return new Promise((resolve, reject) => {
    emitter.emit(event, payload, (error, answer) => {
      if (error === null) resolve(answer);
      else if (socket.connected)
        reject(new ProtocolError('unavailable', 'The server did not answer in time.'));
      else reject(notConnected());
    });
  });
}

/**
 * Sends one event and resolves with its `ok` answer, typed by the event map. Rejects with a
 * `ProtocolError`: the server's code on an `{ ok: false }` ack, `unavailable` without an answer.
 */
export async function request<Events extends ClientEvents, E extends keyof Events & string>(
  socket: ClientSocket<Events>,
  event: E,
  payload: EventPayload<Events, E>,
  timeoutMs = ACK_TIMEOUT_MS,
): Promise<OkAnswer<Events, E>> {
  const answer = await ask(socket, event, payload, timeoutMs);
  if (!answer.ok) throw new ProtocolError(answer.error.code, answer.error.message);
  return answer;
}
