import { describe, expect, it } from 'vitest';
import { formatWaiting } from './format';

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
