// One account must not stall everyone: a customer opening many sockets and flooding each
// within the per-socket limit (full re-syncs and sends) leaves another customer's latency
// near idle. The figures are ratios with generous bounds; the precise ones belong in the bench.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MessageDoc } from '../src/store/documents';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack({
  config: {
    rateLimit: { eventsPerSecond: 20, burst: 60 },
    socketLimits: { perUser: 10, perAddress: 10_000 },
  },
});

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0;
}

/**
 * Customers' latencies: full re-syncs and sends, one after another, each customer within its
 * own budget (a chat request, 4 re-syncs at 10 tokens and 10 sends: 51 of the default burst of
 * 60, whatever the time they take).
 */
let client: TestClient;
async function measure(label: string): Promise<{ sync: number; send: number }> {
  const sync: number[] = [];
  const send: number[] = [];
  for (let i = 0; i < 30; i += 1) {
    // A new customer every 10 steps: each stays within its own budget.
    if (i % 10 === 0) {
      client = await suite.loginNew('customer');
      await client.requestOk('chat.request');
    }
    let started = performance.now();
    if (i % 3 === 0) {
      await client.requestOk('session.sync', { since: 0 });
      sync.push(performance.now() - started);
    }
    started = performance.now();
    await client.requestOk('message.send', {
      clientMsgId: `${label}-${i}`,
      text: `${label} ${i}`,
    });
    send.push(performance.now() - started);
  }
  return { sync: p95(sync), send: p95(send) };
}

async function seedHistory(customerId: string, count: number): Promise<void> {
  const docs: MessageDoc[] = Array.from({ length: count }, (_, i) => ({
    _id: randomUUID(),
    seq: i + 1,
    // Below every page the server numbers in (page 0 holds what was stored before pages).
    page: 0,
    clientMsgId: `seed-${i}`,
    senderKey: `customer:${customerId}`,
    sender: { role: 'customer', id: customerId, displayName: 'Flooder' },
    customerId,
    conversationId: 'seeded',
    text: `history ${i}`,
    priority: 1,
    createdAt: new Date(Date.now() - (count - i) * 1000),
  }));
  await suite.stack.server.mongo.collections.messages.insertMany(docs);
}

describe('one account flooding', () => {
  it('is capped in sockets and work, and leaves another customer within 2x of idle', async () => {
    const stack = suite.stack;
    const flooderAccount = await stack.createCustomer();
    await seedHistory(flooderAccount.id, 1_000);
    const idle = await measure('idle');

    // One token, many sockets: only the cap's worth connect.
    const { token } = await stack.login(flooderAccount);
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, () => TestClient.connect(stack.url, token, flooderAccount)),
    );
    const sockets = attempts.flatMap((a) =>
      a.status === 'fulfilled' ? [suite.track(a.value)] : [],
    );
    const refused = attempts.flatMap((a) =>
      a.status === 'rejected' ? [(a.reason as Error).message] : [],
    );
    expect(sockets).toHaveLength(10);
    expect(refused).toEqual(Array.from({ length: 10 }, () => 'rate_limited'));
    await sockets[0]!.requestOk('chat.request');

    // Each socket at the old per-socket limit: 20 events a second, full re-syncs and sends.
    let flooding = true;
    let sent = 0;
    const floods = sockets.map(async (socket, index) => {
      while (flooding) {
        const burst = Array.from({ length: 20 }, (_, i) => {
          sent += 1;
          return i % 2 === 0
            ? socket.request('session.sync', { since: 0 }, 30_000)
            : socket.request(
                'message.send',
                { clientMsgId: `flood-${index}-${sent}`, text: 'flood' },
                30_000,
              );
        });
        // Paced, not waited on: a flood does not wait for its answers.
        void Promise.allSettled(burst);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    });
    const loaded = await measure('loaded');
    flooding = false;
    await Promise.all(floods);
    for (const socket of sockets) socket.close();
    // The server is not left working through a backlog once the flood stops.
    const after = await measure('after');

    // Twice idle, or idle plus 100 ms on a small figure: before, the flood made them seconds.
    const bound = (base: number) => Math.max(2 * base, base + 100);
    expect(loaded.sync).toBeLessThan(bound(idle.sync));
    expect(loaded.send).toBeLessThan(bound(idle.send));
    expect(after.sync).toBeLessThan(bound(idle.sync));
    expect(after.send).toBeLessThan(bound(idle.send));
  });

  it("charges a re-sync ten events' worth of the budget, and any other event one", async () => {
    // The burst of 60 holds 6 re-syncs sent at once (refill adds 20 a second: not a tenth in
    // the few milliseconds they take to arrive); the seventh is refused on arrival.
    const syncing = await suite.loginNew('customer');
    const syncs = await Promise.all(
      Array.from({ length: 7 }, () => syncing.request('session.sync', { since: 0 }, 30_000)),
    );
    const refusedSyncs = syncs.filter((ack) => !ack.ok && ack.error.code === 'rate_limited');
    expect(refusedSyncs).toHaveLength(1);

    // The same budget holds 40 light events at once, with room to spare.
    const light = await suite.loginNew('customer');
    const acks = await Promise.all(
      Array.from({ length: 40 }, () => light.request('chat.end', {}, 30_000)),
    );
    expect(acks.filter((ack) => !ack.ok && ack.error.code === 'rate_limited')).toEqual([]);
  });
});
