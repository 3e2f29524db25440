import type { z } from 'zod';
import type {
  AckBody,
  AckResult,
  AgentToServerEvents,
  CallEvents,
  CustomerToServerEvents,
  ErrorBody,
  EventPayload,
  QueueAlerts,
  SupervisorToServerEvents,
} from '@callcenter/shared';
import {
  ProtocolError,
  agentChatEndPayloadSchema,
  callEndPayloadSchema,
  callIdPayloadSchema,
  callSignalPayloadSchema,
  callStartPayloadSchema,
  agentMessageSendPayloadSchema,
  agentReadPayloadSchema,
  agentTypingPayloadSchema,
  customerReadPayloadSchema,
  customerTypingPayloadSchema,
  agentStatusPayloadSchema,
  cannedDeletePayloadSchema,
  cannedSavePayloadSchema,
  chatTransferPayloadSchema,
  chatTakePayloadSchema,
  chatRatePayloadSchema,
  customerLanguagePayloadSchema,
  customerMessageSendPayloadSchema,
  emptyPayloadSchema,
  sessionSyncPayloadSchema,
} from '@callcenter/shared';
import {
  SessionEndedError,
  type AuthService,
  type PartyIdentity,
  type SessionIdentity,
  type SupervisorIdentity,
} from '../auth/authService';
import { isUnavailable } from '../errors';
import type { Logger } from '../logger';
import type { SocketCounts } from '../metrics/metrics';
import type { CallService } from '../services/callService';
import type { ActivityService } from '../services/activityService';
import type { CannedReplyService } from '../services/cannedReplyService';
import type { ChatService } from '../services/chatService';
import type { MessagingService } from '../services/messagingService';
import type { RatingService } from '../services/ratingService';
import type { Notifier } from './notifier';
import type { Views } from '../services/views';
import type { InFlightTracker } from './inFlight';
import type { BudgetedWork } from './userBudgets';
import type { ChatSocket } from './types';

export interface Services {
  auth: AuthService;
  chat: ChatService;
  messaging: MessagingService;
  views: Views;
  notifier: Notifier;
  calls: CallService;
  canned: CannedReplyService;
  activity: ActivityService;
  ratings: RatingService;
  /** What consoles alert agents with (server settings). */
  queueAlerts: QueueAlerts;
  /** The supervisors' events, built by the supervisor module (see supervisorHandlers.ts). */
  supervisorHandlers: HandlerTable<SupervisorToServerEvents, SupervisorIdentity>;
  /** Error answers and event durations, for the metrics. */
  metrics: SocketCounts;
  /** What follows a logout: the session's sockets closed, its push subscriptions removed. */
  afterLogout: (identity: SessionIdentity) => void;
}

/**
 * How an event checks that its session is still open. Every event first checks its token's
 * expiry, locally; whether the session was revoked (logout, exit, account disabled) is read from
 * Redis, and the entry says when:
 * - `checked-first`: in a round trip of its own, before the payload is parsed;
 * - `checked-with-the-work`: by the handler's own Redis script, in the round trip that does the
 *   work (the handler throws `SessionEndedError` when the script finds the session gone), so
 *   the busiest events cost one round trip less.
 */
export type SessionCheck = 'checked-first' | 'checked-with-the-work';

/**
 * What an event costs from its user's budget: `light` is one event's worth; `heavy` reads a page
 * of history from storage, costs `HEAVY_COST`, and runs one at a time per user.
 */
export type EventWeight = 'light' | 'heavy';

/** One event of a role: its payload schema, its session check, and what answers it. */
export interface EventEntry<Events, E extends keyof Events, I = PartyIdentity> {
  payload: z.ZodType<EventPayload<Events, E>>;
  session: SessionCheck;
  weight: EventWeight;
  /** Resolves with the ok ack's body, the event map's own ack type for `E`. */
  handle: (
    identity: I,
    payload: EventPayload<Events, E>,
    /** The socket it came on: the device, for what is bound to one (a call). */
    socketId: string,
  ) => Promise<AckBody<Events, E>>;
}

/** Exactly one entry per event of the role's event map: none missing, none extra. */
export type HandlerTable<Events, I = PartyIdentity> = {
  readonly [E in keyof Events]-?: EventEntry<Events, E, I>;
};

