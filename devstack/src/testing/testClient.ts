import { io, type Socket } from 'socket.io-client';
import type { AckResult, ServerToClientEvents } from '@callcenter/shared';
import type { TestAccount, TestStack } from './testStack';

type ServerEventName = keyof ServerToClientEvents;
type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

export interface RecordedEvent {
  name: ServerEventName;
  payload: unknown;
}

const DEFAULT_WAIT_MS = 10_000;

/**
 * A real Socket.IO client that records every server event, so a test can wait for an event
 * whether it already arrived or is still to come.
 */
export class TestClient {
  readonly events: RecordedEvent[] = [];
  private listeners: (() => void)[] = [];

  private constructor(
    readonly socket: Socket,
    readonly account: TestAccount | undefined,
    readonly token: string,
  ) {
    socket.onAny((name: string, payload: unknown) => {
      this.events.push({ name: name as ServerEventName, payload });
      for (const listener of [...this.listeners]) listener();
    });
  }

  /** Logs in over HTTP and connects with the token; resolves once connected. */
  static async login(stack: TestStack, account: TestAccount, url = stack.url): Promise<TestClient> {
    const { token } = await stack.login(account, url);
    return TestClient.connect(url, token, account);
  }

  /** Connects with a token; WebSocket only unless `transports` says otherwise. */
  static connect(
    url: string,
    token: string,
    account?: TestAccount,
    transports: ('polling' | 'websocket')[] = ['websocket'],
  ): Promise<TestClient> {
    const socket = io(url, {
      auth: { token },
      transports,
      reconnection: false,
      forceNew: true,
    });
    const client = new TestClient(socket, account, token);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        resolve(client);
      });
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
  }

  /** Sends an event and resolves with its ack. */
  async request<T extends object = Record<string, unknown>>(
    event: string,
    payload: unknown = {},
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<AckResult<T>> {
    return (await this.socket.timeout(timeoutMs).emitWithAck(event, payload)) as AckResult<T>;
  }

  /** Like request, but fails the test unless the ack is ok. */
  async requestOk<T extends object = Record<string, unknown>>(
    event: string,
    payload: unknown = {},
  ): Promise<{ ok: true } & T> {
    const result = await this.request<T>(event, payload);
    if (!result.ok)
      throw new Error(`${event} failed: ${result.error.code} ${result.error.message}`);
    return result;
  }

  /** Index of the next event to arrive; pass to waitFor to ignore earlier ones. */
  mark(): number {
    return this.events.length;
  }

  received<E extends ServerEventName>(name: E, from = 0): ServerEventPayload<E>[] {
    return this.events
      .slice(from)
      .filter((event) => event.name === name)
      .map((event) => event.payload as ServerEventPayload<E>);
  }

  /** Resolves with the first event `name` at or after `from` that matches. */
  waitFor<E extends ServerEventName>(
    name: E,
    predicate: (payload: ServerEventPayload<E>) => boolean = () => true,
    from = 0,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<ServerEventPayload<E>> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.received(name, from).find(predicate);
        if (found === undefined) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${name} (${this.account?.login ?? 'client'})`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((listener) => listener !== onEvent);
      };
      const onEvent = (): void => {
        check();
      };
      this.listeners.push(onEvent);
      check();
    });
  }

  /** Resolves when the server closes this connection. */
  waitForDisconnect(timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    if (this.socket.disconnected) return Promise.resolve('already disconnected');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('timed out waiting for disconnect'));
      }, timeoutMs);
      this.socket.once('disconnect', (reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}
