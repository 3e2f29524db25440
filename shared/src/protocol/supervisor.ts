import { z } from 'zod';
import { TIERS } from '../domain';
import {
  agentRefSchema,
  agentStatusSchema,
  customerInfoSchema,
  idSchema,
  isoDateSchema,
  tierSchema,
} from './schemas';

// Supervisors watch the call center live (the wallboard), open any active conversation
// read-only, end or transfer it. Every event here answers `forbidden` to agents and customers.

const count = z.number().int().nonnegative();

/** One tier's queue now, and its answers today. */
export const wallboardTierSchema = z.object({
  /** Customers waiting now. */
  waiting: count,
  /** The longest waiting request's time; the console counts the wait up from it. */
  oldestRequestedAt: isoDateSchema.nullable(),
  /** The mean of the waiting requests' times: the average wait is now minus this. */
  meanRequestedAt: isoDateSchema.nullable(),
  /** Requests taken by an agent today. */
  answered: count,
  /** Of those, taken within the tier's target wait. */
  answeredWithinTarget: count,
  targetSeconds: z.number().int().positive(),
});
export type WallboardTier = z.infer<typeof wallboardTierSchema>;

/** A conversation an agent holds, as the wallboard lists it. */
export const watchedConversationSchema = z.object({
  conversationId: idSchema,
  customer: z.object({ id: idSchema, displayName: z.string(), tier: tierSchema }),
  agent: agentRefSchema,
  startedAt: isoDateSchema,
  assignedAt: isoDateSchema,
});
export type WatchedConversation = z.infer<typeof watchedConversationSchema>;

export const wallboardAgentSchema = z.object({
  id: idSchema,
  displayName: z.string(),
  status: agentStatusSchema,
  online: z.boolean(),
  capacity: z.number().int().positive(),
  /** Conversations held now, oldest first. */
  conversations: z.array(watchedConversationSchema),
  /** Conversations this agent ended today (or that ended while it held them). */
  handledToday: count,
});
export type WallboardAgent = z.infer<typeof wallboardAgentSchema>;

/** Customers' ratings: how many and their mean (null: none yet). */
export const ratingSummarySchema = z.object({
  count,
  average: z.number().nullable(),
});
export type RatingSummary = z.infer<typeof ratingSummarySchema>;

/** The whole call center at one moment; pushed as `wallboard.snapshot` when something changes. */
export const wallboardSnapshotSchema = z.object({
  /** Grows with every snapshot any node makes; an older one is ignored. */
  version: count,
  at: isoDateSchema,
  /** The day "today" counts (the server's statistics day, YYYY-MM-DD in STATS_TIME_ZONE). */
  day: z.string(),
  tiers: z.object(
    Object.fromEntries(TIERS.map((tier) => [tier, wallboardTierSchema])) as {
      [T in (typeof TIERS)[number]]: typeof wallboardTierSchema;
    },
  ),
  agents: z.array(wallboardAgentSchema),
  today: z.object({
    /** Conversations ended today. */
    handled: count,
    /** Their mean length from the first take to the end, in seconds. */
    averageHandleSeconds: z.number().nonnegative().nullable(),
  }),
  ratings: z.object({
    overall: ratingSummarySchema,
    byAgent: z.record(z.string(), ratingSummarySchema),
  }),
});
export type WallboardSnapshot = z.infer<typeof wallboardSnapshotSchema>;

/** The queue at one moment of the past: what the charts draw. */
export const wallboardSampleSchema = z.object({
  at: isoDateSchema,
  waiting: z.object({ standard: count, gold: count, platinum: count }),
  longestWaitSeconds: count,
  averageWaitSeconds: count,
});
export type WallboardSample = z.infer<typeof wallboardSampleSchema>;

export const wallboardHistorySchema = z.object({
  /** Seconds between samples. */
  intervalSeconds: z.number().int().positive(),
  /** Oldest first, the last `WALLBOARD_HISTORY_HOURS` hours. */
  samples: z.array(wallboardSampleSchema),
});
export type WallboardHistory = z.infer<typeof wallboardHistorySchema>;

// ---- Watching a conversation ----

export const conversationIdPayloadSchema = z.strictObject({ conversationId: idSchema });
export type ConversationIdPayload = z.infer<typeof conversationIdPayloadSchema>;

/** No `toAgentId`: back to the front of the queue. */
export const supervisorTransferPayloadSchema = z.strictObject({
  conversationId: idSchema,
  toAgentId: idSchema.optional(),
});
export type SupervisorTransferPayload = z.infer<typeof supervisorTransferPayloadSchema>;

/** A conversation opened by a supervisor: who is in it and whether it still goes on. */
export const watchViewSchema = z.object({
  conversationId: idSchema,
  status: z.enum(['active', 'ended']),
  customer: customerInfoSchema,
  agent: agentRefSchema.nullable(),
  startedAt: isoDateSchema,
  endedAt: isoDateSchema.nullable(),
});
export type WatchView = z.infer<typeof watchViewSchema>;
