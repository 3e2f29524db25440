import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { customerMessageSendPayloadSchema, messageTextSchema } from './schemas';
import { displayNameSchema, isolateBidi, multiLineText, singleLineText } from './text';

function problemOf(schema: z.ZodType, value: string): string | null {
  const result = schema.safeParse(value);
  return result.success ? null : (result.error.issues[0]?.message ?? 'refused');
}

describe('message text', () => {
  it.each([
    ['a lone high surrogate', 'x\ud800y', 'contains an invalid character (a lone surrogate)'],
    [
      'a lone low surrogate at the end',
      'x\udc00',
      'contains an invalid character (a lone surrogate)',
    ],
    ['NUL', 'a\u0000b', 'contains control characters'],
    ['BEL', 'ring\u0007', 'contains control characters'],
    ['a carriage return', 'one\r\ntwo', 'contains control characters'],
    ['DEL', 'a\u007Fb', 'contains control characters'],
    ['a C1 control', 'a\u0085b', 'contains control characters'],
    ['RIGHT-TO-LEFT OVERRIDE', 'abc\u202Edef', 'contains bidirectional control characters'],
    ['LEFT-TO-RIGHT EMBEDDING', '\u202Aabc', 'contains bidirectional control characters'],
    ['FIRST STRONG ISOLATE', 'abc\u2068def', 'contains bidirectional control characters'],
    ['POP DIRECTIONAL ISOLATE', 'abc\u2069', 'contains bidirectional control characters'],
    ['only zero-width spaces', '\u200B\u200B\u200B', 'has no visible characters'],
    [
      'only joiners, word joiners and BOMs',
      '\u200C\u200D\u2060\uFEFF',
      'has no visible characters',
    ],
    ['only whitespace', '  \n\t  \u00A0\u3000', 'has no visible characters'],
    ['nothing', '', 'has no visible characters'],
    ['only combining marks', '\u0301\u0308\u0301', 'has no visible characters'],
    ['only a Hangul filler', '\u3164', 'has no visible characters'],
  ])('refuses %s', (_name, text, message) => {
    expect(problemOf(messageTextSchema, text)).toContain(message);
  });

  it.each([
    ['plain text', 'Hello, I need help with my order.'],
    ['several lines and a tab', 'line one\nline two\n\tindented'],
    ['emoji, including pairs and joined sequences', '👍 ❤️ 👨‍👩‍👧 🇫🇷'],
    ['Arabic', 'مرحبا، أحتاج إلى مساعدة'],
    ['Hebrew with a right-to-left mark', 'שלום, ההזמנה שלי ABC-123\u200F.'],
    ['a left-to-right mark', 'order\u200E #5'],
    ['a zero-width joiner inside a word', 'می\u200Cخواهم'],
    ['an accented letter built from a combining mark', 'e\u0301te\u0301'],
  ])('accepts %s', (_name, text) => {
    expect(problemOf(messageTextSchema, text)).toBeNull();
  });

  it('names the field in the message a client sees', () => {
    const result = customerMessageSendPayloadSchema.safeParse({
      clientMsgId: 'm1',
      text: 'x\u0007',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['text'],
      message: 'contains control characters',
    });
  });
});

describe('display names', () => {
  it.each([
    ['a lone surrogate', 'Ada\ud800', 'lone surrogate'],
    ['NUL', 'Ada\u0000', 'contains control characters'],
    ['BEL', 'Ada\u0007', 'contains control characters'],
    ['a newline', 'Ada\nAgent', 'line breaks'],
    ['a tab', 'Ada\tAgent', 'line breaks'],
    ['a line separator', 'Ada\u2028Agent', 'line breaks'],
    ['RIGHT-TO-LEFT OVERRIDE', 'Ada\u202Etnega', 'bidirectional control'],
    ['RIGHT-TO-LEFT ISOLATE', '\u2067Ada', 'bidirectional control'],
    ['only zero-width characters', '\u200B\u2060', 'has no visible characters'],
  ])('refuses %s', (_name, name, message) => {
    expect(problemOf(displayNameSchema, name)).toContain(message);
  });

  it('refuses a name that is only whitespace (trimmed to nothing)', () => {
    expect(problemOf(displayNameSchema, '   ')).not.toBeNull();
  });

  it.each([['Ada Lovelace'], ['دانة'], ['דנה כהן'], ['Zoë 🌻'], ['李小龍']])(
    'accepts %s',
    (name) => {
      expect(problemOf(displayNameSchema, name)).toBeNull();
    },
  );

  it('trims before it checks', () => {
    expect(displayNameSchema.parse('  Ada  ')).toBe('Ada');
  });
});

describe('optional profile text', () => {
  it('may be cleared with an empty string, but not filled with invisible characters', () => {
    const company = singleLineText(undefined, { allowEmpty: true });
    expect(problemOf(company, '')).toBeNull();
    expect(problemOf(company, '\u200B')).toBe('has no visible characters');
  });

  it('notes may span lines; a company may not', () => {
    expect(problemOf(multiLineText(), 'Prefers e-mail.\nCalls after 5pm.')).toBeNull();
    expect(problemOf(singleLineText(), 'Example\nLtd')).toContain('line breaks');
  });
});

describe('isolateBidi', () => {
  it('wraps a string in FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE', () => {
    expect(isolateBidi('دانة')).toBe('\u2068دانة\u2069');
  });

  it('drops bidi controls stored before they were refused, so nothing ends the isolation early', () => {
    expect(isolateBidi('Eve\u2069\u202Elive')).toBe('\u2068Evelive\u2069');
  });
});