export interface RoleHandlers {
  customer: HandlerTable<CustomerToServerEvents>;
  agent: HandlerTable<AgentToServerEvents>;
  supervisor: HandlerTable<SupervisorToServerEvents, SupervisorIdentity>;
}

/** An entry with its types erased for dispatch: its payload reaches `handle` through its schema. */
interface DispatchedEntry {
  payload: z.ZodType;
  session: SessionCheck;
  weight: EventWeight;
  handle: (identity: SessionIdentity, payload: unknown, socketId: string) => Promise<object>;
}

function entryOf(table: object, event: string): DispatchedEntry | undefined {
  return Object.hasOwn(table, event)
    ? (table as Readonly<Record<string, DispatchedEntry>>)[event]
    : undefined;
}

/** Parses with a schema first; a payload that does not fit never reaches a service. */
function parse<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ProtocolError('invalid_payload', `${where}${issue?.message ?? 'invalid payload'}`);
  }
  return result.data;
}

/** Built once per server and shared by every socket: a connection keeps no copy of its own. */
export function buildRoleHandlers(services: Services): RoleHandlers {
  const { chat, messaging, views, notifier, auth, calls, canned, activity, queueAlerts } = services;
  const { ratings, afterLogout } = services;
  // The same for both parties: the call service checks who may do what in Redis.
  const callHandlers = {
    'call.start': {
      payload: callStartPayloadSchema,
      session: 'checked-first',
      weight: 'light',
      handle: async (identity, { conversationId }, socketId) => ({
        call: await calls.start({ identity, socketId }, conversationId),
        ice: calls.iceFor(identity),
      }),
    },
    'call.accept': {
      payload: callIdPayloadSchema,
      session: 'checked-first',
      weight: 'light',
      handle: async (identity, { callId }, socketId) => ({
        call: await calls.answer({ identity, socketId }, callId, 'accept'),
        ice: calls.iceFor(identity),
      }),
    },
    'call.decline': {
      payload: callIdPayloadSchema,
      session: 'checked-first',
      weight: 'light',
      handle: async (identity, { callId }, socketId) => ({
        call: await calls.answer({ identity, socketId }, callId, 'decline'),
      }),
    },
    'call.end': {
      payload: callEndPayloadSchema,
      session: 'checked-first',
      weight: 'light',
      handle: async (identity, { callId, reason }) => ({
        call: await calls.end(identity, callId, reason ?? 'hangup'),
      }),
    },
    'call.signal': {
      payload: callSignalPayloadSchema,
      session: 'checked-first',
      weight: 'light',
      handle: async (identity, { callId, signal }, socketId) => {
        await calls.signal({ identity, socketId }, callId, signal);
        return {};
      },
    },
  } satisfies HandlerTable<CallEvents>;
  return {
    supervisor: services.supervisorHandlers,
    customer: {
      'session.sync': {
        payload: sessionSyncPayloadSchema,
        session: 'checked-first',
        weight: 'heavy',
        handle: async (identity, { since }) => {
          const [state, replay] = await Promise.all([
            views.customerState(identity.userId),
            messaging.sync(identity, since),
          ]);
          const [call, reads] = await Promise.all([
            calls.liveIn(state.conversationId),
            activity.readsOf(state.conversationId === null ? [] : [state.conversationId]),
          ]);
          return { state, call, ...replay, reads };
        },
      },
      'chat.request': {
        payload: emptyPayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity) => ({ state: await chat.requestChat(identity) }),
      },
      'chat.end': {
        payload: emptyPayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity) => ({ state: await chat.customerEndChat(identity) }),
      },
      'session.exit': {
        payload: emptyPayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity) => {
          await chat.customerEndChat(identity);
          await auth.logout(identity);
          // After the ack is on its way: this session's sockets are told and closed, and its
          // devices stop getting pushes, as after a logout.
          setImmediate(() => {
            afterLogout(identity);
          });
          return {};
        },
      },
      'message.send': {
        payload: customerMessageSendPayloadSchema,
        // customerSend's first script checks the session with the state and the number.
        session: 'checked-with-the-work',
        weight: 'light',
        handle: async (identity, input) => ({
          message: await messaging.customerSend(identity, input),
        }),
      },
      'chat.typing': {
        payload: customerTypingPayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity, { typing }, socketId) => {
          await activity.typing(identity, null, typing, socketId);
          return {};
        },
      },
      'chat.read': {
        payload: customerReadPayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity, { seq }) => ({ read: await activity.read(identity, null, seq) }),
      },
      'chat.rate': {
        payload: chatRatePayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity, payload) => ({ rating: await ratings.rate(identity, payload) }),
      },
      'customer.language': {
        payload: customerLanguagePayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity, { language }) => {
          await chat.setCustomerLanguage(identity, language);
          return {};
        },
      },
      ...callHandlers,
    },
    agent: {
      'session.sync': {
        payload: sessionSyncPayloadSchema,
        session: 'checked-first',
        weight: 'heavy',
        handle: async (identity, { since }) => {
          // The live state follows the account (capacity) before it is shown.
          await chat.agentAccountChanged(identity.userId);
          const [state, replay, queue] = await Promise.all([
            views.agentState(identity.userId),
            messaging.sync(identity, since),
            notifier.queueSnapshot(),
          ]);
          const team = await notifier.teamSnapshot();
          const held = state.conversations.map((c) => c.conversationId);
          const shown =
            state.conversationId === null || held.includes(state.conversationId)
              ? held
              : [...held, state.conversationId];
          const [call, reads] = await Promise.all([calls.liveInAny(held), activity.readsOf(shown)]);
          return { state, call, ...replay, queue, team, reads, alerts: queueAlerts };
        },
      },
      'chat.start': {
        payload: emptyPayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: (identity) => chat.takeTop(identity),
      },
      'chat.take': {
        payload: chatTakePayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: (identity, { requestId }) => chat.takeRequest(identity, requestId),
      },
      'chat.end': {
        payload: agentChatEndPayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity, { conversationId }) => ({
          state: await chat.agentEndChat(identity, conversationId),
        }),
      },
      'message.send': {
        payload: agentMessageSendPayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity, input) => ({
          message: await messaging.agentSend(identity, input),
        }),
      },
      'chat.typing': {
        payload: agentTypingPayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity, { conversationId, typing }, socketId) => {
          await activity.typing(identity, conversationId, typing, socketId);
          return {};
        },
      },
      'chat.read': {
        payload: agentReadPayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity, { conversationId, seq }) => ({
          read: await activity.read(identity, conversationId, seq),
        }),
      },
      'agent.status': {
        payload: agentStatusPayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity, { status }) => ({
          state: await chat.setStatus(identity, status),
        }),
      },
      'chat.transfer': {
        payload: chatTransferPayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity, { conversationId, toAgentId }) => ({
          state: await chat.transfer(identity, conversationId, toAgentId),
        }),
      },
      'canned.list': {
        payload: emptyPayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity) => ({ replies: await canned.list(identity) }),
      },
      'canned.save': {
        payload: cannedSavePayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity, input) => ({ reply: await canned.save(identity, input) }),
      },
      'canned.delete': {
        payload: cannedDeletePayloadSchema,
        session: 'checked-first',
        weight: 'light',
        handle: async (identity, { id }) => {
          await canned.remove(identity, id);
          return {};
        },
      },
      ...callHandlers,
    },
  };
}

