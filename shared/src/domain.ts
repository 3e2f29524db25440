/** Who is on the other end of a session. */
export const ROLES = ['agent', 'customer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may log in: the two parties of a chat, and supervisors, who watch and run the call
 * center (a web console at /supervisor/) but never take part in a chat as a party.
 */
export const ACCOUNT_ROLES = ['agent', 'customer', 'supervisor'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Customer service tiers; the tier decides a customer's message priority (R10). */
export const TIERS = ['standard', 'gold', 'platinum'] as const;
export type Tier = (typeof TIERS)[number];

const PRIORITY_BY_TIER: Record<Tier, number> = { standard: 1, gold: 2, platinum: 3 };

/** Server-side priority of a customer's messages: higher is more urgent. */
export function priorityForTier(tier: Tier): number {
  return PRIORITY_BY_TIER[tier];
}

/** Customer-visible session states (R3, R6, R7). `loggedOut` lives only in the clients. */
export const CUSTOMER_STATES = [
  'notConnected',
  'requestSent',
  'inConversation',
  'conversationEnded',
] as const;
export type CustomerStateName = (typeof CUSTOMER_STATES)[number];

/** Agent session states (R4, R6). `loggedOut` lives only in the clients. */
export const AGENT_STATES = ['monitoring', 'inConversation', 'conversationEnded'] as const;
export type AgentStateName = (typeof AGENT_STATES)[number];

/**
 * An agent's availability, chosen in the console and kept on the server (across reloads and
 * devices). Away: no Start Chat or Take (`agent_away`), no queue alerts; running chats go on.
 * Offline is not a status: it follows presence.
 */
export const AGENT_STATUSES = ['available', 'away'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** Why a conversation or a queued request was closed by the server rather than by a person. */
export const AUTO_CLOSE_REASONS = ['idle', 'expired'] as const;
export type AutoCloseReason = (typeof AUTO_CLOSE_REASONS)[number];
/** Why a conversation was closed by other than its parties: the server's reasons, or a supervisor. */
export const CLOSE_REASONS = [...AUTO_CLOSE_REASONS, 'supervisor'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** The default number of conversations an agent holds at once (R9's one at a time). */
export const DEFAULT_AGENT_CAPACITY = 1;
/** The most an admin may set: a person cannot follow more chats than this. */
export const MAX_AGENT_CAPACITY = 10;

/** Limits shared by both ends so clients can refuse early what the server would refuse. */
export const LIMITS = {
  /** Longest message text, in characters. */
  messageLength: 4000,
  /** Longest id (request, conversation, customer, client message id). */
  idLength: 64,
  /** Largest Socket.IO packet the server accepts, in bytes. */
  maxPayloadBytes: 16 * 1024,
  /**
   * Most queue entries carried by one snapshot; `total` always counts them all. Every agent
   * gets every snapshot: 50 rows are more than a person scans, and each row costs every agent.
   */
  snapshotEntries: 50,
  /** Most messages returned by one `session.sync`; `hasMore` says when to ask again. */
  syncPageSize: 500,
} as const;

/**
 * Agent inbox order (R10): priority high to low, then server time oldest first, then the
 * server sequence number.
 */
export function compareInboxOrder(
  a: { priority: number; createdAt: string; seq: number },
  b: { priority: number; createdAt: string; seq: number },
): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.seq - b.seq;
}

/** Customer view order (R10): oldest to newest by server sequence. */
export function compareConversationOrder(a: { seq: number }, b: { seq: number }): number {
  return a.seq - b.seq;
}

export const CALL_STATES = ['ringing', 'established', 'ended'] as const;

/**
 * Why a call ended: a party hung up, the callee declined, nobody answered in time (`missed`), the
 * media could not connect (`failed`), the conversation ended, a party's connection went away, or
 * the caller's microphone could not be opened.
 */
export const CALL_END_REASONS = [
  'hangup',
  'declined',
  'missed',
  'failed',
  'conversation_ended',
  'disconnected',
  'no_microphone',
] as const;

/** Who placed a call, seen from the conversation: the agent or the customer. */
export const CALL_DIRECTIONS = ['agent_to_customer', 'customer_to_agent'] as const;

/** What a conversation's history records of a call (a message with a `call` event). */
export const CALL_EVENTS = ['started', 'answered', 'ended'] as const;
