import { orNull, type LiveRedis } from './liveRedis';
import type { CustomerLiveState } from './chatQueue';

/**
 * A message's sequence number (in flight until settled) and storage page; or, when none was
 * handed out, the page that must be put on record first (see MessagePages).
 */
export type MessageNumber =
  { seq: number; page: number; preopen: number | null } | { need: 'open' | 'reseed'; page: number };

/** What a customer's message.send learns from Redis before storing (see beginCustomerMessage). */
export type CustomerMessageStart =
  | { sessionOpen: false }
  | {
      sessionOpen: true;
      state: CustomerLiveState['state'];
      requestId: string | null;
      conversationId: string | null;
      /** Set when the customer may write now: the new message's number, marked in flight. */
      number: MessageNumber | null;
    };

interface RawMessageNumber {
  seq?: string;
  page: number;
  preopen?: number | false;
  need?: 'open' | 'reseed';
}

function messageNumber(raw: RawMessageNumber): MessageNumber {
  if (raw.need) return { need: raw.need, page: raw.page };
  return { seq: Number(raw.seq), page: raw.page, preopen: raw.preopen || null };
}

/**
 * Message sequence numbers and the storage pages they fall in: each number is handed out
 * marked in flight until its message is settled (stored, or given up), and never falls below
 * the clock in microseconds or what storage already holds.
 */
export class MessageSequence {
  constructor(private readonly redis: LiveRedis) {}

  async allocate(nowMs: number, pageSize: number): Promise<MessageNumber> {
    return messageNumber(
      await this.redis.runJson<RawMessageNumber>('allocateMessageSeq', [nowMs, pageSize]),
    );
  }

  /**
   * A customer's message.send in one round trip: whether the session is still open, the
   * customer's state, and (when it may write) a sequence number marked in flight.
   */
  async beginCustomerMessage(
    sessionId: string,
    customerId: string,
    nowMs: number,
    pageSize: number,
  ): Promise<CustomerMessageStart> {
    const raw = await this.redis.runJson<{
      session: boolean;
      state?: CustomerLiveState['state'];
      requestId?: string | false;
      conversationId?: string | false;
      number?: RawMessageNumber | false;
    }>('beginCustomerMessage', [sessionId, customerId, nowMs, pageSize]);
    if (!raw.session) return { sessionOpen: false };
    return {
      sessionOpen: true,
      state: raw.state ?? 'notConnected',
      requestId: orNull(raw.requestId ?? false),
      conversationId: orNull(raw.conversationId ?? false),
      number: raw.number ? messageNumber(raw.number) : null,
    };
  }

  /** In-flight marks older than `staleBeforeMs`: their writers died or failed to settle. */
  async staleInFlight(staleBeforeMs: number, limit: number): Promise<number[]> {
    const seqs = await this.redis.client.zrangebyscore(
      this.redis.key('msg:pending'),
      '-inf',
      staleBeforeMs,
      'LIMIT',
      0,
      limit,
    );
    return seqs.map(Number);
  }

  /** Drops a number's in-flight mark: no message was stored under it. */
  async settle(seq: number): Promise<void> {
    await this.redis.client.zrem(this.redis.key('msg:pending'), String(seq));
  }

  /** Raises the counter to at least the highest sequence stored; returns the counter. */
  async raiseTo(storedMax: number): Promise<number> {
    return Number(await this.redis.run('raiseMessageSeq', [storedMax]));
  }

  /** At or below every sequence number handed out from now on (see messagePageFloor.lua). */
  async pageFloor(): Promise<number> {
    return Number(await this.redis.run('messagePageFloor', []));
  }

  /** Lets messages be numbered in `page`; false when Redis lost the count (reseed it). */
  async openPage(page: number): Promise<boolean> {
    return (await this.redis.run('openMessagePage', [page])) === 1;
  }

  /** Starts page numbering at `page` unless Redis already has a count. */
  async reseedPages(page: number, pageSize: number): Promise<void> {
    await this.redis.run('reseedMessagePages', [page, pageSize]);
  }

  /** The newest page messages may be numbered in, or null when Redis lost the count. */
  async openPageNow(): Promise<number | null> {
    const open = await this.redis.client.hget(this.redis.key('msg:pages'), 'open');
    return open === null ? null : Number(open);
  }
}
