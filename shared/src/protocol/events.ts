import type {
  CallEndPayload,
  CallIdPayload,
  CallSignalPayload,
  CallSignalPush,
  CallStartPayload,
  CallState,
  IceConfig,
} from './calls';
import type {
  CannedChanged,
  CannedDeletePayload,
  CannedListResult,
  CannedReply,
  CannedSavePayload,
} from './canned';
import type {
  AgentReadPayload,
  AgentTypingPayload,
  CustomerReadPayload,
  CustomerTypingPayload,
  ReadCursor,
  TypingPush,
} from './activity';
import type { ErrorBody } from './errors';
import type { ChatRatePayload, ConversationRating } from './rating';
import type {
  ConversationIdPayload,
  SupervisorTransferPayload,
  WallboardHistory,
  WallboardSample,
  WallboardSnapshot,
  WatchView,
} from './supervisor';
import type {
  AgentChatEndPayload,
  AgentMessageSendPayload,
  AgentState,
  AgentStatusPayload,
  ChatMessage,
  ChatStartResult,
  ChatTakePayload,
  ChatTransferPayload,
  CustomerLanguagePayload,
  CustomerMessageSendPayload,
  CustomerState,
  EmptyPayload,
  QueueSnapshot,
  SessionRevoked,
  SessionSyncPayload,
  QueueAlerts,
  TeamSnapshot,
} from './schemas';

/** Every client -> server event answers through an ack of this shape. */
export type AckResult<T extends object = object> =
  ({ ok: true } & T) | { ok: false; error: ErrorBody };

export type Ack<T extends object = object> = (result: AckResult<T>) => void;

export interface SyncResult<S> {
  state: S;
  /** The call ringing or established in the user's conversation, if any. */
  call: CallState | null;
  messages: ChatMessage[];
  cursor: number;
  hasMore: boolean;
  /** How far each side has read the user's conversations (the customer's current one; those an agent holds). */
  reads: ReadCursor[];
}

/** Call events, the same for both parties of a conversation (see `calls.ts`). */
export interface CallEvents {
  'call.start': (payload: CallStartPayload, ack: Ack<{ call: CallState; ice: IceConfig }>) => void;
  'call.accept': (payload: CallIdPayload, ack: Ack<{ call: CallState; ice: IceConfig }>) => void;
  'call.decline': (payload: CallIdPayload, ack: Ack<{ call: CallState }>) => void;
  'call.end': (payload: CallEndPayload, ack: Ack<{ call: CallState }>) => void;
  /** Relayed to the other party's device in the call only. */
  'call.signal': (payload: CallSignalPayload, ack: Ack) => void;
}

/** Events a customer's client sends. */
export interface CustomerToServerEvents extends CallEvents {
  'session.sync': (payload: SessionSyncPayload, ack: Ack<SyncResult<CustomerState>>) => void;
  'chat.request': (payload: EmptyPayload, ack: Ack<{ state: CustomerState }>) => void;
  'chat.end': (payload: EmptyPayload, ack: Ack<{ state: CustomerState }>) => void;
  'session.exit': (payload: EmptyPayload, ack: Ack) => void;
  'message.send': (payload: CustomerMessageSendPayload, ack: Ack<{ message: ChatMessage }>) => void;
  /** Relayed to the agent of the customer's conversation; never stored. */
  'chat.typing': (payload: CustomerTypingPayload, ack: Ack) => void;
  /** Moves the customer's read cursor in its conversation forward. */
  'chat.read': (payload: CustomerReadPayload, ack: Ack<{ read: ReadCursor }>) => void;
  /** Rates (or skips rating) the customer's ended conversation; once per conversation. */
  'chat.rate': (payload: ChatRatePayload, ack: Ack<{ rating: ConversationRating }>) => void;
  /** The language the app shows, kept on the account for the agent's Customer Info. */
  'customer.language': (payload: CustomerLanguagePayload, ack: Ack) => void;
}

