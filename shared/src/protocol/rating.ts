import { z } from 'zod';
import { multiLineText } from './text';
import { idSchema, isoDateSchema } from './schemas';

// Satisfaction: when a conversation has ended its customer is asked, once, how it went: a score
// from 1 to 5 and an optional comment, or a skip. Either answer is final for that conversation.

/** Limits of a rating, here so that the customer app can check before it sends. */
export const RATING_LIMITS = {
  /** Lowest score. */
  minScore: 1,
  /** Highest score. */
  maxScore: 5,
  /** Longest comment, after trimming. */
  commentLength: 1000,
} as const;

/** A whole number from 1 (very poor) to 5 (excellent). */
export const ratingScoreSchema = z
  .number()
  .int('a score is a whole number')
  .min(RATING_LIMITS.minScore, `a score is at least ${RATING_LIMITS.minScore}`)
  .max(RATING_LIMITS.maxScore, `a score is at most ${RATING_LIMITS.maxScore}`);

/** What the customer adds in words; trimmed, and empty means none. */
export const ratingCommentSchema = multiLineText(
  z
    .string()
    .trim()
    .max(
      RATING_LIMITS.commentLength,
      `a comment has at most ${RATING_LIMITS.commentLength} characters`,
    ),
  { allowEmpty: true },
);

/**
 * `chat.rate`: a score (and optional comment) for an ended conversation of the customer's, or
 * `skip: true` (no score, no comment). One object rather than a union, so that a bad field is
 * named in the refusal.
 */
export const chatRatePayloadSchema = z
  .strictObject({
    conversationId: idSchema,
    score: ratingScoreSchema.optional(),
    comment: ratingCommentSchema.optional(),
    skip: z.literal(true, 'skip is true when given').optional(),
  })
  .superRefine((payload, context) => {
    if (payload.skip === true && (payload.score !== undefined || payload.comment !== undefined)) {
      context.addIssue({ code: 'custom', message: 'a skip has no score or comment' });
    } else if (payload.skip === undefined && payload.score === undefined) {
      context.addIssue({ code: 'custom', message: 'a rating needs a score from 1 to 5, or skip' });
    }
  });
export type ChatRatePayload = z.infer<typeof chatRatePayloadSchema>;

/** The customer's answer as stored: a score, or that it chose not to rate. */
export const conversationRatingSchema = z.discriminatedUnion('skipped', [
  z.object({
    conversationId: idSchema,
    skipped: z.literal(false),
    score: ratingScoreSchema,
    comment: z.string().nullable(),
    at: isoDateSchema,
  }),
  z.object({ conversationId: idSchema, skipped: z.literal(true), at: isoDateSchema }),
]);
export type ConversationRating = z.infer<typeof conversationRatingSchema>;
