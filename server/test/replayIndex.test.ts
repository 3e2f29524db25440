// Agents' syncs read across every customer. They are answered from the replay index in Redis
// (a range read of the newest messages), and from storage only for a cursor older than the
// index; either way the client gets exactly the messages after its cursor, in order.
import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '@callcenter/shared';
import { describe, expect, it, vi } from 'vitest';
import type { MessageDoc } from '../src/store/documents';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';

const INDEX_SIZE = 20;
const suite = useTestStack({ config: { replayIndexSize: INDEX_SIZE } });

async function send(client: TestClient, count: number, label: string): Promise<ChatMessage[]> {
  const sent: ChatMessage[] = [];
  for (let i = 0; i < count; i += 1) {
    const { message } = await client.requestOk('message.send', {
      clientMsgId: `${label}-${i}`,
      text: `${label} ${i}`,
    });
    sent.push(message);
  }
  return sent;
}

const redisKey = (name: string) => `cc:replay:${name}`;

describe('the replay index', () => {
  it('answers agents from Redis for recent cursors and from storage for older ones, exactly', async () => {
    const agent = await suite.loginNew('agent');
    const customer = await suite.loginNew('customer');
    await customer.requestOk('chat.request');
    const start = (await agent.requestOk('session.sync', {})).cursor;
    const first = await send(customer, 15, 'first');
    const middle = (await agent.requestOk('session.sync', {})).cursor;
    const second = await send(customer, 15, 'second');

    // The index holds the newest 20 and says so.
    const redis = suite.stack.server.redis;
    expect(await redis.zcard(redisKey('seqs'))).toBe(INDEX_SIZE);
    const from = Number(await redis.get(redisKey('from')));
    expect(from).toBeGreaterThanOrEqual(first[9]!.seq);

    // A recent cursor: read from the index.
    const recent = await agent.requestOk('session.sync', { since: middle });
    expect(recent.messages.map((m) => m.id)).toEqual(second.map((m) => m.id));
    // A cursor older than the index: read from storage, the same answer.
    const old = await agent.requestOk('session.sync', { since: start });
    expect(old.messages.map((m) => m.id)).toEqual([...first, ...second].map((m) => m.id));
    // The latest page: the newest messages, oldest first.
    const latest = await agent.requestOk('session.sync', {});
    expect(latest.messages.map((m) => m.id)).toEqual([...first, ...second].map((m) => m.id));
    expect(latest.cursor).toBe(second.at(-1)!.seq);
  });

  it('is rebuilt from storage when Redis has lost it', async () => {
    const agent = await suite.loginNew('agent');
    const customer = await suite.loginNew('customer');
    await customer.requestOk('chat.request');
    const sent = await send(customer, 5, 'before');
    const redis = suite.stack.server.redis;
    await redis.del(redisKey('seqs'), redisKey('body'), redisKey('from'));

    // The first sync that finds no index reads storage and has the index rebuilt.
    const latest = await agent.requestOk('session.sync', {});
    expect(latest.messages.map((m) => m.id)).toEqual(sent.map((m) => m.id));
    await expect.poll(() => redis.zcard(redisKey('seqs'))).toBe(5);
    expect(await redis.get(redisKey('from'))).toBe('0');
    const more = await send(customer, 2, 'after');
    const replay = await agent.requestOk('session.sync', { since: latest.cursor });
    expect(replay.messages.map((m) => m.id)).toEqual(more.map((m) => m.id));
  });

  it('agents arriving while it is rebuilt wait for the one rebuild, not each read storage', async () => {
    const agents = await Promise.all(Array.from({ length: 8 }, () => suite.loginNew('agent')));
    const customer = await suite.loginNew('customer');
    await customer.requestOk('chat.request');
    const sent = await send(customer, 4, 'rebuilt');
    const redis = suite.stack.server.redis;
    await redis.del(redisKey('seqs'), redisKey('body'), redisKey('from'));

    // Reads of messages across customers (no customerId in the filter: page by page). The spy
    // only watches: every call goes through.
    const { mongo } = suite.stack.server;
    const finds = [vi.spyOn(mongo.collections.messages, 'find')];
    const filters: object[] = [];
    const pages = await Promise.all(
      agents.map((agent) => agent.requestOk('session.sync', {})),
    ).finally(() => {
      for (const find of finds) {
        filters.push(...find.mock.calls.map(([filter]) => filter));
        find.mockRestore();
      }
    });
    for (const page of pages) {
      expect(page.messages.map((m) => m.id)).toEqual(sent.map((m) => m.id));
    }
    // One rebuild reads each storage page once; agents reading for themselves would repeat them.
    const acrossCustomers = filters.filter((filter) => !('customerId' in filter));
    expect(acrossCustomers.length).toBeGreaterThan(0);
    expect(new Set(acrossCustomers.map((filter) => JSON.stringify(filter))).size).toBe(
      acrossCustomers.length,
    );
  });

  it('a rebuild that finds the index lost again meanwhile starts over for the agents waiting', async () => {
    const agents = await Promise.all(Array.from({ length: 4 }, () => suite.loginNew('agent')));
    const customer = await suite.loginNew('customer');
    await customer.requestOk('chat.request');
    const sent = await send(customer, 3, 'lost-again');
    const redis = suite.stack.server.redis;
    const dropIndex = () => redis.del(redisKey('seqs'), redisKey('body'), redisKey('from'));
    await dropIndex();

    // Redis loses the index again while the rebuild reads storage (a flush, a restart). The
    // spy calls through every time; at the rebuild's first read it drops the index once more
    // (on the server's own Redis connection, so before the rebuild writes the index).
    const messages = suite.stack.server.mongo.collections.messages;
    const find = messages.find.bind(messages);
    const acrossCustomers: object[] = [];
    let droppedAgain = false;
    const spy = vi
      .spyOn(messages, 'find')
      .mockImplementation((...args: Parameters<typeof find>) => {
        const [filter] = args;
        if (!('customerId' in filter)) {
          acrossCustomers.push(filter);
          if (!droppedAgain) {
            droppedAgain = true;
            void dropIndex();
          }
        }
        return find(...args);
      });
    const pages = await Promise.all(
      agents.map((agent) => agent.requestOk('session.sync', {})),
    ).finally(() => {
      spy.mockRestore();
    });

    expect(droppedAgain).toBe(true);
    for (const page of pages) {
      expect(page.messages.map((m) => m.id)).toEqual(sent.map((m) => m.id));
    }
    // Two builds (the lost one and the one that started over), each reading every storage
    // page once; agents reading for themselves would add a read per agent.
    const distinct = new Set(acrossCustomers.map((filter) => JSON.stringify(filter))).size;
    expect(acrossCustomers.length).toBe(2 * distinct);
    expect(await redis.zcard(redisKey('seqs'))).toBe(sent.length);
  });

  it('a Redis that restarted without its last writes does not hide a stored message', async () => {
    const agent = await suite.loginNew('agent');
    const customer = await suite.loginNew('customer');
    await customer.requestOk('chat.request');
    const sent = await send(customer, 3, 'acked');
    // What an `everysec` AOF can lose in a crash: the index entry of an acknowledged message,
    // while replay:from, written long before, survives.
    const redis = suite.stack.server.redis;
    const lost = String(sent[1]!.seq);
    await redis.zrem(redisKey('seqs'), lost);
    await redis.hdel(redisKey('body'), lost);
    await suite.stack.redis.stop('SIGTERM');
    await suite.stack.redis.start();
    await expect.poll(() => redis.ping().catch(() => 'down'), { timeout: 15_000 }).toBe('PONG');

    // The node checks the index against the Redis now answering, drops it and reads storage.
    const again = suite.track(await TestClient.login(suite.stack, agent.account!));
    await expect
      .poll(async () => (await again.requestOk('session.sync', {})).messages.map((m) => m.id), {
        timeout: 10_000,
      })
      .toEqual(sent.map((m) => m.id));
    await expect.poll(() => redis.zcard(redisKey('seqs')), { timeout: 10_000 }).toBe(3);
  });

  it('a message whose writer died after storing it is indexed by the housekeeping', async () => {
    const agent = await suite.loginNew('agent');
    const customer = await suite.loginNew('customer');
    await customer.requestOk('chat.request');
    await send(customer, 1, 'live');
    const { cursor } = await agent.requestOk('session.sync', {});

    // A writer numbered and stored a message, then died before settling it.
    const redis = suite.stack.server.redis;
    const seq = await redis.incr('cc:msg:seq');
    await redis.zadd('cc:msg:pending', Date.now() - 60_000, String(seq));
    const orphan: MessageDoc = {
      _id: randomUUID(),
      seq,
      page: Number(await redis.hget('cc:msg:pages', 'open')),
      clientMsgId: 'orphan',
      senderKey: `customer:${customer.account!.id}`,
      sender: { role: 'customer', id: customer.account!.id, displayName: 'x' },
      customerId: customer.account!.id,
      conversationId: 'orphan',
      text: 'stored, never settled',
      priority: 1,
      createdAt: new Date(),
    };
    await suite.stack.server.mongo.collections.messages.insertOne(orphan);

    // The presence housekeeping (every second in tests) settles and indexes it.
    await expect
      .poll(async () => (await redis.zscore('cc:msg:pending', String(seq))) === null, {
        timeout: 10_000,
      })
      .toBe(true);
    expect(await redis.hget(redisKey('body'), String(seq))).toContain('never settled');
    const replay = await agent.requestOk('session.sync', { since: cursor });
    expect(replay.messages.map((m) => m.clientMsgId)).toEqual(['orphan']);
  });
});