/** Events an agent's client sends. */
export interface AgentToServerEvents extends CallEvents {
  'session.sync': (
    payload: SessionSyncPayload,
    ack: Ack<
      SyncResult<AgentState> & { queue: QueueSnapshot; team: TeamSnapshot; alerts: QueueAlerts }
    >,
  ) => void;
  'chat.start': (payload: EmptyPayload, ack: Ack<ChatStartResult>) => void;
  'chat.take': (payload: ChatTakePayload, ack: Ack<ChatStartResult>) => void;
  'chat.end': (payload: AgentChatEndPayload, ack: Ack<{ state: AgentState }>) => void;
  'message.send': (payload: AgentMessageSendPayload, ack: Ack<{ message: ChatMessage }>) => void;
  /** Relayed to the customer of one of the agent's conversations; never stored. */
  'chat.typing': (payload: AgentTypingPayload, ack: Ack) => void;
  /** Moves the agent's read cursor in one of its conversations forward. */
  'chat.read': (payload: AgentReadPayload, ack: Ack<{ read: ReadCursor }>) => void;
  /** Available or away; kept on the server for every session of the agent. */
  'agent.status': (payload: AgentStatusPayload, ack: Ack<{ state: AgentState }>) => void;
  /** Hands a conversation to a colleague with room, or (no `toAgentId`) back to the queue's front. */
  'chat.transfer': (payload: ChatTransferPayload, ack: Ack<{ state: AgentState }>) => void;
  /** The shared canned replies and the agent's own. */
  'canned.list': (payload: EmptyPayload, ack: Ack<CannedListResult>) => void;
  /** Creates (no `id`) or updates one of the agent's own canned replies. */
  'canned.save': (payload: CannedSavePayload, ack: Ack<{ reply: CannedReply }>) => void;
  /** Deletes one of the agent's own canned replies. */
  'canned.delete': (payload: CannedDeletePayload, ack: Ack) => void;
}

/** Events a supervisor's console sends (never a chat party's). */
export interface SupervisorToServerEvents {
  /** The wallboard now and the queue's history for its charts. */
  'wallboard.sync': (
    payload: EmptyPayload,
    ack: Ack<{ snapshot: WallboardSnapshot; history: WallboardHistory }>,
  ) => void;
  /** Opens a conversation read-only: its history now, then its new messages as `message.new`. */
  'supervisor.watch': (
    payload: ConversationIdPayload,
    ack: Ack<{ view: WatchView; messages: ChatMessage[] }>,
  ) => void;
  'supervisor.unwatch': (payload: ConversationIdPayload, ack: Ack) => void;
  /** Ends an active conversation for both parties (recorded with who and when). */
  'supervisor.end': (payload: ConversationIdPayload, ack: Ack<{ view: WatchView }>) => void;
  /** Hands an active conversation to an agent with room, or (no `toAgentId`) to the queue's front. */
  'supervisor.transfer': (
    payload: SupervisorTransferPayload,
    ack: Ack<{ view: WatchView }>,
  ) => void;
}

/** Events the server pushes. Agents get `queue.snapshot` and `agent.state`; customers `customer.state`. */
export interface ServerToClientEvents {
  'queue.snapshot': (snapshot: QueueSnapshot) => void;
  'customer.state': (state: CustomerState) => void;
  'agent.state': (state: AgentState) => void;
  /** To the other party of a conversation: this one started or stopped typing. */
  'chat.typing': (push: TypingPush) => void;
  /** To both parties (every session): a read cursor moved. */
  'chat.read': (read: ReadCursor) => void;
  /** To agents: every colleague's status and load, when one changes. */
  'team.snapshot': (snapshot: TeamSnapshot) => void;
  'message.new': (message: ChatMessage) => void;
  'session.revoked': (info: SessionRevoked) => void;
  /** To every session of both parties of the call. */
  'call.state': (call: CallState) => void;
  /** To the other party's device in the call. */
  'call.signal': (push: CallSignalPush) => void;
  /** To agents: a set of canned replies changed (shared: every agent; own: that agent's sessions). */
  'canned.changed': (change: CannedChanged) => void;
  /** To supervisors: the call center changed (at most about once a second). */
  'wallboard.snapshot': (snapshot: WallboardSnapshot) => void;
  /** To supervisors: a new point for the charts. */
  'wallboard.sample': (sample: WallboardSample) => void;
  /** To supervisors watching it: the conversation ended or changed hands. */
  'watch.update': (view: WatchView) => void;
}

/**
 * What the server accepts: the union of both roles' events. The server never trusts these
 * types; it parses every payload with the role's schema first.
 */
export type ClientToServerEvents = {
  [
    E in keyof CustomerToServerEvents | keyof AgentToServerEvents | keyof SupervisorToServerEvents
  ]: (payload: unknown, ack: (result: AckResult) => void) => void;
};

/** What a client sends with event `E` of an event map (the first argument). */
export type EventPayload<Events, E extends keyof Events> = Events[E] extends (
  payload: infer P,
  ack: never,
) => void
  ? P
  : never;

/**
 * What an ok ack of event `E` carries besides `ok: true`, read from the event map's ack type:
 * `AckBody<CustomerToServerEvents, 'message.send'>` is `{ message: ChatMessage }`.
 */
export type AckBody<Events, E extends keyof Events> = Events[E] extends (
  payload: never,
  ack: Ack<infer T>,
) => void
  ? T
  : never;
