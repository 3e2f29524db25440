// What is wrong with an agent's canned reply, in the console's language. The shared schema's
// own messages are English for developers; these are the agent's words.
import {
  cannedReplyInputSchema,
  type CannedReply,
  type CannedReplyInput,
  type ErrorBody,
} from '@callcenter/shared';
import { textProblemWords, type Translate } from '@callcenter/client';
import { describeError } from './errorText';

const FIELDS = new Set(['shortcut', 'title', 'text']);

/**
 * The first problem with a draft (`id`: the reply it edits), by the server's own rules and
 * against the agent's other replies' shortcuts, or null.
 */
export function cannedDraftProblem(
  draft: CannedReplyInput & { id?: string },
  own: readonly CannedReply[],
  t: Translate,
): string | null {
  const parsed = cannedReplyInputSchema.safeParse({
    shortcut: draft.shortcut,
    title: draft.title,
    text: draft.text,
  });
  const issue = parsed.error?.issues[0];
  if (issue !== undefined) {
    const name = String(issue.path[0] ?? '');
    const field = FIELDS.has(name) ? t(`canned.${name}`) : name;
    switch (issue.code) {
      case 'too_small':
        return t('canned.problem.empty', { field });
      case 'too_big':
        return t('canned.problem.tooLong', { field, max: Number(issue.maximum) });
      case 'invalid_format':
        return t('canned.problem.shortcutChars');
      default:
        return t('canned.problem.text', { field, problem: textProblemWords(issue.message, t) });
    }
  }
  const clash = own.some((reply) => reply.shortcut === draft.shortcut && reply.id !== draft.id);
  return clash ? t('canned.problem.duplicate', { shortcut: draft.shortcut }) : null;
}

/** Why saving or deleting a canned reply was refused. */
export function cannedFailureText(error: ErrorBody, t: Translate): string {
  switch (error.code) {
    case 'forbidden':
      return t('canned.problem.sharedReadOnly');
    case 'not_found':
      return t('canned.problem.gone');
    default:
      return describeError(error, null, t);
  }
}
