import type { Socket } from 'socket.io-client';
import { connectSocket } from '../sockets';
import type { z } from 'zod';
import {
  agentAckSchemas,
  customerAckSchemas,
  refusalAckSchema,
  serverEventSchemas,
  supervisorAckSchemas,
} from '@callcenter/shared';
import type {
  AckResult,
  AgentToServerEvents,
  CustomerToServerEvents,
  EmptyPayload,
  AccountRole,
  EventPayload,
  ServerToClientEvents,
  SupervisorToServerEvents,
} from '@callcenter/shared';
import {
  ask,
  type AckBodyOf,
  type AnyRoleEvents,
  type ClientSocket,
  type OkAnswer,
} from '@callcenter/client';
import type { TestAccount, TestStack } from './testStack';

type ServerEventName = keyof ServerToClientEvents;
type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** An event of either role. */
export type ClientEventName = keyof AnyRoleEvents;

type PayloadOf<Events, E> = E extends keyof Events ? EventPayload<Events, E> : never;

/** What any role may send with event `E`: the customer's, the agent's or the supervisor's. */
export type AnyRolePayload<E extends ClientEventName> =
  | PayloadOf<CustomerToServerEvents, E>
  | PayloadOf<AgentToServerEvents, E>
  | PayloadOf<SupervisorToServerEvents, E>;

/** The payload argument of event `E`: optional where `{}` is a valid payload (then sent). */
type PayloadArg<E extends ClientEventName> =
  EmptyPayload extends AnyRolePayload<E>
    ? [payload?: AnyRolePayload<E>]
    : [payload: AnyRolePayload<E>];

/** The answer to event `E`, ok (either role's ack body) or not. */
export type AnyRoleAnswer<E extends ClientEventName> = AckResult<AckBodyOf<AnyRoleEvents, E>>;

const ACK_SCHEMAS: Record<AccountRole, Partial<Record<ClientEventName, z.ZodType>>> = {
  customer: customerAckSchemas,
  agent: agentAckSchemas,
  supervisor: supervisorAckSchemas,
};

function isServerEvent(event: string): event is ServerEventName {
  return event in serverEventSchemas;
}

export interface RecordedEvent {
  name: ServerEventName;
  payload: unknown;
}

const DEFAULT_WAIT_MS = 10_000;

/**
 * A real Socket.IO client that records every server event, so a test can wait for an event
 * whether it already arrived or is still to come. What the server sends is checked against the
 * shared schemas: an ack or a pushed event of another shape fails the test that reads it.
 */
export class TestClient {
  readonly events: RecordedEvent[] = [];
  /** Pushed events that broke the protocol; reading events throws the first. */
  private readonly violations: Error[] = [];
  private listeners: (() => void)[] = [];

  private constructor(
    private readonly link: ClientSocket<AnyRoleEvents>,
    readonly account: TestAccount | undefined,
    readonly token: string,
  ) {
    link.onAny((name: string, payload: unknown) => {
      const problem = isServerEvent(name)
        ? serverEventSchemas[name].safeParse(payload).error
        : new Error('no such event');
      if (problem) this.violations.push(new Error(`server event ${name}: ${problem.message}`));
      else this.events.push({ name: name as ServerEventName, payload });
      for (const listener of [...this.listeners]) listener();
    });
  }

  /** The raw socket, for what the protocol does not allow (events without an ack, floods). */
  get socket(): Socket {
    return this.link;
  }

  /** Logs in over HTTP and connects with the token; resolves once connected. */
  static async login(stack: TestStack, account: TestAccount, url = stack.url): Promise<TestClient> {
    const { token } = await stack.login(account, url);
    return TestClient.connect(url, token, account);
  }

  /** Connects with a token; WebSocket only unless `transports` says otherwise. */
  static async connect(
    url: string,
    token: string,
    account?: TestAccount,
    transports: ('polling' | 'websocket')[] = ['websocket'],
  ): Promise<TestClient> {
    return new TestClient(
      await connectSocket<AnyRoleEvents>(url, token, { transports }),
      account,
      token,
    );
  }

