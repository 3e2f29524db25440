import type { LiveRedis } from './liveRedis';

/** One login throttle counter (see reserveLoginAttempt.lua). */
export interface LoginThrottleKey {
  key: string;
  /** Failures within the window before checks slow down. */
  free: number;
  /** Also applies when the account has logged in from this address before. */
  gatesKnown: boolean;
  /** Counted before the check (and given back on success), not after a failure. */
  countsAhead: boolean;
}

/** Counters of login attempts, by account, address and both, that slow password guessing. */
export class LoginThrottle {
  constructor(private readonly redis: LiveRedis) {}

  /**
   * Counts a login attempt before its password is checked (see reserveLoginAttempt.lua):
   * `waitMs` until the check may run, or `retryAfterMs` when it would have to wait too long.
   * `known`: this account has logged in from this address before.
   */
  async reserveAttempt(input: {
    nowMs: number;
    windowSeconds: number;
    maxWaitMs: number;
    knownKey: string;
    throttles: LoginThrottleKey[];
  }): Promise<{ ok: true; waitMs: number; known: boolean } | { ok: false; retryAfterMs: number }> {
    return this.redis.runJson<
      { ok: true; waitMs: number; known: boolean } | { ok: false; retryAfterMs: number }
    >('reserveLoginAttempt', [
      input.nowMs,
      input.windowSeconds,
      input.maxWaitMs,
      input.knownKey,
      ...input.throttles.flatMap((t) => [
        t.key,
        t.free,
        t.gatesKnown ? 1 : 0,
        t.countsAhead ? 1 : 0,
      ]),
    ]);
  }

  /** The password was wrong: counted on the keys that did not count it ahead. */
  async recordFailure(input: {
    nowMs: number;
    windowSeconds: number;
    keys: string[];
  }): Promise<void> {
    if (input.keys.length === 0) return;
    await this.redis.run('recordLoginFailure', [input.nowMs, input.windowSeconds, ...input.keys]);
  }

  /** The password was right: the attempt counted in advance is given back. */
  async recordSuccess(input: {
    knownKey: string;
    knownSeconds: number;
    pairKey: string;
    otherKeys: string[];
  }): Promise<void> {
    await this.redis.run('recordLoginSuccess', [
      input.knownKey,
      input.knownSeconds,
      input.pairKey,
      ...input.otherKeys,
    ]);
  }
}
