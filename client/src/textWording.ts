// The server's text rules (`textProblem` in the shared protocol) say what is wrong in English
// words; the apps show them in the reader's language.
import { textProblem } from '@callcenter/shared';
import type { Translate } from './language';

const PROBLEM_KEYS: ReadonlyMap<string | null, string> = new Map([
  [textProblem('\uD800', { multiLine: true }), 'textProblem.surrogate'],
  [textProblem('a\u0007', { multiLine: true }), 'textProblem.control'],
  [textProblem('a\nb', { multiLine: false }), 'textProblem.controlOrBreak'],
  [textProblem('a\u202Eb', { multiLine: true }), 'textProblem.bidi'],
  [textProblem('\u200B', { multiLine: true }), 'textProblem.invisible'],
]);

/** `problem` (a `textProblem` answer) in the reader's language; other words as they are. */
export function textProblemWords(problem: string, t: Translate): string {
  const key = PROBLEM_KEYS.get(problem);
  return key === undefined ? problem : t(key);
}