  /**
   * Sends an event and resolves with its ack, once it matches the protocol (the role's ack
   * schema, or a refusal). Typed by the shared event maps: the payload is either role's payload
   * of `event` (optional where `{}` is one, then sent), the ok body either role's ack. Rejects
   * with an `unavailable` `ProtocolError` when no ack comes: not connected, link dropped or
   * time-out. For what the protocol does not allow, see `requestRaw`.
   */
  request<E extends ClientEventName>(
    event: E,
    ...args: [...PayloadArg<E>, timeoutMs?: number]
  ): Promise<AnyRoleAnswer<E>> {
    // TypeScript cannot index a tuple that starts with a generic spread; its shape is this.
    const [payload, timeoutMs] = args as unknown as [unknown?, number?];
    return this.requestRaw(event, payload, timeoutMs);
  }

  /** Like request, but fails the test unless the ack is ok. */
  async requestOk<E extends ClientEventName>(
    event: E,
    ...[payload]: PayloadArg<E>
  ): Promise<OkAnswer<AnyRoleEvents, E>> {
    const answer = await this.requestRaw(event, payload);
    if (!answer.ok)
      throw new Error(`${event} failed: ${answer.error.code} ${answer.error.message}`);
    return answer;
  }

  /**
   * Like request, for what the protocol does not allow: any payload, and any event name (the
   * server must refuse one it does not know). The ack is checked all the same, and typed by the
   * event where it is one of the protocol's.
   */
  requestRaw<E extends ClientEventName>(
    event: E,
    payload?: unknown,
    timeoutMs?: number,
  ): Promise<AnyRoleAnswer<E>>;
  requestRaw(
    event: string,
    payload?: unknown,
    timeoutMs?: number,
  ): Promise<AckResult<Record<string, unknown>>>;
  async requestRaw(
    event: string,
    payload: unknown = {},
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<AckResult> {
    // Any event of either role, or of none (which the server must refuse, as checkAck requires):
    // its ack is one of several bodies, told apart by checkAck.
    const name = event as ClientEventName;
    const answer: AckResult = await ask(this.link, name, payload, timeoutMs);
    this.checkAck(name, answer);
    return answer;
  }

  /** Throws unless `answer` is a refusal or the ok ack of `event` for this client's role. */
  private checkAck(event: ClientEventName, answer: AckResult): void {
    if (refusalAckSchema.safeParse(answer).success) return;
    // A client connected with a bare token may be of either role.
    const roles: AccountRole[] = this.account
      ? [this.account.role]
      : ['customer', 'agent', 'supervisor'];
    const problems = roles.map((role) => {
      const schema = ACK_SCHEMAS[role][event];
      if (!answer.ok || !schema) return `not an ok ack of a ${role}`;
      return schema.safeParse(answer).error?.message;
    });
    if (problems.includes(undefined)) return;
    throw new Error(`the ack of ${event} breaks the protocol: ${problems.join('; ')}`);
  }

  /** Index of the next event to arrive; pass to waitFor to ignore earlier ones. */
  mark(): number {
    return this.events.length;
  }

  received<E extends ServerEventName>(name: E, from = 0): ServerEventPayload<E>[] {
    const violation = this.violations[0];
    if (violation) throw violation;
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
        const violation = this.violations[0];
        if (violation) {
          cleanup();
          reject(violation);
          return true;
        }
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

/** An agent's `session.sync` answer, with the queue; throws if `answer` is a customer's. */
export function asAgentSync(
  answer: OkAnswer<AnyRoleEvents, 'session.sync'>,
): OkAnswer<AgentToServerEvents, 'session.sync'> {
  if (!('queue' in answer)) throw new Error("not an agent's session.sync answer");
  return answer;
}
