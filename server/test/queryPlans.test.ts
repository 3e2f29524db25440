// Every lookup the product makes in storage is answered from an index, not a scan: the store's
// own query plan for each filter the repositories actually send (captured as they run) is read
// with `explain`. Reads across every customer (an agent's sync from storage, the replay index's
// warm-up) go a storage page at a time: FerretDB pushes no range or sort down, only equality.
import { randomUUID } from 'node:crypto';
import type { Collection, Document } from 'mongodb';
import { describe, expect, it, vi } from 'vitest';
import { LiveRedis } from '../src/live/liveRedis';
import { MessageSequence } from '../src/live/messageSequence';
import { MessagePages } from '../src/services/messagePages';
import { AccountsRepository } from '../src/store/accounts';
import { MessagePagesRepository } from '../src/store/messagePages';
import { MessagesRepository } from '../src/store/messages';
import type { Collections, MessageDoc } from '../src/store/documents';
import { useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack();

/** Enough rows that a planner prefers an index to reading the table. */
const MESSAGES = 5_000;
const CUSTOMERS = 500;

interface Sent {
  collection: string;
  filter: Document;
}

/** Runs `operation` and returns every filter it sent to `find` / `findOne` (spies only watch). */
async function filtersSentBy(
  collections: Collections,
  operation: () => Promise<unknown>,
): Promise<Sent[]> {
  const watched = (Object.values(collections) as Collection[]).flatMap((collection) => [
    { collection, spy: vi.spyOn(collection, 'find') },
    { collection, spy: vi.spyOn(collection, 'findOne') },
  ]);
  const sent: Sent[] = [];
  try {
    await operation();
  } finally {
    for (const { collection, spy } of watched) {
      for (const [filter] of spy.mock.calls) {
        // The driver's findOne calls find: one filter, seen twice.
        const seen = sent.some(
          (one) =>
            one.collection === collection.collectionName &&
            JSON.stringify(one.filter) === JSON.stringify(filter),
        );
        if (!seen) sent.push({ collection: collection.collectionName, filter });
      }
    }
    vi.restoreAllMocks();
  }
  return sent;
}

/** How the store answers `filter`: an index, a scan, or (SQLite-backed FerretDB) unknown. */
async function planOf(sent: Sent): Promise<'index' | 'scan' | 'unknown'> {
  const explained = await suite.stack.server.mongo.db.command({
    explain: { find: sent.collection, filter: sent.filter },
    verbosity: 'queryPlanner',
  });
  const plan = JSON.stringify(explained.queryPlanner ?? {});
  // MongoDB: IXSCAN / EXPRESS / IDHACK stages; FerretDB on PostgreSQL: PostgreSQL's own plan.
  if (/IXSCAN|EXPRESS_|IDHACK|Index Scan|Index Only Scan/.test(plan)) return 'index';
  if (/COLLSCAN|Seq Scan/.test(plan)) return 'scan';
  return 'unknown';
}

describe('the product reads storage through indexes', () => {
  it('logins, profiles, customer syncs and replays, retries and conversations', async (context) => {
    const { collections } = suite.stack.server.mongo;
    const customerIds = Array.from({ length: CUSTOMERS }, () => randomUUID());
    const docs: MessageDoc[] = Array.from({ length: MESSAGES }, (_, i) => {
      const customerId = customerIds[i % CUSTOMERS] ?? '';
      return {
        _id: randomUUID(),
        seq: 1_000 + i,
        page: Math.floor(i / 500),
        clientMsgId: `plan-${i}`,
        senderKey: `customer:${customerId}`,
        sender: { role: 'customer', id: customerId, displayName: 'Plan' },
        customerId,
        conversationId: `conversation-${customerId}`,
        text: `message ${i}`,
        priority: 1,
        createdAt: new Date(),
      };
    });
    await collections.messages.insertMany(docs);
    const agent = await suite.stack.createAgent();
    const customer = await suite.stack.createCustomer();
    await collections.customers.insertMany(
      customerIds.map((id, i) => ({
        _id: id,
        login: `plan-customer-${i}`,
        displayName: `Customer ${i}`,
        passwordHash: 'unused',
        disabled: false,
        email: null,
        createdAt: new Date(),
        updatedAt: new Date(),
        tier: 'standard' as const,
        phone: null,
        company: null,
        customerSince: new Date(),
        notes: null,
      })),
    );

    const accounts = new AccountsRepository(collections);
    const messages = new MessagesRepository(collections);
    const pagesOnRecord = new MessagePagesRepository(collections);
    for (let page = 0; page < MESSAGES / 500; page += 1) {
      await pagesOnRecord.record(page, 1_000 + page * 500 - 1);
    }
    // No count in Redis: the newest page is the highest on record.
    await suite.stack.server.redis.del('cc:msg:pages');
    const pages = new MessagePages(
      new MessageSequence(new LiveRedis(suite.stack.server.redis)),
      pagesOnRecord,
      messages,
    );
    const someCustomer = customerIds[7] ?? '';
    const operations: Record<string, () => Promise<unknown>> = {
      'agent login by name': () => accounts.findForLogin('agent', agent.login),
      'customer login by name': () => accounts.findForLogin('customer', customer.login),
      'customer profile by id': () => accounts.findCustomer(someCustomer),
      'agent by id': () => accounts.findUser('agent', agent.id),
      "customer's first sync": () => messages.listLatest(someCustomer, 500),
      "customer's replay from a cursor": () => messages.listAfter(someCustomer, 2_000, 500),
      'a retried send (sender and client message id)': () =>
        messages.findBySender(`customer:${someCustomer}`, 'plan-7'),
      'a message by sequence number': () => messages.findBySeq(3_000),
      "an agent's first sync from storage (every customer)": () => pages.latest(500),
      "an agent's replay from a cursor older than the replay index": () => pages.after(2_000, 500),
      'a conversation transcript': () =>
        messages.listForConversation(`conversation-${someCustomer}`),
    };

    const plans: Record<string, string> = {};
    for (const [name, operation] of Object.entries(operations)) {
      const sent = await filtersSentBy(collections, operation);
      expect(sent, name).not.toHaveLength(0);
      for (const [i, one] of sent.entries()) {
        plans[`${name}${sent.length > 1 ? ` #${i + 1}` : ''}`] = await planOf(one);
      }
    }
    if (Object.values(plans).every((plan) => plan === 'unknown')) {
      // FerretDB on SQLite explains no plan (and scans for anything but _id): nothing to read.
      context.skip('this store does not explain its query plans');
    }
    expect(plans).toEqual(Object.fromEntries(Object.keys(plans).map((name) => [name, 'index'])));
  });
});
