import type { LiveRedis } from './liveRedis';

/** A day's figures are kept this long (the wallboard shows today and the week before). */
const KEEP_SECONDS = 8 * 24 * 60 * 60;

/** How many ratings and their average (null with none). */
export interface RatingFigures {
  count: number;
  average: number | null;
}

/** One day's ratings: overall, and per agent (only agents rated that day). */
export interface RatingSummary {
  overall: RatingFigures;
  byAgent: Record<string, { count: number; average: number }>;
}

/** `YYYY-MM-DD` of `at` in UTC (the default day; the server counts in STATS_TIME_ZONE). */
export function ratingDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Satisfaction figures for the wallboard: per day (of `dayOf`: the wallboard's, in
 * STATS_TIME_ZONE) one Redis hash
 * (`stats:ratings:<YYYY-MM-DD>` under the live prefix) with `all:sum`, `all:count`,
 * `<agentId>:sum` and `<agentId>:count`. Skips are not counted.
 */
export class RatingStats {
  private readonly recordedListeners: (() => void)[] = [];

  constructor(
    private readonly redis: LiveRedis,
    private readonly dayOf: (at: Date) => string = ratingDay,
  ) {}

  /** Calls `listener` after each rating is counted (the wallboard then shows it). */
  onRecorded(listener: () => void): void {
    this.recordedListeners.push(listener);
  }

  private keyOf(day: string): string {
    return this.redis.key(`stats:ratings:${day}`);
  }

  /** Counts one stored rating, in one round trip. */
  async record(agentId: string, score: number, at: Date): Promise<void> {
    const key = this.keyOf(this.dayOf(at));
    await this.redis.client
      .multi()
      .hincrby(key, 'all:sum', score)
      .hincrby(key, 'all:count', 1)
      .hincrby(key, `${agentId}:sum`, score)
      .hincrby(key, `${agentId}:count`, 1)
      .expire(key, KEEP_SECONDS)
      .exec();
    for (const listener of this.recordedListeners) listener();
  }

  /** The figures of `day` (`YYYY-MM-DD`); all zero for a day without ratings. */
  async summary(day: string): Promise<RatingSummary> {
    if (!DAY.test(day)) throw new Error(`not a day (YYYY-MM-DD): ${day}`);
    const fields = await this.redis.client.hgetall(this.keyOf(day));
    const sums = new Map<string, { sum: number; count: number }>();
    for (const [field, value] of Object.entries(fields)) {
      const cut = field.lastIndexOf(':');
      const who = field.slice(0, cut);
      const what = field.slice(cut + 1);
      const figures = sums.get(who) ?? { sum: 0, count: 0 };
      if (what === 'sum') figures.sum = Number(value);
      else if (what === 'count') figures.count = Number(value);
      sums.set(who, figures);
    }
    const all = sums.get('all') ?? { sum: 0, count: 0 };
    sums.delete('all');
    const byAgent: RatingSummary['byAgent'] = {};
    for (const [agentId, { sum, count }] of sums) {
      if (count > 0) byAgent[agentId] = { count, average: sum / count };
    }
    return {
      overall: { count: all.count, average: all.count > 0 ? all.sum / all.count : null },
      byAgent,
    };
  }
}