/**
 * A socket's logger, a child of `root` bound to the socket's session, user, role and socket
 * ids, made when first used: an idle socket keeps no logger of its own.
 */
export class SocketLog {
  private child: Logger | undefined;

  constructor(
    readonly root: Logger,
    private readonly bindings: {
      sessionId: string;
      userId: string;
      role: string;
      socketId: string;
    },
  ) {}

  get(): Logger {
    this.child ??= this.root.child(this.bindings);
    return this.child;
  }
}

/**
 * A `heavy` event (a re-sync) reads up to a page of history from storage: it takes this many
 * events' worth of the user's budget (at the default 20 a second, a user may re-sync twice a
 * second).
 */
const HEAVY_COST = 10;

/**
 * Wires a socket's events: rate limit, the role may send this event, the session check its
 * entry declares, parse, call the service, ack. Errors become `{ ok: false, error }`; nothing a client sends
 * can throw past here.
 */
export function registerEventHandlers(
  socket: ChatSocket,
  services: Services,
  handlers: RoleHandlers,
  inFlight: InFlightTracker,
  /** The socket's logger (its lines carry the session, user, role and socket ids). */
  log: SocketLog,
  /** Runs the work within the user's budget, or answers why it was refused. */
  withinBudget: (work: BudgetedWork) => string | undefined,
): void {
  const identity = socket.data.identity;

  socket.onAny((event: string, ...args: unknown[]) => {
    const ack = args.at(-1);
    const arrived = performance.now();
    // Metrics are labeled by the events there are, never by whatever a client sends.
    const known = (Object.keys(handlers) as (keyof RoleHandlers)[]).some(
      (role) => entryOf(handlers[role], event) !== undefined,
    );
    const reply = (result: AckResult): void => {
      const seconds = (performance.now() - arrived) / 1000;
      services.metrics.eventHandled(known ? event : 'unknown', seconds);
      if (!result.ok) services.metrics.errorAnswered('socket', result.error.code);
      if (log.root.isLevelEnabled('debug')) {
        log.get().debug(
          {
            event: known ? event : 'unknown',
            ok: result.ok,
            code: result.ok ? undefined : result.error.code,
            ms: Math.round(seconds * 1000),
          },
          'event answered',
        );
      }
      if (typeof ack === 'function') (ack as (r: AckResult) => void)(result);
    };
    const fail = (error: ErrorBody): void => {
      reply({ ok: false, error });
    };

    // Every event, well-formed or not, is counted against the user's budget; one without an
    // entry for the role costs what a light one does (and is refused when it runs).
    const heavy = entryOf(handlers[identity.role], event)?.weight === 'heavy';
    const refusal = withinBudget({
      run: () => inFlight.track(() => handle(event, args, reply)),
      cost: heavy ? HEAVY_COST : 1,
      heavy,
      stillWanted: () => socket.connected,
      dropped: () => {
        fail({ code: 'unavailable', message: 'The server was too busy to answer in time; retry.' });
      },
    });
    if (refusal !== undefined) fail({ code: 'rate_limited', message: refusal });
  });

  const handle = async (
    event: string,
    args: unknown[],
    reply: (result: AckResult) => void,
  ): Promise<void> => {
    const fail = (error: ErrorBody): void => {
      reply({ ok: false, error });
    };
    const entry = entryOf(handlers[identity.role], event);
    if (!entry) {
      const known =
        entryOf(handlers.customer, event) ??
        entryOf(handlers.agent, event) ??
        entryOf(handlers.supervisor, event);
      fail(
        known
          ? { code: 'forbidden', message: `A ${identity.role} cannot send "${event}".` }
          : { code: 'invalid_payload', message: `Unknown event "${event}".` },
      );
      return;
    }
    if (typeof args.at(-1) !== 'function' || args.length !== 2) {
      fail({
        code: 'invalid_payload',
        message: 'Send exactly one payload and an acknowledgement callback.',
      });
      return;
    }

    try {
      // The one session rule: expiry here, revocation where the entry says (see SessionCheck).
      const sessionOpen =
        entry.session === 'checked-first'
          ? await services.auth.stillValid(identity)
          : services.auth.notExpired(identity);
      if (!sessionOpen) throw new SessionEndedError();
      const result = await entry.handle(identity, parse(entry.payload, args[0]), socket.id);
      reply({ ok: true, ...result });
    } catch (error) {
      if (error instanceof SessionEndedError) {
        fail({ code: error.code, message: error.message });
        socket.emit('session.revoked', { reason: 'expired' });
        socket.disconnect(true);
        return;
      }
      if (error instanceof ProtocolError) {
        fail({ code: error.code, message: error.message });
        return;
      }
      if (isUnavailable(error)) {
        log.get().warn({ err: error, event }, 'storage unavailable');
        fail({ code: 'unavailable', message: 'The service is briefly unavailable; retry.' });
        return;
      }
      log.get().error({ err: error, event }, 'event failed');
      fail({ code: 'internal', message: 'Something went wrong on the server; try again.' });
    }
  };
}
