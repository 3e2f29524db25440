import type { z } from 'zod';
import type { AckResult, ClientEventName, ErrorBody } from '@callcenter/shared';
import {
  CLIENT_EVENT_NAMES,
  ProtocolError,
  agentChatEndPayloadSchema,
  agentMessageSendPayloadSchema,
  chatTakePayloadSchema,
  customerMessageSendPayloadSchema,
  emptyPayloadSchema,
  sessionSyncPayloadSchema,
} from '@callcenter/shared';
import { SessionEndedError, type AuthService, type SessionIdentity } from '../auth/authService';
import { isUnavailable } from '../errors';
import type { Logger } from '../logger';
import type { ChatService } from '../services/chatService';
import type { MessagingService } from '../services/messagingService';
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
}

type Handler = (identity: SessionIdentity, payload: unknown) => Promise<object>;

/**
 * Handlers that check the session is still open themselves, in the same Redis round trip as
 * their own work (throwing SessionEndedError), so the busiest event costs one trip less.
 */
const checksOwnSession = new WeakSet<Handler>();
function checkingOwnSession(handler: Handler): Handler {
  checksOwnSession.add(handler);
  return handler;
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

export type RoleHandlers = Record<'agent' | 'customer', Partial<Record<ClientEventName, Handler>>>;

/** Built once per server and shared by every socket: a connection keeps no copy of its own. */
export function buildRoleHandlers(services: Services): RoleHandlers {
  const { chat, messaging, views, notifier, auth } = services;
  return {
    customer: {
      'session.sync': async (identity, payload) => {
        const { since } = parse(sessionSyncPayloadSchema, payload);
        const [state, replay] = await Promise.all([
          views.customerState(identity.userId),
          messaging.sync(identity, since),
        ]);
        return { state, ...replay };
      },
      'chat.request': async (identity, payload) => {
        parse(emptyPayloadSchema, payload);
        return { state: await chat.requestChat(identity) };
      },
      'chat.end': async (identity, payload) => {
        parse(emptyPayloadSchema, payload);
        return { state: await chat.customerEndChat(identity) };
      },
      'session.exit': async (identity, payload) => {
        parse(emptyPayloadSchema, payload);
        await chat.customerEndChat(identity);
        await auth.logout(identity);
        // After the ack is on its way: this session's sockets are told and closed.
        setImmediate(() => {
          notifier.sessionRevoked(identity, 'logout').catch(() => {
            // The session is gone from Redis: these sockets' next event is refused anyway.
          });
        });
        return {};
      },
      'message.send': checkingOwnSession(async (identity, payload) => {
        const input = parse(customerMessageSendPayloadSchema, payload);
        return { message: await messaging.customerSend(identity, input) };
      }),
    },
    agent: {
      'session.sync': async (identity, payload) => {
        const { since } = parse(sessionSyncPayloadSchema, payload);
        const [state, replay, queue] = await Promise.all([
          views.agentState(identity.userId),
          messaging.sync(identity, since),
          notifier.queueSnapshot(),
        ]);
        return { state, ...replay, queue };
      },
      'chat.start': async (identity, payload) => {
        parse(emptyPayloadSchema, payload);
        return chat.takeTop(identity);
      },
      'chat.take': async (identity, payload) => {
        const { requestId } = parse(chatTakePayloadSchema, payload);
        return chat.takeRequest(identity, requestId);
      },
      'chat.end': async (identity, payload) => {
        const { conversationId } = parse(agentChatEndPayloadSchema, payload);
        return { state: await chat.agentEndChat(identity, conversationId) };
      },
      'message.send': async (identity, payload) => {
        const input = parse(agentMessageSendPayloadSchema, payload);
        return { message: await messaging.agentSend(identity, input) };
      },
    },
  };
}

/**
 * A re-sync reads up to a page of history from storage: it takes this many events' worth of the
 * user's budget (at the default 20 a second, a user may re-sync twice a second).
 */
const SYNC_COST = 10;

function isKnownEvent(event: string): event is ClientEventName {
  return (CLIENT_EVENT_NAMES as readonly string[]).includes(event);
}

/**
 * Wires a socket's events: rate limit, session still valid, the role may send this event,
 * parse, call the service, ack. Errors become `{ ok: false, error }`; nothing a client sends
 * can throw past here.
 */
export function registerEventHandlers(
  socket: ChatSocket,
  services: Services,
  handlers: RoleHandlers,
  inFlight: InFlightTracker,
  logger: Logger,
  /** Runs the work within the user's budget, or answers why it was refused. */
  withinBudget: (work: BudgetedWork) => string | undefined,
): void {
  const identity = socket.data.identity;

  socket.onAny((event: string, ...args: unknown[]) => {
    const ack = args.at(-1);
    const reply = (result: AckResult): void => {
      if (typeof ack === 'function') (ack as (r: AckResult) => void)(result);
    };
    const fail = (error: ErrorBody): void => {
      reply({ ok: false, error });
    };

    // Every event, well-formed or not, is counted against the user's budget.
    const heavy = event === 'session.sync';
    const refusal = withinBudget({
      run: () => inFlight.track(() => handle(event, args, reply)),
      cost: heavy ? SYNC_COST : 1,
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
    if (!isKnownEvent(event)) {
      fail({ code: 'invalid_payload', message: `Unknown event "${event}".` });
      return;
    }
    const handler = handlers[identity.role][event];
    if (!handler) {
      fail({ code: 'forbidden', message: `A ${identity.role} cannot send "${event}".` });
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
      const sessionOpen = checksOwnSession.has(handler)
        ? services.auth.notExpired(identity)
        : await services.auth.stillValid(identity);
      if (!sessionOpen) throw new SessionEndedError();
      const result = await handler(identity, args[0]);
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
        logger.warn({ err: error, event }, 'storage unavailable');
        fail({ code: 'unavailable', message: 'The service is briefly unavailable; retry.' });
        return;
      }
      logger.error(
        { err: error, event, role: identity.role, userId: identity.userId },
        'event failed',
      );
      fail({ code: 'internal', message: 'Something went wrong on the server; try again.' });
    }
  };
}
