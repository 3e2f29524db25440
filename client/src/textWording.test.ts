import { describe, expect, it } from 'vitest';
import { textProblem } from '@callcenter/shared';
import { createI18n } from './language';
import { textProblemWords } from './textWording';

const arabic = createI18n({ en: {}, ar: {}, es: {} }, 'ar');
const t = (key: string, values?: Record<string, unknown>) => arabic.t(key, values);

describe('text rule problems in the reader’s language', () => {
  it('words each problem the rules can find, and leaves other words as they are', () => {
    const problems = [
      textProblem('\uD800', { multiLine: true }),
      textProblem('a\u0007', { multiLine: true }),
      textProblem('a\nb', { multiLine: false }),
      textProblem('a\u202Eb', { multiLine: true }),
      textProblem('\u200B', { multiLine: true }),
    ];
    const words = problems.map((problem) => textProblemWords(problem ?? '', t));
    expect(new Set(words).size).toBe(5);
    for (const word of words) expect(word).toMatch(/[\u0600-\u06FF]/);
    expect(textProblemWords('is too long', t)).toBe('is too long');
  });
});
