import { describe, expect, it } from 'vitest';
import { formatDuration, formatPercent, formatRating, secondsSince } from './format';

describe('the wallboard figures in words', () => {
  it('says durations in seconds, minutes and hours', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(-3)).toBe('0 s');
  });

  it('counts a wait up from its start', () => {
    const now = Date.parse('2026-11-29T10:00:30Z');
    expect(secondsSince('2026-11-29T10:00:00Z', now)).toBe(30);
    expect(secondsSince(null, now)).toBeNull();
  });

  it('gives shares and ratings only when something was counted', () => {
    expect(formatPercent(0, 0)).toBe('—');
    expect(formatPercent(7, 8)).toBe('88 %');
    expect(formatRating({ count: 0, average: null })).toBe('No ratings');
    expect(formatRating({ count: 3, average: 4.333 })).toBe('4.3 of 5 (3)');
  });
});
