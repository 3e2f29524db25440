import { z } from 'zod';

// What a person may type, checked at the edge so the server and both clients agree. The rules
// refuse what cannot be stored faithfully or shown honestly; they never rewrite what was sent.

/**
 * A surrogate half that is not part of a pair (`'x\ud800y'`): ill-formed UTF-16, which storage
 * would silently turn into U+FFFD. In `u` mode a pair is one code point, so only halves match.
 * (`String.prototype.isWellFormed` is ES2024; the shared lib is ES2023.)
 */
const LONE_SURROGATE = /\p{Cs}/u;

/** C0 controls but tab and newline, DEL and C1: invisible, and they corrupt logs and terminals. */
const CONTROL_IN_MULTI_LINE = /(?![\t\n])\p{Cc}/u;
/** In a name nothing may break a line: every C0 control, DEL, C1, U+2028 and U+2029. */
const CONTROL_IN_SINGLE_LINE = /[\p{Cc}\u2028\u2029]/u;

/**
 * Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) open a scope that
 * reorders the text after them, so a name could flip the words around it. The marks U+200E,
 * U+200F and U+061C stay allowed: they only act as one strong character inside the string that
 * holds them (the clients isolate every user string), and mixed Hebrew or Arabic with Latin
 * words needs them to place punctuation right.
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const BIDI_CONTROLS = new RegExp(BIDI_CONTROL.source, 'g');

/**
 * Characters that show nothing on their own: white space, format characters (zero-width space
 * and joiners, word joiner, BOM, soft hyphen), combining marks with nothing to combine with,
 * controls, and the blank letters (Hangul fillers, Braille blank).
 */
const INVISIBLE = /[\s\p{Z}\p{Cf}\p{M}\p{Cc}\u115F\u1160\u3164\uFFA0\u2800]/gu;

export interface TextRules {
  /** Tab and newline allowed (messages, notes); otherwise one line (names). */
  multiLine: boolean;
  /** `''` passes (an optional profile field being cleared); anything else must show something. */
  allowEmpty?: boolean;
}

/** Why `text` may not be sent or stored, or `null` when it may. */
export function textProblem(text: string, rules: TextRules): string | null {
  if (LONE_SURROGATE.test(text)) return 'contains an invalid character (a lone surrogate)';
  if ((rules.multiLine ? CONTROL_IN_MULTI_LINE : CONTROL_IN_SINGLE_LINE).test(text)) {
    return rules.multiLine
      ? 'contains control characters'
      : 'contains control characters or line breaks';
  }
  if (BIDI_CONTROL.test(text)) {
    return 'contains bidirectional control characters (U+202A-U+202E, U+2066-U+2069)';
  }
  if (text === '' && rules.allowEmpty === true) return null;
  if (text.replace(INVISIBLE, '') === '') return 'has no visible characters';
  return null;
}

function withTextRules(schema: z.ZodString, rules: TextRules): z.ZodString {
  return schema.superRefine((text, context) => {
    const problem = textProblem(text, rules);
    if (problem !== null) context.addIssue({ code: 'custom', message: problem });
  });
}

/**
 * Text a person writes over several lines (a chat message, an account's notes): tab and
 * newline allowed; controls, bidi controls, lone surrogates and invisible-only text refused.
 * Length rules (and `.trim()`) go in `schema`; they run first.
 */
export function multiLineText(
  schema: z.ZodString = z.string(),
  options: { allowEmpty?: boolean } = {},
): z.ZodString {
  return withTextRules(schema, { multiLine: true, ...options });
}

/** A single line a person sets (a display name, a company): no tab or line break either. */
export function singleLineText(
  schema: z.ZodString = z.string(),
  options: { allowEmpty?: boolean } = {},
): z.ZodString {
  return withTextRules(schema, { multiLine: false, ...options });
}

/** The rules for a display name: one line, 1 to 100 characters once trimmed. */
export const displayNameSchema = singleLineText(z.string().trim().min(1).max(100));

/** FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, the plain-text way to isolate. */
export const ISOLATE_START = '\u2068';
export const ISOLATE_END = '\u2069';

/**
 * Wraps a user-supplied string placed inside a sentence, so that its direction cannot reorder
 * the words around it. Bidi controls inside (stored before they were refused) are dropped: a
 * stray U+2069 would otherwise end the isolation early. UIs render the marked parts as `<bdi>`
 * (see the apps' `IsolatedText`); plain-text targets keep the isolate characters.
 */
export function isolateBidi(text: string): string {
  return `${ISOLATE_START}${text.replace(BIDI_CONTROLS, '')}${ISOLATE_END}`;
}
