import type { Tier } from '@callcenter/shared';
import type { Logger } from '../logger';
import type { LiveRedis } from './liveRedis';

/** A day's statistics are kept a week after it, for a wallboard looking back. */
const KEEP_SECONDS = 8 * 24 * 3600;

/**
 * The day a moment belongs to, YYYY-MM-DD in a time zone: call centers count "today" in their
 * own zone, not in UTC.
 */
export function dayFormatter(timeZone: string): (at: Date) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (at) => format.format(at);
}

/** The figures of one day as the wallboard reads them. */
export interface DayFigures {
  answered: Record<Tier, number>;
  answeredWithinTarget: Record<Tier, number>;
  handled: number;
  handleMsSum: number;
  handledBy: Record<string, number>;
}

/** What the chat lifecycle tells the statistics (decided in Redis before it is told). */
export interface ChatOutcomes {
  /** A queued request (of `tier`, made at `requestedAt`) was taken at `at`. */
  answered(tier: Tier, requestedAt: Date, at: Date): void;
  /** A conversation that began at `startedAt`, last held by `agentId`, ended at `at`. */
  ended(agentId: string, startedAt: Date, at: Date): void;
}

export const NO_OUTCOMES: ChatOutcomes = { answered: () => undefined, ended: () => undefined };

/**
 * The day's counts in Redis, one hash per day (`stats:day:<day>`): shared by every node, so
 * several nodes give one picture, and kept across a server restart. Each is one pipelined
 * round trip after the take or end it counts was decided; one lost to a Redis failure in
 * between is logged, not retried (a count, not a record: the conversations are on record).
 */
export class DayStats implements ChatOutcomes {
  private readonly writtenListeners: (() => void)[] = [];

  constructor(
    private readonly redis: LiveRedis,
    readonly dayOf: (at: Date) => string,
    /** Each tier's target wait (seconds): a take within it counts as answered in time. */
    private readonly targetSeconds: Record<Tier, number>,
    private readonly logger: Logger,
  ) {}

  /** Calls `listener` after each count is in Redis (the wallboard then shows it). */
  onWritten(listener: () => void): void {
    this.writtenListeners.push(listener);
  }

  keyOf(day: string): string {
    return this.redis.key(`stats:day:${day}`);
  }

  answered(tier: Tier, requestedAt: Date, at: Date): void {
    const key = this.keyOf(this.dayOf(at));
    const waitMs = at.getTime() - requestedAt.getTime();
    this.write(
      this.redis.client
        .multi()
        .hincrby(key, `answered:${tier}`, 1)
        .hincrby(key, `withinTarget:${tier}`, waitMs <= this.targetSeconds[tier] * 1000 ? 1 : 0)
        .expire(key, KEEP_SECONDS)
        .exec(),
    );
  }

  ended(agentId: string, startedAt: Date, at: Date): void {
    const key = this.keyOf(this.dayOf(at));
    const multi = this.redis.client
      .multi()
      .hincrby(key, 'handled', 1)
      .hincrby(key, 'handleMs', Math.max(0, at.getTime() - startedAt.getTime()));
    if (agentId) multi.hincrby(key, `handled:${agentId}`, 1);
    this.write(multi.expire(key, KEEP_SECONDS).exec());
  }

  private write(done: Promise<unknown>): void {
    done.then(
      () => {
        for (const listener of this.writtenListeners) listener();
      },
      (error: unknown) => {
        this.logger.warn({ err: error }, 'counting a statistic failed');
      },
    );
  }
}

/** Reads a day's hash (as `HGETALL` answers it) into figures. */
export function dayFigures(hash: Record<string, string>, tiers: readonly Tier[]): DayFigures {
  const number = (field: string) => Number(hash[field] ?? 0) || 0;
  const handledBy: Record<string, number> = {};
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith('handled:')) handledBy[field.slice('handled:'.length)] = Number(value);
  }
  return {
    answered: Object.fromEntries(tiers.map((t) => [t, number(`answered:${t}`)])) as Record<
      Tier,
      number
    >,
    answeredWithinTarget: Object.fromEntries(
      tiers.map((t) => [t, number(`withinTarget:${t}`)]),
    ) as Record<Tier, number>,
    handled: number('handled'),
    handleMsSum: number('handleMs'),
    handledBy,
  };
}
