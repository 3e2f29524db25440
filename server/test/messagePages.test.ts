// History across customers is read from storage a page at a time (MessagePages): these check
// that a page read gives exactly what a sort of every stored message by sequence would, for
// every cursor, while messages are numbered concurrently, stored out of order, and Redis loses
// its page count in the middle.
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { LiveRedis } from '../src/live/liveRedis';
import { MessageSequence } from '../src/live/messageSequence';
import { MessagePages } from '../src/services/messagePages';
import { MessagePagesRepository } from '../src/store/messagePages';
import { MessagesRepository } from '../src/store/messages';
import { collectionsOf, type MessageDoc } from '../src/store/documents';
import { useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack();

/** Small pages, so a few hundred messages cross many page boundaries. */
const PAGE_SIZE = 4;

async function pagedStore() {
  const { client } = suite.stack.server.mongo;
  const db = client.db(`pages_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
  const collections = collectionsOf(db);
  await collections.messages.createIndex({ page: 1 });
  // A prefix of its own: the running node numbers its messages under cc:.
  const prefix = `pages-${randomUUID().slice(0, 8)}:`;
  const sequence = new MessageSequence(new LiveRedis(suite.stack.server.redis, prefix));
  const repository = new MessagePagesRepository(collections);
  const messages = new MessagesRepository(collections);
  const pages = new MessagePages(sequence, repository, messages, PAGE_SIZE);
  await repository.start();
  return { db, collections, sequence, pages, repository, prefix };
}

type Store = Awaited<ReturnType<typeof pagedStore>>;

/** Numbers a message as MessagingService does (putting pages on record as asked) and stores it. */
async function write(store: Store, label: string): Promise<MessageDoc> {
  for (;;) {
    const number = await store.sequence.allocate(Date.now(), PAGE_SIZE);
    if ('need' in number) {
      await store.pages.provide(number);
      continue;
    }
    // The next page opens while the rest of this one is still being numbered (by the other
    // writers), so consecutive pages overlap in sequence, as under load with full-size pages.
    if (number.preopen !== null) await store.pages.provide({ need: 'open', page: number.preopen });
    // Writers store at their own pace: numbers reach storage out of order.
    await new Promise((resolve) => setImmediate(resolve));
    const customerId = `customer-${number.seq % 3}`;
    const doc: MessageDoc = {
      _id: randomUUID(),
      seq: number.seq,
      page: number.page,
      clientMsgId: label,
      senderKey: `customer:${customerId}`,
      sender: { role: 'customer', id: customerId, displayName: 'Paged' },
      customerId,
      conversationId: 'paged',
      text: label,
      priority: 1,
      createdAt: new Date(),
    };
    await store.collections.messages.insertOne(doc);
    await store.sequence.settle(number.seq);
    return doc;
  }
}

async function writeConcurrently(store: Store, count: number, label: string) {
  const writers = 5;
  const written: MessageDoc[] = [];
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let i = writer; i < count; i += writers) {
        written.push(await write(store, `${label}-${i}`));
      }
    }),
  );
  return written;
}

describe('message pages', () => {
  it('reads after any cursor and the newest messages exactly, across a lost page count', async () => {
    const store = await pagedStore();
    const before = await writeConcurrently(store, 60, 'before');
    // Redis loses the page count (a flush, a failover): numbering starts above the record.
    await suite.stack.server.redis.del(`${store.prefix}msg:pages`);
    const after = await writeConcurrently(store, 60, 'after');
    const all = [...before, ...after].sort((a, b) => a.seq - b.seq);
    expect(new Set(all.map((doc) => doc.seq)).size).toBe(120);
    // The pages after the loss are all above the ones before it.
    const highestBefore = Math.max(...before.map((doc) => doc.page));
    expect(Math.min(...after.map((doc) => doc.page))).toBeGreaterThan(highestBefore);

    const seqs = all.map((doc) => doc.seq);
    // Cursors at, just above and just below every message, and at every page's floor.
    const floors = (await store.collections.messagePages.find({}).toArray()).map(
      (page) => page.lowestSeq,
    );
    const everyCursor = [0, ...floors, ...seqs.flatMap((seq) => [seq - 1, seq, seq + 1])];
    for (const limit of [1, 3, 50, 500]) {
      // Every cursor at one page size; every fifth at the others.
      const cursors = limit === 3 ? everyCursor : everyCursor.filter((_, i) => i % 5 === 0);
      for (const cursor of cursors) {
        const expected = all.filter((doc) => doc.seq > cursor).slice(0, limit);
        const read = await store.pages.after(cursor, limit);
        expect(
          read.map((doc) => doc.seq),
          `after ${cursor}, limit ${limit}`,
        ).toEqual(expected.map((doc) => doc.seq));
      }
      const newest = await store.pages.latest(limit);
      expect(
        newest.messages.map((doc) => doc.seq),
        `latest ${limit}`,
      ).toEqual(seqs.slice(-limit));
      expect(newest.all).toBe(limit > all.length);
    }
    await store.db.dropDatabase();
  });

  it('reads only the pages it needs: a page near the cursor, not the whole history', async () => {
    const store = await pagedStore();
    const written = (await writeConcurrently(store, 200, 'reads')).sort((a, b) => a.seq - b.seq);
    const messages = new MessagesRepository(store.collections);
    // Watches only: every read goes through.
    const listInPage = vi.spyOn(messages, 'listInPage');
    const reads = () => listInPage.mock.calls.length;
    const pages = new MessagePages(store.sequence, store.repository, messages, PAGE_SIZE);

    const cursor = written[100]!.seq;
    const page = await pages.after(cursor, 5);
    expect(page.map((doc) => doc.seq)).toEqual(written.slice(101, 106).map((doc) => doc.seq));
    // 5 messages from pages of 4: the cursor's page, the one before it (pages overlap by at
    // most one), and the two or three after.
    expect(reads()).toBeLessThanOrEqual(5);

    listInPage.mockClear();
    const newest = await pages.latest(5);
    expect(newest.messages.map((doc) => doc.seq)).toEqual(written.slice(-5).map((doc) => doc.seq));
    expect(reads()).toBeLessThanOrEqual(5);
    await store.db.dropDatabase();
  });

  it('reads messages stored before pages existed as page 0', async () => {
    const { client } = suite.stack.server.mongo;
    const db = client.db(`pages_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
    const collections = collectionsOf(db);
    const legacy = Array.from({ length: 10 }, (_, i) => ({ _id: `legacy-${i}`, seq: 100 + i }));
    await db.collection<{ _id: string; seq: number }>('messages').insertMany(legacy);
    const repository = new MessagePagesRepository(collections);
    const pages = new MessagePages(
      new MessageSequence(
        new LiveRedis(suite.stack.server.redis, `pages-${randomUUID().slice(0, 8)}:`),
      ),
      repository,
      new MessagesRepository(collections),
      PAGE_SIZE,
    );
    await repository.start();
    // Not rewritten: page 0 reads them as they are.
    expect(await repository.highest()).toBe(0);
    const read = await pages.after(104, 3);
    expect(read.map((doc) => doc.seq)).toEqual([105, 106, 107]);
    await db.dropDatabase();
  });
});
