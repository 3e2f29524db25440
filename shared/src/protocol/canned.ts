import { z } from 'zod';
import { multiLineText, singleLineText } from './text';
import { idSchema, isoDateSchema } from './schemas';

// Canned replies: stock answers an agent picks by typing `/` and a shortcut in the composer.
// A shared set managed by admins, and each agent's own set.

/** Limits of canned replies, here so that the console can check before it sends. */
export const CANNED_LIMITS = {
  /** Longest shortcut (what the agent types after `/`). */
  shortcutLength: 32,
  /** Longest title. */
  titleLength: 100,
  /**
   * Longest text, before its placeholders are filled: well under a message's 4,000 characters,
   * so that a filled-in reply still fits one.
   */
  textLength: 2000,
  /** Most replies of an agent's own. */
  repliesPerAgent: 200,
  /** Most shared replies. */
  sharedReplies: 1000,
} as const;

export const CANNED_SCOPES = ['shared', 'own'] as const;
export const cannedScopeSchema = z.enum(CANNED_SCOPES);
export type CannedScope = z.infer<typeof cannedScopeSchema>;

/** Lower-case letters, digits, `-` and `_`, starting with a letter or digit. */
export const cannedShortcutSchema = z
  .string()
  .min(1, 'a shortcut has at least 1 character')
  .max(
    CANNED_LIMITS.shortcutLength,
    `a shortcut has at most ${CANNED_LIMITS.shortcutLength} characters`,
  )
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    'a shortcut uses lower-case letters, digits, - and _ only, starting with a letter or digit',
  );

export const cannedTitleSchema = singleLineText(
  z
    .string()
    .trim()
    .min(1, 'a title has at least 1 character')
    .max(CANNED_LIMITS.titleLength, `a title has at most ${CANNED_LIMITS.titleLength} characters`),
);

/** The reply's text, with placeholders such as `{customer.name}` (filled in by the client). */
export const cannedTextSchema = multiLineText(
  z
    .string()
    .max(CANNED_LIMITS.textLength, `a text has at most ${CANNED_LIMITS.textLength} characters`),
);

/** A canned reply as an agent sees it: `shared` (admins') or `own` (this agent's). */
export const cannedReplySchema = z.object({
  id: idSchema,
  scope: cannedScopeSchema,
  shortcut: z.string(),
  title: z.string(),
  text: z.string(),
  updatedAt: isoDateSchema,
});
export type CannedReply = z.infer<typeof cannedReplySchema>;

/** What an agent may set on a reply of its own; with `id`, an update of that reply. */
export const cannedReplyInputSchema = z.strictObject({
  shortcut: cannedShortcutSchema,
  title: cannedTitleSchema,
  text: cannedTextSchema,
});
export type CannedReplyInput = z.infer<typeof cannedReplyInputSchema>;

export const cannedSavePayloadSchema = cannedReplyInputSchema.extend({
  id: idSchema.optional(),
});
export const cannedDeletePayloadSchema = z.strictObject({ id: idSchema });
export type CannedSavePayload = z.infer<typeof cannedSavePayloadSchema>;
export type CannedDeletePayload = z.infer<typeof cannedDeletePayloadSchema>;

/** The shared replies, then the agent's own, each by shortcut. */
export const cannedListResultSchema = z.object({ replies: z.array(cannedReplySchema) });
export type CannedListResult = z.infer<typeof cannedListResultSchema>;

/** Pushed to agents when a set of replies changed: the client asks `canned.list` again. */
export const cannedChangedSchema = z.object({ scope: cannedScopeSchema });
export type CannedChanged = z.infer<typeof cannedChangedSchema>;
