import type { Collection, Db } from 'mongodb';
import type {
  AgentStatus,
  Attachment,
  CloseReason,
  CallHistoryEvent,
  ChatNotice,
  Role,
  Tier,
} from '@callcenter/shared';

export interface AccountDoc {
  _id: string;
  login: string;
  displayName: string;
  passwordHash: string;
  disabled: boolean;
  email: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AgentDoc extends AccountDoc {
  /** Most conversations held at once; absent: DEFAULT_AGENT_CAPACITY. */
  capacity?: number;
  /** The availability the agent chose last (the live one is in Redis). */
  status?: AgentStatus;
}

/** Someone who runs the call center: watches the wallboard and conversations; never a chat party. */
export interface SupervisorDoc extends AccountDoc {
  /** May administer accounts, canned replies and retention from the console. */
  admin: boolean;
}

export interface CustomerDoc extends AccountDoc {
  tier: Tier;
  phone: string | null;
  company: string | null;
  customerSince: Date;
  notes: string | null;
  /** The language the customer's app last said it shows (BCP 47); absent until it has. */
  language?: string;
  /** Ended conversations; kept on the account so the info panel needs no count query. */
  pastConversations?: number;
}

export interface ConversationDoc {
  _id: string;
  customerId: string;
  agentId: string;
  requestId: string | null;
  status: 'active' | 'ended';
  startedAt: Date;
  endedAt: Date | null;
  endedBy: Role | null;
  /**
   * Why it ended: the party that ended it (as `endedBy`), or the server's reason (`idle`:
   * nobody wrote for too long; `endedBy` null). Absent on records from before it was kept.
   */
  endReason?: Role | CloseReason;
  /** Who had it when: each hand-over (`null` agent: the queue). Absent: never handed over. */
  handovers?: { at: Date; from: string | null; to: string | null }[];
  /** How far each side has read (see ReadCursor); absent until it reported reading. */
  reads?: Partial<Record<Role, { seq: number; at: Date }>>;
  /** The customer's rating of it, or its skip; absent until it answered (once, after the end). */
  rating?: { score: number; comment: string | null; at: Date } | { skipped: true; at: Date };
}

export interface MessageDoc {
  _id: string;
  seq: number;
  /** The storage page it was numbered in: history is read a page at a time (MessagePages). */
  page: number;
  clientMsgId: string;
  /** `${role}:${id}`; with clientMsgId the idempotency key of a send. */
  senderKey: string;
  sender: { role: Role; id: string; displayName: string };
  customerId: string;
  conversationId: string;
  text: string;
  priority: number;
  createdAt: Date;
  /** A call's event in the history (see ChatMessage.call); absent on what people wrote. */
  call?: CallHistoryEvent;
  /** A server notice (transfer, idle warning, automatic close; see ChatMessage.notice). */
  notice?: ChatNotice;
  /** A file sent with it, as both parties see it (the file itself: see store/attachments). */
  attachment?: Attachment;
}

/** A message page on record: every message numbered in it has a sequence above `lowestSeq`. */
export interface MessagePageDoc {
  _id: number;
  lowestSeq: number;
}

/** A canned reply: shared (`ownerId` null, managed by admins) or one agent's own. */
export interface CannedReplyDoc {
  _id: string;
  ownerId: string | null;
  shortcut: string;
  title: string;
  text: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One thing a supervisor did (an administration change, a conversation ended or handed over),
 * kept for the audit log: who, what, when, and the record before and after.
 */
export interface AuditDoc {
  _id: string;
  at: Date;
  actor: { id: string; login: string; displayName: string };
  /** What was done, e.g. `conversation.end`, `agent.update`, `retention.run`. */
  action: string;
  /** What it was done to. */
  target: { kind: string; id: string; label: string };
  /** The changed fields before and after (passwords never; `null` when there was none). */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** What one retention run removed: ended conversations from before `cutoff`, and their messages. */
export interface RetentionReport {
  at: Date;
  cutoff: Date;
  removedConversations: number;
  removedMessages: number;
}

/**
 * How long ended conversations are kept (`days`; `null`: for good), set by an admin, and what
 * the last run removed.
 */
export interface RetentionSettingsDoc {
  _id: 'retention';
  days: number | null;
  updatedAt: Date;
  updatedBy: { id: string; login: string; displayName: string } | null;
  lastRun?: RetentionReport;
}

/** A number kept in storage; `messagePages` is the highest message page on record. */
export interface CounterDoc {
  _id: 'messagePages';
  value: number;
}

/**
 * One device's Web Push subscription, by its endpoint (`_id`: the endpoint's SHA-256, as the
 * endpoint itself may be long). A device signed in as another customer moves to that one.
 */
export interface PushSubscriptionDoc {
  _id: string;
  customerId: string;
  /** The login session that subscribed: its logout removes the subscription. */
  sessionId: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
  createdAt: Date;
  updatedAt: Date;
}

export interface Collections {
  agents: Collection<AgentDoc>;
  customers: Collection<CustomerDoc>;
  supervisors: Collection<SupervisorDoc>;
  conversations: Collection<ConversationDoc>;
  messages: Collection<MessageDoc>;
  messagePages: Collection<MessagePageDoc>;
  counters: Collection<CounterDoc>;
  cannedReplies: Collection<CannedReplyDoc>;
  auditLog: Collection<AuditDoc>;
  settings: Collection<RetentionSettingsDoc>;
  pushSubscriptions: Collection<PushSubscriptionDoc>;
}

/** The product's collections in a database. */
export function collectionsOf(db: Db): Collections {
  return {
    agents: db.collection<AgentDoc>('agents'),
    customers: db.collection<CustomerDoc>('customers'),
    supervisors: db.collection<SupervisorDoc>('supervisors'),
    conversations: db.collection<ConversationDoc>('conversations'),
    messages: db.collection<MessageDoc>('messages'),
    messagePages: db.collection<MessagePageDoc>('messagePages'),
    counters: db.collection<CounterDoc>('counters'),
    cannedReplies: db.collection<CannedReplyDoc>('cannedReplies'),
    auditLog: db.collection<AuditDoc>('auditLog'),
    settings: db.collection<RetentionSettingsDoc>('settings'),
    pushSubscriptions: db.collection<PushSubscriptionDoc>('pushSubscriptions'),
  };
}
