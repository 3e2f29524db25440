import { z } from 'zod';
import {
  AGENT_STATES,
  AGENT_STATUSES,
  CLOSE_REASONS,
  MAX_AGENT_CAPACITY,
  CALL_DIRECTIONS,
  CALL_END_REASONS,
  CALL_EVENTS,
  CUSTOMER_STATES,
  LIMITS,
  ROLES,
  ACCOUNT_ROLES,
  TIERS,
} from '../domain';
import { multiLineText } from './text';
import { attachmentSchema } from './attachments';

/**
 * Ids are opaque strings of a safe alphabet. Anything else (objects such as `{"$ne": null}`,
 * numbers, long strings) is refused before it reaches a database.
 */
export const idSchema = z
  .string()
  .min(1)
  .max(LIMITS.idLength)
  .regex(/^[A-Za-z0-9_-]+$/, 'ids use letters, digits, - and _ only');

/**
 * What a person writes in a chat: up to `LIMITS.messageLength` UTF-16 units, several lines, at
 * least one visible character; no control, bidi control or lone surrogate characters.
 */
export const messageTextSchema = multiLineText(
  z
    .string()
    .max(LIMITS.messageLength, `a message holds at most ${LIMITS.messageLength} characters`),
);

export const isoDateSchema = z.iso.datetime();

export const roleSchema = z.enum(ROLES);
export const accountRoleSchema = z.enum(ACCOUNT_ROLES);
export const tierSchema = z.enum(TIERS);
export const customerStateNameSchema = z.enum(CUSTOMER_STATES);
export const agentStateNameSchema = z.enum(AGENT_STATES);

// ---- HTTP ----

