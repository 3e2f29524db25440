import { expect, vi } from 'vitest';
import type { ChatMessage } from '@callcenter/shared';
import type { Redis } from 'ioredis';
import type { Collections } from '@callcenter/server/storage';
import type { TestClient } from './testClient';

/** A send retried with the same client message id until it is acknowledged (or gives up). */
export async function sendUntilAcked(
  client: () => TestClient,
  payload: { clientMsgId: string; text: string; customerId?: string },
  deadlineMs = 45_000,
): Promise<ChatMessage> {
  const deadline = Date.now() + deadlineMs;
  let lastError = 'no attempt';
  while (Date.now() < deadline) {
    const current = client();
    if (current.socket.connected) {
      try {
        const result = await current.request('message.send', payload, 3_000);
        if (result.ok) return result.message;
        lastError = `${result.error.code}: ${result.error.message}`;
        if (!['unavailable', 'internal', 'rate_limited'].includes(result.error.code)) break;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
    } else {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        current.socket.once('connect', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
  throw new Error(`send ${payload.clientMsgId} was never acknowledged: ${lastError}`);
}

/**
 * The invariants every fault test ends with (issue: reliability):
 * 1. every acknowledged message is stored exactly once;
 * 2. each recipient's view after its final re-sync equals what storage holds for it, in order,
 *    without duplicates;
 * 3. every customer who ever entered the queue is queued, assigned to exactly one agent, or out
 *    of the queue (withdrawn or ended), never two of those;
 * 4. no client ever received another customer's data.
 */
export class InvariantChecker {
  private readonly acked = new Map<string, ChatMessage>();
  private readonly requested = new Set<string>();

  constructor(
    private readonly collections: Collections,
    private readonly redis: Redis,
    private readonly prefix = 'cc:',
  ) {}

  recordAcked(message: ChatMessage): void {
    this.acked.set(message.id, message);
  }

  recordRequested(customerId: string): void {
    this.requested.add(customerId);
  }

  get ackedCount(): number {
    return this.acked.size;
  }

  async checkStoredOnce(): Promise<void> {
    for (const message of this.acked.values()) {
      const stored = await this.collections.messages.countDocuments({
        senderKey: `${message.sender.role}:${message.sender.id}`,
        clientMsgId: message.clientMsgId,
      });
      expect(stored, `acked message ${message.clientMsgId} stored once`).toBe(1);
      expect(await this.collections.messages.countDocuments({ _id: message.id })).toBe(1);
    }
  }

  /**
   * Re-syncs the client from cursor 0 (paging through `hasMore`) and compares what it would
   * show (live messages and replay, de-duplicated by id, in sequence order) with storage.
   */
  async checkView(client: TestClient, customerId: string | null): Promise<void> {
    const replayed: ChatMessage[] = [];
    let cursor = 0;
    for (;;) {
      const page = await client.requestOk('session.sync', { since: cursor });
      replayed.push(...page.messages);
      if (!page.hasMore) break;
      cursor = page.cursor;
    }
    const view = new Map<string, ChatMessage>();
    for (const message of [...client.received('message.new'), ...replayed])
      view.set(message.id, message);
    const shown = [...view.values()].sort((a, b) => a.seq - b.seq);
    const stored = await this.collections.messages
      .find(customerId === null ? {} : { customerId })
      .sort({ seq: 1 })
      .toArray();
    expect(shown.map((m) => m.id)).toEqual(stored.map((m) => m._id));
    expect(new Set(replayed.map((m) => m.id)).size, 'replay has no duplicates').toBe(
      replayed.length,
    );
  }

  async checkQueueAccounting(): Promise<void> {
    const queued = new Set(await this.redis.zrange(`${this.prefix}queue`, '0', '-1'));
    for (const customerId of this.requested) {
      const [state, requestId, agentId, conversationId] = await this.redis.hmget(
        `${this.prefix}cust:${customerId}`,
        'state',
        'requestId',
        'agentId',
        'conversationId',
      );
      const inQueue = requestId != null && queued.has(requestId);
      if (state === 'requestSent') {
        expect(inQueue, `customer ${customerId} is requestSent and in the queue`).toBe(true);
      } else {
        expect(inQueue, `customer ${customerId} (${state ?? 'none'}) is not in the queue`).toBe(
          false,
        );
      }
      if (state === 'inConversation') {
        const [agentState, agentCustomer, agentConversation] = await this.redis.hmget(
          `${this.prefix}agent:${agentId ?? ''}`,
          'state',
          'customerId',
          'conversationId',
        );
        expect([agentState, agentCustomer, agentConversation]).toEqual([
          'inConversation',
          customerId,
          conversationId,
        ]);
        // MongoDB follows Redis: a take's start is written just after its ack.
        await vi.waitFor(
          async () => {
            const active = await this.collections.conversations.countDocuments({
              customerId,
              status: 'active',
            });
            expect(active, `customer ${customerId} has one active conversation in storage`).toBe(1);
          },
          { timeout: 5_000, interval: 50 },
        );
      }
    }
    // Never two agents on one customer.
    const owners = new Map<string, number>();
    for (const key of await this.redis.keys(`${this.prefix}agent:*`)) {
      const [state, customerId] = await this.redis.hmget(key, 'state', 'customerId');
      if (state === 'inConversation' && customerId)
        owners.set(customerId, (owners.get(customerId) ?? 0) + 1);
    }
    for (const [customerId, count] of owners) expect(count, `agents on ${customerId}`).toBe(1);
  }

  /** A customer's client never saw a message or state of another customer. */
  checkNoForeignData(client: TestClient, customerId: string): void {
    for (const message of client.received('message.new'))
      expect(message.customerId).toBe(customerId);
  }

  /**
   * Every check, after a run: acked messages stored once, the queue's accounting, each
   * agent's and customer's view against storage, and no customer saw another's data.
   */
  async checkAll(
    agents: TestClient[],
    customers: { client: TestClient; customerId: string }[],
  ): Promise<void> {
    await this.checkStoredOnce();
    await this.checkQueueAccounting();
    for (const agent of agents) await this.checkView(agent, null);
    for (const { client, customerId } of customers) {
      await this.checkView(client, customerId);
      this.checkNoForeignData(client, customerId);
    }
  }
}
