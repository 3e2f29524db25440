import type {
  RatingSummary,
  Tier,
  WallboardAgent,
  WallboardHistory,
  WallboardSample,
  WallboardSnapshot,
} from '@callcenter/shared';
import { TIERS, wallboardSampleSchema } from '@callcenter/shared';
import { dayFigures, type DayStats } from '../live/dayStats';
import type { LiveRedis } from '../live/liveRedis';
import type { TeamRoster } from '../services/team';
import type { AccountsRepository } from '../store/accounts';

/** Customers' ratings of a day, overall and per agent (the satisfaction survey's figures). */
export interface RatingsSource {
  summary(day: string): Promise<{ overall: RatingSummary; byAgent: Record<string, RatingSummary> }>;
}

export interface WallboardOptions {
  /** Seconds between the charts' samples. */
  sampleSeconds: number;
  /** How far back the charts go. */
  historyHours: number;
  /** Each tier's target wait in seconds (answered within it counts as in time). */
  targetSeconds: Record<Tier, number>;
}

interface RawTier {
  waiting: number;
  oldest: string | false;
  waitMsSum: number;
}

interface RawAgent {
  id: string;
  status: 'available' | 'away';
  capacity: number;
  online: boolean;
  conversations:
    | {
        conversationId: string;
        customerId: string;
        startedAt: string | false;
        assignedAt: string | false;
      }[]
    | Record<string, never>;
}

interface RawState {
  nowMs: number;
  version: string;
  tiers: Partial<Record<string, RawTier>> | [];
  agents: RawAgent[] | Record<string, never>;
  day: Record<string, string> | [];
}

const asArray = <T>(value: T[] | Record<string, never>): T[] => (Array.isArray(value) ? value : []);

/**
 * What supervisors see of the whole call center, from Redis only (no store reads but the agent
 * list and customer names, both cached): the queue by tier, every agent with its conversations,
 * the day's figures and the queue's history. Every node reads the same keys, so several nodes
 * give one picture.
 */
export class Wallboard {
  constructor(
    private readonly redis: LiveRedis,
    private readonly team: TeamRoster,
    private readonly accounts: AccountsRepository,
    private readonly dayStats: DayStats,
    private readonly ratings: RatingsSource | undefined,
    readonly options: WallboardOptions,
  ) {}

  private readState(day: string, agentIds: string[]): Promise<RawState> {
    return this.redis.runJson<RawState>('wallboardState', [day, ...agentIds]);
  }

  async snapshot(): Promise<WallboardSnapshot> {
    const now = new Date();
    const day = this.dayStats.dayOf(now);
    const members = await this.team.members();
    const [raw, ratings] = await Promise.all([
      this.readState(
        day,
        members.map((member) => member.id),
      ),
      this.ratings?.summary(day) ??
        Promise.resolve({ overall: { count: 0, average: null }, byAgent: {} }),
    ]);
    const figures = dayFigures(Array.isArray(raw.day) ? {} : raw.day, TIERS);
    const rawAgents = asArray(raw.agents);
    const agents: WallboardAgent[] = await Promise.all(
      members.map(async (member, index) => {
        const live = rawAgents[index];
        const conversations = await Promise.all(
          asArray(live?.conversations ?? []).map(async (conv) => {
            const customer = await this.accounts.customerProfile(conv.customerId);
            const startedAt = conv.startedAt || new Date(raw.nowMs).toISOString();
            return {
              conversationId: conv.conversationId,
              customer: {
                id: conv.customerId,
                displayName: customer?.displayName ?? 'Unknown customer',
                tier: customer?.tier ?? 'standard',
              },
              agent: { id: member.id, displayName: member.displayName },
              startedAt,
              assignedAt: conv.assignedAt || startedAt,
            };
          }),
        );
        return {
          id: member.id,
          displayName: member.displayName,
          status: live?.status ?? 'available',
          online: live?.online ?? false,
          capacity: live?.capacity ?? 1,
          conversations,
          handledToday: figures.handledBy[member.id] ?? 0,
        };
      }),
    );
    const rawTiers = Array.isArray(raw.tiers) ? {} : raw.tiers;
    const tiers = Object.fromEntries(
      TIERS.map((tier) => {
        const t = rawTiers[tier];
        const waiting = t?.waiting ?? 0;
        return [
          tier,
          {
            waiting,
            oldestRequestedAt: t?.oldest || null,
            meanRequestedAt:
              t && waiting > 0
                ? new Date(raw.nowMs - Math.round(t.waitMsSum / waiting)).toISOString()
                : null,
            answered: figures.answered[tier],
            answeredWithinTarget: figures.answeredWithinTarget[tier],
            targetSeconds: this.options.targetSeconds[tier],
          },
        ];
      }),
    ) as WallboardSnapshot['tiers'];
    return {
      version: Number(raw.version),
      at: new Date(raw.nowMs).toISOString(),
      day,
      tiers,
      agents,
      today: {
        handled: figures.handled,
        averageHandleSeconds:
          figures.handled > 0 ? Math.round(figures.handleMsSum / figures.handled / 1000) : null,
      },
      ratings,
    };
  }

