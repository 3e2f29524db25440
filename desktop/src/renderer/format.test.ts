import { describe, expect, it } from 'vitest';
import { formatDate, formatMessageTime, formatWaiting, languageName } from './format';

describe('formatWaiting', () => {
  const since = '2030-01-01T10:00:00.000Z';
  const at = (offsetMs: number): number => Date.parse(since) + offsetMs;

  it('counts up as a clock', () => {
    expect(formatWaiting(since, at(0))).toBe('0:00');
    expect(formatWaiting(since, at(7_900))).toBe('0:07');
    expect(formatWaiting(since, at(12 * 60_000 + 30_000))).toBe('12:30');
    expect(formatWaiting(since, at(3_723_000))).toBe('1:02:03');
  });

  it('never shows a negative time when the local clock is behind the server’s', () => {
    expect(formatWaiting(since, at(-5_000))).toBe('0:00');
  });
});

describe('dates and language names in the console language', () => {
  const march = '2024-03-01T12:00:00.000Z';
  const later = Date.parse('2024-06-01T12:00:00.000Z');

  it('formats a date per language', () => {
    expect(formatDate(march, 'en-GB')).toBe('1 Mar 2024');
    expect(formatDate(march, 'es')).toBe('1 mar 2024');
    expect(formatDate(march, 'ar')).toMatch(/مارس/);
  });

  it('formats an earlier message time with its day, per language', () => {
    expect(formatMessageTime(march, later, 'es')).toMatch(/^1 mar/);
    expect(formatMessageTime(march, later, 'ar')).toMatch(/مارس/);
  });

  it('names a customer language in the reader’s language', () => {
    expect(languageName('ar', 'en')).toBe('Arabic');
    expect(languageName('ar', 'es')).toBe('árabe');
    expect(languageName('es-MX', 'en')).toBe('Mexican Spanish');
  });
});
