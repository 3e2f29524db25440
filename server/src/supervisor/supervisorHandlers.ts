import type { SupervisorToServerEvents } from '@callcenter/shared';
import {
  conversationIdPayloadSchema,
  emptyPayloadSchema,
  supervisorTransferPayloadSchema,
} from '@callcenter/shared';
import type { SupervisorIdentity } from '../auth/authService';
import type { HandlerTable } from '../socket/eventHandlers';
import type { SupervisorService } from './supervisorService';
import type { Wallboard } from './wallboard';

/** What the supervisor events need: the wallboard, the actions, and the watch rooms. */
export interface Supervision {
  wallboard: Wallboard;
  service: SupervisorService;
  /** Puts a socket in (or out of) a conversation's watchers, who get its `message.new`. */
  watchers: {
    join(socketId: string, conversationId: string): void;
    leave(socketId: string, conversationId: string): void;
  };
}

/** The supervisor's events. Agents and customers have no entry: they are refused `forbidden`. */
export function buildSupervisorHandlers(
  supervision: Supervision,
): HandlerTable<SupervisorToServerEvents, SupervisorIdentity> {
  const { wallboard, service, watchers } = supervision;
  return {
    'wallboard.sync': {
      payload: emptyPayloadSchema,
      session: 'checked-first',
      weight: 'heavy',
      handle: async () => {
        const [snapshot, history] = await Promise.all([wallboard.snapshot(), wallboard.history()]);
        return { snapshot, history };
      },
    },
    'supervisor.watch': {
      payload: conversationIdPayloadSchema,
      session: 'checked-first',
      weight: 'heavy',
      // Joined first: a message stored while the history is read arrives twice, never not at
      // all (the console keeps one per sequence number).
      handle: async (_identity, { conversationId }, socketId) => {
        watchers.join(socketId, conversationId);
        try {
          return await service.watch(conversationId);
        } catch (error) {
          watchers.leave(socketId, conversationId);
          throw error;
        }
      },
    },
    'supervisor.unwatch': {
      payload: conversationIdPayloadSchema,
      session: 'checked-first',
      weight: 'light',
      handle: (_identity, { conversationId }, socketId) => {
        watchers.leave(socketId, conversationId);
        return Promise.resolve({});
      },
    },
    'supervisor.end': {
      payload: conversationIdPayloadSchema,
      session: 'checked-first',
      weight: 'light',
      handle: async (identity, { conversationId }) => ({
        view: await service.end(identity, conversationId),
      }),
    },
    'supervisor.transfer': {
      payload: supervisorTransferPayloadSchema,
      session: 'checked-first',
      weight: 'light',
      handle: async (identity, { conversationId, toAgentId }) => ({
        view: await service.transfer(identity, conversationId, toAgentId),
      }),
    },
  };
}
