import { describe, expect, it } from 'vitest';
import { estimateWait, WAIT_ESTIMATE_MIN_TAKES } from './waitEstimate';

describe('estimateWait', () => {
  it('is a range around position / rate, in whole minutes', () => {
    // 100 takes in 30 minutes: 3.33 a minute, ±10 %; the 10th in line waits about 3 minutes.
    const estimate = estimateWait(10, { takes: 100, windowSeconds: 1800 });
    expect(estimate).toEqual({ minSeconds: 2 * 60, maxSeconds: 4 * 60 });
  });

  it('widens when few requests were taken', () => {
    const few = estimateWait(4, { takes: 4, windowSeconds: 1800 })!;
    const many = estimateWait(40, { takes: 40, windowSeconds: 1800 })!;
    // The same expected wait (30 minutes), a wider range from fewer takes.
    expect(few.maxSeconds - few.minSeconds).toBeGreaterThan(many.maxSeconds - many.minSeconds);
    expect(few.minSeconds).toBeLessThanOrEqual(1800);
    expect(few.maxSeconds).toBeGreaterThanOrEqual(1800);
  });

  it('grows with the position', () => {
    const rate = { takes: 30, windowSeconds: 1800 };
    const first = estimateWait(1, rate)!;
    const fifth = estimateWait(5, rate)!;
    expect(fifth.minSeconds).toBeGreaterThan(first.minSeconds);
    expect(fifth.maxSeconds).toBeGreaterThan(first.maxSeconds);
  });

  it('is at least a minute wide, starting at zero for the next in line of a fast queue', () => {
    expect(estimateWait(1, { takes: 600, windowSeconds: 1800 })).toEqual({
      minSeconds: 0,
      maxSeconds: 60,
    });
  });

  it('gives nothing from too few takes, a bad position, or a wait beyond hours', () => {
    const tooFew = WAIT_ESTIMATE_MIN_TAKES - 1;
    expect(estimateWait(1, { takes: tooFew, windowSeconds: 1800 })).toBeNull();
    expect(estimateWait(0, { takes: 50, windowSeconds: 1800 })).toBeNull();
    expect(estimateWait(1, { takes: 50, windowSeconds: 0 })).toBeNull();
    expect(estimateWait(500, { takes: 3, windowSeconds: 1800 })).toBeNull();
  });
});
