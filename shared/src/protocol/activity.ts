import { z } from 'zod';
import { idSchema, isoDateSchema, roleSchema } from './schemas';

// What the two parties of a conversation see of each other besides messages: that the other
// side is typing (relayed, never stored) and how far it has read (a stored cursor per side).

/** How long a client shows "typing" after the last `typing: true` it heard, if no `false` came. */
export const TYPING_SHOWN_MS = 6_000;
/** A typing client repeats `typing: true` at most this often. */
export const TYPING_REPEAT_MS = 3_000;

export const customerTypingPayloadSchema = z.strictObject({ typing: z.boolean() });
export const agentTypingPayloadSchema = z.strictObject({
  conversationId: idSchema,
  typing: z.boolean(),
});
export type CustomerTypingPayload = z.infer<typeof customerTypingPayloadSchema>;
export type AgentTypingPayload = z.infer<typeof agentTypingPayloadSchema>;

/** The other party of a conversation started or stopped typing. */
export const typingPushSchema = z.object({
  conversationId: idSchema,
  customerId: idSchema,
  /** Who is typing. */
  role: roleSchema,
  typing: z.boolean(),
});
export type TypingPush = z.infer<typeof typingPushSchema>;

const readSeqSchema = z.number().int().positive();
export const customerReadPayloadSchema = z.strictObject({ seq: readSeqSchema });
export const agentReadPayloadSchema = z.strictObject({
  conversationId: idSchema,
  seq: readSeqSchema,
});
export type CustomerReadPayload = z.infer<typeof customerReadPayloadSchema>;
export type AgentReadPayload = z.infer<typeof agentReadPayloadSchema>;

/**
 * How far one side (`role`) has read a conversation: every message with a `seq` up to this one
 * was on its screen. Only ever moves forward.
 */
export const readCursorSchema = z.object({
  conversationId: idSchema,
  customerId: idSchema,
  role: roleSchema,
  seq: readSeqSchema,
  readAt: isoDateSchema,
});
export type ReadCursor = z.infer<typeof readCursorSchema>;