  private historyKey(): string {
    return this.redis.key('stats:history');
  }

  /** The queue's samples of the last `historyHours`, oldest first. */
  async history(): Promise<WallboardHistory> {
    const since = Date.now() - this.options.historyHours * 3600_000;
    const members = await this.redis.client.zrangebyscore(this.historyKey(), since, '+inf');
    const samples: WallboardSample[] = [];
    for (const member of members) {
      const parsed = wallboardSampleSchema.safeParse(
        JSON.parse(member.slice(member.indexOf('|') + 1)),
      );
      if (parsed.success) samples.push(parsed.data);
    }
    return { intervalSeconds: this.options.sampleSeconds, samples };
  }

  /**
   * Takes the queue's sample for the current interval, unless another node already did (every
   * node calls this on its housekeeping tick); answers the sample it took, or null.
   */
  async sampleIfDue(now = Date.now()): Promise<WallboardSample | null> {
    const intervalMs = this.options.sampleSeconds * 1000;
    const slot = Math.floor(now / intervalMs);
    const claimed = await this.redis.client.set(
      this.redis.key(`stats:sampled:${slot}`),
      '1',
      'PX',
      intervalMs * 2,
      'NX',
    );
    if (claimed !== 'OK') return null;
    const raw = await this.readState(this.dayStats.dayOf(new Date(now)), []);
    const rawTiers = Array.isArray(raw.tiers) ? {} : raw.tiers;
    let waitingTotal = 0;
    let waitMsSum = 0;
    let oldest: string | null = null;
    for (const tier of TIERS) {
      const t = rawTiers[tier];
      if (!t) continue;
      waitingTotal += t.waiting;
      waitMsSum += t.waitMsSum;
      if (t.oldest && (oldest === null || t.oldest < oldest)) oldest = t.oldest;
    }
    const sample: WallboardSample = {
      at: new Date(raw.nowMs).toISOString(),
      waiting: {
        standard: rawTiers.standard?.waiting ?? 0,
        gold: rawTiers.gold?.waiting ?? 0,
        platinum: rawTiers.platinum?.waiting ?? 0,
      },
      longestWaitSeconds:
        oldest === null ? 0 : Math.max(0, Math.round((raw.nowMs - Date.parse(oldest)) / 1000)),
      averageWaitSeconds: waitingTotal > 0 ? Math.round(waitMsSum / waitingTotal / 1000) : 0,
    };
    const key = this.historyKey();
    // The slot leads the member: two equal samples stay two points.
    await this.redis.client
      .multi()
      .zadd(key, raw.nowMs, `${slot}|${JSON.stringify(sample)}`)
      .zremrangebyscore(key, '-inf', raw.nowMs - this.options.historyHours * 3600_000)
      .exec();
    return sample;
  }
}
