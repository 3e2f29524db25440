import { io, type Socket } from 'socket.io-client';
import { ProtocolError } from '@callcenter/shared';
import type {
  Ack,
  AckResult,
  ChatMessage,
  CustomerState,
  CustomerToServerEvents,
  ServerToClientEvents,
  SessionRevoked,
} from '@callcenter/shared';

type CustomerSocket = Socket<ServerToClientEvents, CustomerToServerEvents>;
type CustomerEventName = keyof CustomerToServerEvents;
type PayloadOf<E extends CustomerEventName> = Parameters<CustomerToServerEvents[E]>[0];
/** The fields of an `ok` ack of event `E`. */
export type AnswerOf<E extends CustomerEventName> =
  Parameters<CustomerToServerEvents[E]>[1] extends Ack<infer T> ? T : never;

// The typed `emit` cannot be called with a generic event name; `request` keeps the typing.
interface LooseEmitter {
  emit(event: string, payload: unknown, ack: (error: Error | null, result: unknown) => void): void;
}

/** What the connection tells the rest of the app. */
export interface ConnectionListener {
  connected(): void;
  disconnected(): void;
  /** The handshake refused the token: it expired or the session was ended elsewhere. */
  tokenRefused(): void;
  customerState(state: CustomerState): void;
  message(message: ChatMessage): void;
  revoked(info: SessionRevoked): void;
}

/** An unanswered event counts as "outcome unknown"; every customer event is safe to retry. */
export const ACK_TIMEOUT_MS = 10_000;
/** A handshake the server refused for now (busy, too many connections) is tried again after. */
const RETRY_AFTER_REFUSAL_MS = 3_000;

const notConnected = (): ProtocolError =>
  new ProtocolError('unavailable', 'Not connected to the server.');

/**
 * The customer's Socket.IO link: reconnects by itself, never buffers an event while down (the
 * outbox does that for messages; other intents must not fire late), and fails every pending
 * request at once when the link drops instead of letting it wait for its timeout.
 */
export class ChatConnection {
  private socket: CustomerSocket | null = null;
  private readonly pending = new Set<(error: ProtocolError) => void>();

  constructor(private readonly serverUrl: string) {}

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  open(token: string, listener: ConnectionListener): void {
    this.close();
    const socket: CustomerSocket = io(this.serverUrl, {
      auth: { token },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 3_000,
    });
    socket.on('connect', () => {
      listener.connected();
    });
    socket.on('disconnect', () => {
      this.failPending();
      listener.disconnected();
    });
    socket.on('connect_error', (error) => {
      if (error.message === 'unauthorized') {
        listener.tokenRefused();
        return;
      }
      listener.disconnected();
      // Refused by the server for now (`unavailable`, `rate_limited`): Socket.IO does not
      // retry a refusal by itself.
      if (!socket.active) {
        setTimeout(() => {
          if (this.socket === socket && !socket.active) socket.connect();
        }, RETRY_AFTER_REFUSAL_MS);
      }
    });
    socket.on('customer.state', (state) => {
      listener.customerState(state);
    });
    socket.on('message.new', (message) => {
      listener.message(message);
    });
    socket.on('session.revoked', (info) => {
      listener.revoked(info);
    });
    this.socket = socket;
  }

  /** After the browser says the network is back: try now rather than at the next back-off. */
  reconnectNow(): void {
    const socket = this.socket;
    if (socket === null || socket.connected) return;
    socket.disconnect();
    socket.connect();
  }

  close(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket !== null) {
      socket.removeAllListeners();
      socket.disconnect();
    }
    this.failPending();
  }

  /** Sends one event and resolves with its `ok` ack; rejects with a `ProtocolError`. */
  request<E extends CustomerEventName>(event: E, payload: PayloadOf<E>): Promise<AnswerOf<E>> {
    const socket = this.socket;
    if (socket === null || !socket.connected) return Promise.reject(notConnected());
    return new Promise((resolve, reject) => {
      const fail = (error: ProtocolError): void => {
        this.pending.delete(fail);
        reject(error);
      };
      this.pending.add(fail);
      const emitter = socket.timeout(ACK_TIMEOUT_MS) as unknown as LooseEmitter;
      emitter.emit(event, payload, (error, result) => {
        if (!this.pending.has(fail)) return;
        this.pending.delete(fail);
        if (error !== null) {
          reject(new ProtocolError('unavailable', 'The server did not answer in time.'));
          return;
        }
        const ack = result as AckResult<AnswerOf<E>>;
        if (ack.ok) resolve(ack);
        else reject(new ProtocolError(ack.error.code, ack.error.message));
      });
    });
  }

  private failPending(): void {
    for (const fail of [...this.pending]) fail(notConnected());
  }
}
