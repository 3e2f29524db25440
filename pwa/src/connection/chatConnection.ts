import { io } from 'socket.io-client';
import { ProtocolError } from '@callcenter/shared';
import type {
  CallSignalPush,
  CallState,
  ChatMessage,
  CustomerState,
  CustomerToServerEvents,
  EventPayload,
  ReadCursor,
  SessionRevoked,
  TypingPush,
} from '@callcenter/shared';
import { connectAgainLater, request, type ClientSocket, type OkAnswer } from '@callcenter/client';

type CustomerSocket = ClientSocket<CustomerToServerEvents>;
type CustomerEventName = keyof CustomerToServerEvents;

/** What the connection tells the rest of the app. */
export interface ConnectionListener {
  connected(): void;
  disconnected(): void;
  /** The handshake refused the token: it expired or the session was ended elsewhere. */
  tokenRefused(): void;
  customerState(state: CustomerState): void;
  callState(call: CallState): void;
  /** A signal from the other device in this device's call. */
  callSignal(push: CallSignalPush): void;
  message(message: ChatMessage): void;
  /** The agent started or stopped typing. */
  typing(push: TypingPush): void;
  /** A read cursor of the customer's conversation moved (the agent's, or this customer's). */
  read(cursor: ReadCursor): void;
  revoked(info: SessionRevoked): void;
}

/** A handshake the server refused for now (busy, too many connections) is tried again after. */
const RETRY_AFTER_REFUSAL_MS = 3_000;

/**
 * The customer's Socket.IO link: reconnects by itself, never buffers an event while down (the
 * outbox does that for messages; other intents must not fire late), and fails every pending
 * request at once when the link drops instead of letting it wait for its timeout (both are the
 * client core's `request`).
 */
export class ChatConnection {
  private socket: CustomerSocket | null = null;

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
      listener.disconnected();
    });
    socket.on('connect_error', (error) => {
      if (error.message === 'unauthorized') {
        listener.tokenRefused();
        return;
      }
      listener.disconnected();
      // Refused by the server for now (`unavailable`, `rate_limited`).
      connectAgainLater(socket, () => this.socket === socket, RETRY_AFTER_REFUSAL_MS);
    });
    socket.on('customer.state', (state) => {
      listener.customerState(state);
    });
    socket.on('call.state', (call) => {
      listener.callState(call);
    });
    socket.on('call.signal', (push) => {
      listener.callSignal(push);
    });
    socket.on('message.new', (message) => {
      listener.message(message);
    });
    socket.on('chat.typing', (push) => {
      listener.typing(push);
    });
    socket.on('chat.read', (cursor) => {
      listener.read(cursor);
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
  }

  /** Sends one event and resolves with its `ok` ack; rejects with a `ProtocolError`. */
  request<E extends CustomerEventName>(
    event: E,
    payload: EventPayload<CustomerToServerEvents, E>,
  ): Promise<OkAnswer<CustomerToServerEvents, E>> {
    if (this.socket === null)
      return Promise.reject(new ProtocolError('unavailable', 'Not connected to the server.'));
    return request(this.socket, event, payload);
  }
}
