import type { ChatMessage } from '@callcenter/shared';
import type { LiveRedis } from './liveRedis';

/**
 * The replay index agents' syncs read: the newest messages' bodies by sequence number, and
 * the watermark below which every message has settled. It belongs to the Redis process that
 * built it (see replayIncarnation.lua).
 */
export class ReplayIndex {
  constructor(private readonly redis: LiveRedis) {}

  /**
   * A stored message: its in-flight mark goes and it joins the index (see settleMessage.lua),
   * which keeps the newest `cap`. Not indexed: the index is missing.
   */
  async settleMessage(message: ChatMessage, cap: number): Promise<{ indexed: boolean }> {
    const indexed = await this.redis.run('settleMessage', [
      message.seq,
      JSON.stringify(message),
      cap,
    ]);
    return { indexed: indexed === 1 };
  }

  /**
   * A page of the index after `since` (null: the newest page), oldest first, with the replay
   * watermark. `covered` false: the index cannot answer, read storage.
   */
  async page(
    since: number | null,
    limit: number,
    staleBeforeMs: number,
  ): Promise<{ watermark: number; covered: boolean; missing: boolean; messages: ChatMessage[] }> {
    const raw = await this.redis.runJson<{
      watermark: string;
      covered: boolean;
      missing?: boolean;
      bodies: unknown;
    }>('replayPage', [since ?? -1, limit, staleBeforeMs]);
    const bodies = Array.isArray(raw.bodies) ? (raw.bodies as (string | false)[]) : [];
    return {
      watermark: Number(raw.watermark),
      covered: raw.covered,
      missing: raw.missing === true,
      messages: (since === null ? bodies.reverse() : bodies)
        .filter((body) => body !== false)
        .map((body) => JSON.parse(body) as ChatMessage),
    };
  }

  /** The highest sequence below which every message has settled (stored or failed). */
  async watermark(staleBeforeMs: number): Promise<number> {
    return Number(await this.redis.run('replayWatermark', [staleBeforeMs]));
  }

  /** The id of the Redis process: a new one after every restart. */
  async redisRunId(): Promise<string> {
    const info = await this.redis.client.info('server');
    const runId = /^run_id:(\w+)/m.exec(info)?.[1];
    if (runId === undefined) throw new Error('Redis INFO has no run_id');
    return runId;
  }

  /** Drops the index if another Redis process built it (see replayIncarnation.lua). */
  async dropIfFromOtherRedis(runId: string): Promise<boolean> {
    return (await this.redis.run('replayIncarnation', [runId])) === 1;
  }

  /** Creates the index if missing; returns the sequence above which it is complete. */
  async init(): Promise<number> {
    return Number(await this.redis.run('initReplay', []));
  }

  /**
   * Adds messages read from storage (oldest first) to the index; `all` says storage has
   * nothing older. Returns the new replay:from, or -1 if the index vanished meanwhile.
   */
  async warm(messages: ChatMessage[], all: boolean): Promise<number> {
    return Number(
      await this.redis.run('warmReplay', [
        all ? 1 : 0,
        ...messages.flatMap((message) => [message.seq, JSON.stringify(message)]),
      ]),
    );
  }
}
