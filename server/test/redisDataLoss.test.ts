// Redis loses its data under traffic (a crash between AOF writes, a failover, a restore: here
// FLUSHALL). The message sequence counter lived only there; acknowledged messages must still
// be replayed, exactly once, to every client from the cursor it held before.
import type { ChatMessage } from '@callcenter/shared';
import { describe, expect, it } from 'vitest';
import { TestClient, useTestStack, type TestAccount } from '@callcenter/devstack/testing';

const suite = useTestStack();

interface SyncPage {
  messages: ChatMessage[];
  cursor: number;
  hasMore: boolean;
}

/** Every message after `since`, page by page, as a reconnecting client reads them. */
async function replayFrom(client: TestClient, since: number): Promise<SyncPage> {
  const messages: ChatMessage[] = [];
  let cursor = since;
  for (;;) {
    const page = await client.requestOk('session.sync', { since: cursor });
    messages.push(...page.messages);
    expect(page.cursor).toBeGreaterThanOrEqual(cursor);
    cursor = page.cursor;
    if (!page.hasMore) return { messages, cursor, hasMore: false };
  }
}

/** A customer that keeps writing; when its session is gone it logs in again and re-asks. */
class WritingCustomer {
  readonly acked: ChatMessage[] = [];
  private client: TestClient | undefined;

  constructor(readonly account: TestAccount) {}

  async connect(): Promise<TestClient> {
    if (this.client?.socket.connected) return this.client;
    this.client?.close();
    const client = suite.track(await TestClient.login(suite.stack, this.account));
    await client.requestOk('chat.request');
    this.client = client;
    return client;
  }

  /** Sends `count` messages, each retried with the same client id until acknowledged. */
  async write(count: number, onAcked: () => void): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      const clientMsgId = `${this.account.login}-${i}`;
      for (;;) {
        const client = await this.connect();
        const answer = await client
          .request('message.send', { clientMsgId, text: `m${i}` }, 5_000)
          .catch(() => undefined);
        if (answer?.ok) {
          this.acked.push(answer.message);
          onAcked();
          break;
        }
        // unauthorized (the session went with the data), not_in_chat (so did the request),
        // or no answer: log in again if needed, ask for a chat again, retry the same id.
        if (answer?.error.code === 'not_in_chat') {
          await client.requestOk('chat.request');
        }
      }
    }
  }
}

describe('Redis loses its data under traffic', () => {
  it('every client replays every acknowledged message exactly once from its cursor', async () => {
    const stack = suite.stack;
    const agentAccount = await stack.createAgent();
    const agent = suite.track(await TestClient.login(stack, agentAccount));
    const writers = await Promise.all(
      [0, 1, 2].map(async () => new WritingCustomer(await stack.createCustomer())),
    );
    // Some history first, so the counter has something to fall back below.
    const firstClient = await writers[0]!.connect();
    for (let i = 0; i < 5; i += 1) {
      await firstClient.requestOk('message.send', { clientMsgId: `warm-${i}`, text: 'warm' });
    }

    const agentCursor = (await agent.requestOk('session.sync', {})).cursor;
    const customerCursors = await Promise.all(
      writers.map(async (writer) => {
        const client = await writer.connect();
        return (await client.requestOk('session.sync', {})).cursor;
      }),
    );

    let ackedTotal = 0;
    let flushed: Promise<unknown> | undefined;
    const onAcked = (): void => {
      ackedTotal += 1;
      if (ackedTotal === 12) flushed = stack.server.redis.flushall();
    };
    await Promise.all(writers.map((writer) => writer.write(20, onAcked)));
    await flushed;
    expect(flushed).toBeDefined();

    const acked = writers.flatMap((writer) => writer.acked);
    expect(acked).toHaveLength(60);

    // Storage: one message per sequence number.
    const stored = await stack.server.mongo.collections.messages.find({}).toArray();
    expect(new Set(stored.map((m) => m.seq)).size).toBe(stored.length);

    // The agent (logged in again: its session went with the data) replays everything.
    const agentAgain = suite.track(await TestClient.login(stack, agentAccount));
    const agentReplay = await replayFrom(agentAgain, agentCursor);
    const agentIds = agentReplay.messages.map((m) => m.id);
    expect(new Set(agentIds).size).toBe(agentIds.length);
    expect([...agentIds].sort()).toEqual(acked.map((m) => m.id).sort());

    // Each customer, on a fresh connection, replays its own messages exactly once.
    for (const [index, writer] of writers.entries()) {
      const fresh = suite.track(await TestClient.login(stack, writer.account));
      const replay = await replayFrom(fresh, customerCursors[index]!);
      const ids = replay.messages.map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(writer.acked.map((m) => m.id).sort());
    }

    // A full sync after the loss never hands back a cursor below what was acknowledged.
    const full = await agentAgain.requestOk('session.sync', {});
    expect(full.cursor).toBeGreaterThanOrEqual(agentCursor);
  });
});