export const loginRequestSchema = z.strictObject({
  role: accountRoleSchema,
  login: z.string().min(1).max(200),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** A language as a BCP 47 tag (`ar`, `es-MX`), well formed by `Intl`'s own parser. */
export const languageTagSchema = z
  .string()
  .min(2)
  .max(35)
  .refine((tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, 'not a BCP 47 language tag');

export const customerProfileSchema = z.object({
  tier: tierSchema,
  email: z.string().nullable(),
  phone: z.string().nullable(),
  company: z.string().nullable(),
  customerSince: isoDateSchema,
  notes: z.string().nullable(),
  /** The language the customer's app shows (BCP 47); absent until their app has said. */
  language: languageTagSchema.optional(),
});

/** The customer's app says which language it shows (on connecting, and on each switch). */
export const customerLanguagePayloadSchema = z.strictObject({ language: languageTagSchema });
export type CustomerLanguagePayload = z.infer<typeof customerLanguagePayloadSchema>;

export const agentProfileSchema = z.object({
  email: z.string().nullable(),
});

export const agentUserSchema = z.object({
  id: idSchema,
  role: z.literal('agent'),
  login: z.string(),
  displayName: z.string(),
  profile: agentProfileSchema,
});
export const customerUserSchema = z.object({
  id: idSchema,
  role: z.literal('customer'),
  login: z.string(),
  displayName: z.string(),
  profile: customerProfileSchema,
});
export const supervisorProfileSchema = z.object({
  email: z.string().nullable(),
  /** May administer accounts, canned replies and retention from the console. */
  admin: z.boolean(),
});
export const supervisorUserSchema = z.object({
  id: idSchema,
  role: z.literal('supervisor'),
  login: z.string(),
  displayName: z.string(),
  profile: supervisorProfileSchema,
});
export const userSchema = z.discriminatedUnion('role', [
  agentUserSchema,
  customerUserSchema,
  supervisorUserSchema,
]);
export type AgentUser = z.infer<typeof agentUserSchema>;
export type CustomerUser = z.infer<typeof customerUserSchema>;
export type SupervisorUser = z.infer<typeof supervisorUserSchema>;
export type User = z.infer<typeof userSchema>;

export const loginResponseSchema = z.object({
  token: z.string(),
  expiresAt: isoDateSchema,
  user: userSchema,
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

// ---- Domain views carried by events ----

export const agentRefSchema = z.object({ id: idSchema, displayName: z.string() });

/** What an agent sees of a customer in the Customer Info panel. */
export const customerInfoSchema = z.object({
  id: idSchema,
  displayName: z.string(),
  profile: customerProfileSchema,
  pastConversations: z.number().int().nonnegative(),
});
export type CustomerInfo = z.infer<typeof customerInfoSchema>;

/** An estimated wait (`estimateWait`): a range of whole minutes, in seconds. */
export const waitEstimateSchema = z.object({
  minSeconds: z.number().int().nonnegative(),
  maxSeconds: z.number().int().positive(),
});

/**
 * Grows with every change of this user's state; a client ignores a state older than the one it
 * shows (a push and an ack can arrive in either order).
 */
const stateVersionSchema = z.number().int().nonnegative();

export const customerStateSchema = z.object({
  version: stateVersionSchema,
  state: customerStateNameSchema,
  requestId: idSchema.nullable(),
  /** 1-based place in the queue while `requestSent`. */
  position: z.number().int().positive().nullable(),
  /** While `requestSent`: the estimated wait at `position` (null when there is none to give). */
  estimatedWait: waitEstimateSchema.nullable(),
  conversationId: idSchema.nullable(),
  agent: agentRefSchema.nullable(),
  /**
   * `conversationEnded` only: the ended conversation still waits for the customer's rating or
   * skip (`chat.rate`); false in every other state.
   */
  ratingPending: z.boolean(),
});
export type CustomerState = z.infer<typeof customerStateSchema>;

export const agentStatusSchema = z.enum(AGENT_STATUSES);

/** One of the conversations an agent holds (a tab in the console). */
export const agentConversationSchema = z.object({
  conversationId: idSchema,
  customer: customerInfoSchema,
  /** When the conversation began (with its first agent). */
  startedAt: isoDateSchema,
  /** When this agent got it: its take, or the transfer that handed it over. */
  assignedAt: isoDateSchema,
  /** The colleague who handed it over, when it came by transfer. */
  transferredFrom: agentRefSchema.nullable(),
});
export type AgentConversation = z.infer<typeof agentConversationSchema>;

/**
 * An agent's state. `state`, `conversationId` and `customer` are the requirements' view: the
 * agent is `inConversation` while it holds any conversation, and `conversationId` / `customer`
 * name the newest one (or the one that just ended). `conversations` lists every conversation
 * it holds, oldest first; at capacity 1 that is at most the one `conversationId` names.
 */
export const agentStateSchema = z.object({
  version: stateVersionSchema,
  state: agentStateNameSchema,
  conversationId: idSchema.nullable(),
  customer: customerInfoSchema.nullable(),
  status: agentStatusSchema,
  /** How many conversations this agent may hold at once (set by admins; default 1). */
  capacity: z.number().int().positive().max(MAX_AGENT_CAPACITY),
  conversations: z.array(agentConversationSchema),
});
export type AgentState = z.infer<typeof agentStateSchema>;

export const queueEntrySchema = z.object({
  requestId: idSchema,
  customerId: idSchema,
  displayName: z.string(),
  tier: tierSchema,
  priority: z.number().int(),
  requestedAt: isoDateSchema,
  online: z.boolean(),
  /** The customer's latest message while queued, shortened. */
  preview: z.string().nullable(),
  /** The wait estimated for this entry's place, as its customer is shown it. */
  estimatedWait: waitEstimateSchema.nullable(),
});
export type QueueEntry = z.infer<typeof queueEntrySchema>;

export const queueSnapshotSchema = z.object({
  /** Monotonic; a client ignores a snapshot older than the one it shows. */
  version: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** FIFO order, first is the top of the queue; at most `LIMITS.snapshotEntries`. */
  entries: z.array(queueEntrySchema),
});
export type QueueSnapshot = z.infer<typeof queueSnapshotSchema>;

export const senderSchema = z.object({
  role: roleSchema,
  id: idSchema,
  displayName: z.string(),
});

/**
 * A voice call's event in a conversation's history: placed, answered, or ended (with why, and
 * how long it was connected: `null` when it never was, as for a missed or declined call).
 */
export const callHistoryEventSchema = z.object({
  callId: idSchema,
  event: z.enum(CALL_EVENTS),
  direction: z.enum(CALL_DIRECTIONS),
  reason: z.enum(CALL_END_REASONS).nullable(),
  durationSeconds: z.number().int().nonnegative().nullable(),
});
export type CallHistoryEvent = z.infer<typeof callHistoryEventSchema>;

/**
 * A server notice in a conversation's history: a transfer (to another agent, or back to the
 * queue when `to` is null), the idle warning before an automatic close, or that close itself
 * (`idle`: nobody wrote for too long; `expired`: the customer was offline too long while queued).
 */
export const chatNoticeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('transferred'),
    from: agentRefSchema,
    to: agentRefSchema.nullable(),
  }),
  z.object({ kind: z.literal('idleWarning'), closesAt: isoDateSchema }),
  z.object({ kind: z.literal('closed'), reason: z.enum(CLOSE_REASONS) }),
]);
export type ChatNotice = z.infer<typeof chatNoticeSchema>;

export const chatMessageSchema = z.object({
  id: idSchema,
  /** Server sequence number: unique, increasing; the replay cursor. */
  seq: z.number().int().positive(),
  clientMsgId: idSchema,
  conversationId: idSchema,
  customerId: idSchema,
  sender: senderSchema,
  text: z.string(),
  priority: z.number().int(),
  createdAt: isoDateSchema,
  /**
   * Set on a call's event in the history (the server writes these; `sender` is the caller,
   * `text` a plain wording for exports). A client shows it as an event, not as a message.
   */
  call: callHistoryEventSchema.optional(),
  /**
   * Set on a server notice (transfer, idle warning, automatic close); `sender` is the agent
   * the conversation was with, `text` a plain wording. Shown as an event line, never unread.
   */
  notice: chatNoticeSchema.optional(),
  /** A file sent with the message (`text` may then be empty); see `attachments.ts`. */
  attachment: attachmentSchema.optional(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const conversationSchema = z.object({
  id: idSchema,
  customerId: idSchema,
  agentId: idSchema,
  status: z.enum(['active', 'ended']),
  startedAt: isoDateSchema,
  endedAt: isoDateSchema.nullable(),
  endedBy: roleSchema.nullable(),
});
export type Conversation = z.infer<typeof conversationSchema>;

// ---- Client -> server payloads (parsed by the server before anything else) ----

/** The Socket.IO handshake's `auth`: the token from login. */
export const handshakeAuthSchema = z.object({ token: z.string().min(1) });
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

export const emptyPayloadSchema = z.strictObject({});
export const sessionSyncPayloadSchema = z.strictObject({
  since: z.number().int().nonnegative().optional(),
});
export const chatTakePayloadSchema = z.strictObject({ requestId: idSchema });
export const agentChatEndPayloadSchema = z.strictObject({ conversationId: idSchema });
/** A message has text, a file uploaded beforehand (`attachmentId`), or both. */
const textOrAttachment = {
  check: (payload: { text?: string; attachmentId?: string }) =>
    payload.text !== undefined || payload.attachmentId !== undefined,
  message: 'send text, an attachmentId, or both',
};
export const customerMessageSendPayloadSchema = z
  .strictObject({
    clientMsgId: idSchema,
    text: messageTextSchema.optional(),
    /** An upload of this customer's (`POST /api/attachments`) not sent before. */
    attachmentId: idSchema.optional(),
  })
  .refine(textOrAttachment.check, { message: textOrAttachment.message });
export const agentStatusPayloadSchema = z.strictObject({ status: agentStatusSchema });
/** No `toAgentId`: back to the front of the queue. */
export const chatTransferPayloadSchema = z.strictObject({
  conversationId: idSchema,
  toAgentId: idSchema.optional(),
});
export const agentMessageSendPayloadSchema = z
  .strictObject({
    customerId: idSchema,
    clientMsgId: idSchema,
    text: messageTextSchema.optional(),
    /** An upload of this agent's (`POST /api/attachments`) not sent before. */
    attachmentId: idSchema.optional(),
  })
  .refine(textOrAttachment.check, { message: textOrAttachment.message });

export type EmptyPayload = z.infer<typeof emptyPayloadSchema>;
export type SessionSyncPayload = z.infer<typeof sessionSyncPayloadSchema>;
export type ChatTakePayload = z.infer<typeof chatTakePayloadSchema>;
export type AgentChatEndPayload = z.infer<typeof agentChatEndPayloadSchema>;
export type CustomerMessageSendPayload = z.infer<typeof customerMessageSendPayloadSchema>;
export type AgentMessageSendPayload = z.infer<typeof agentMessageSendPayloadSchema>;
export type AgentStatusPayload = z.infer<typeof agentStatusPayloadSchema>;
export type ChatTransferPayload = z.infer<typeof chatTransferPayloadSchema>;

// ---- The team (who a transfer can go to) ----

/** A colleague as every agent sees them: for transfers and the team list. */
export const teamMemberSchema = z.object({
  id: idSchema,
  displayName: z.string(),
  status: agentStatusSchema,
  /** Has a connected session. */
  online: z.boolean(),
  /** Conversations held now. */
  active: z.number().int().nonnegative(),
  capacity: z.number().int().positive(),
});
export type TeamMember = z.infer<typeof teamMemberSchema>;

/** Every enabled agent, by name; pushed as `team.snapshot` to agents when one changes. */
export const teamSnapshotSchema = z.object({
  /** Monotonic like the queue's; an older snapshot is ignored. */
  version: z.number().int().nonnegative(),
  agents: z.array(teamMemberSchema),
});
export type TeamSnapshot = z.infer<typeof teamSnapshotSchema>;

/**
 * How consoles call agents to the queue (server settings, in the agent's sync): a sound every
 * `repeatSeconds` while customers wait and the agent is available with room, and a mark on an
 * entry waiting longer than its tier's `waitSeconds`.
 */
export const queueAlertsSchema = z.object({
  repeatSeconds: z.number().int().positive(),
  waitSeconds: z.object({
    standard: z.number().int().positive(),
    gold: z.number().int().positive(),
    platinum: z.number().int().positive(),
  }),
});
export type QueueAlerts = z.infer<typeof queueAlertsSchema>;

// ---- Ack bodies ----

export const sessionSyncResultSchema = z.object({
  state: z.union([customerStateSchema, agentStateSchema]),
  messages: z.array(chatMessageSchema),
  /** Pass as `since` on the next sync: every message up to it has been returned. */
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});

export const chatStartResultSchema = z.object({
  state: agentStateSchema,
  conversation: conversationSchema,
  customer: customerInfoSchema,
  messages: z.array(chatMessageSchema),
});
export type ChatStartResult = z.infer<typeof chatStartResultSchema>;

export const sessionRevokedSchema = z.object({ reason: z.enum(['logout', 'expired', 'disabled']) });
export type SessionRevoked = z.infer<typeof sessionRevokedSchema>;
