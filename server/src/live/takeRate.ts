import type { TakeRate } from '@callcenter/shared';
import type { Logger } from '../logger';
import type { LiveRedis } from './liveRedis';

/** A rate read this recently is reused: it moves by one take at a time. */
const READ_CACHE_MS = 1_000;

/**
 * R3's estimated waits come from how many requests were first taken lately, on every node: one
 * Redis sorted set (`stats:takes`) of take times, trimmed to the window on each write.
 */
export class TakeRates {
  private cached: { rate: TakeRate; readAt: number } | undefined;
  private reading: Promise<TakeRate> | undefined;

  constructor(
    private readonly redis: LiveRedis,
    private readonly windowSeconds: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  private get key(): string {
    return this.redis.key('stats:takes');
  }

  /** A request was first taken at `at` (after Redis decided the take). */
  taken(at: Date): void {
    const ms = at.getTime();
    this.redis.client
      .multi()
      // The member only has to be unique; the score is what is counted.
      .zadd(this.key, ms, `${ms}:${Math.random().toString(36).slice(2)}`)
      .zremrangebyscore(this.key, '-inf', ms - this.windowSeconds * 1000)
      .expire(this.key, this.windowSeconds)
      .exec()
      .then(() => {
        this.cached = undefined;
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'recording a take for the wait estimate failed');
      });
  }

  /** The takes of the last window; one read at a time, reused for a second. */
  current(): Promise<TakeRate> {
    const at = this.now();
    if (this.cached && at - this.cached.readAt < READ_CACHE_MS) {
      return Promise.resolve(this.cached.rate);
    }
    this.reading ??= this.redis.client
      .zcount(this.key, at - this.windowSeconds * 1000, '+inf')
      .then((takes) => {
        const rate = { takes, windowSeconds: this.windowSeconds };
        this.cached = { rate, readAt: at };
        return rate;
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }
}
