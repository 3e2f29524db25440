// A bounded fuzz run: agents and customers send random valid and invalid event sequences for a
// fixed time. The server never crashes, every client keeps being served, and the invariants
// hold. The seed is printed; FUZZ_SEED=<n> replays a run.
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@callcenter/shared';
import { InvariantChecker, useTestStack, type TestClient } from '@callcenter/devstack/testing';

const DURATION_MS = Number(process.env.FUZZ_DURATION_MS ?? 12_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const suite = useTestStack({ config: { rateLimit: { eventsPerSecond: 50, burst: 100 } } });

describe('fuzz', () => {
  it(`random valid and invalid event sequences for ${DURATION_MS} ms (seed ${SEED})`, async () => {
    process.stdout.write(`fuzz seed ${SEED}\n`);
    const next = random(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const invariants = new InvariantChecker(
      suite.stack.server.mongo.collections,
      suite.stack.server.redis,
    );
    const agents = await Promise.all([0, 1, 2].map(() => suite.loginNew('agent')));
    const tiers = ['standard', 'gold', 'platinum'] as const;
    const customers = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => suite.loginNew('customer', tiers[i % 3])),
    );
    const customerIds = customers.map((c) => c.account!.id);
    const knownIds = [...customerIds, 'nope', ''];
    const requestIds: string[] = [];
    const conversationIds: string[] = [];

    const junk = (): unknown =>
      pick([
        null,
        42,
        'text',
        [],
        { $ne: null },
        { $gt: '' },
        { $regex: '.*' },
        JSON.parse('{"__proto__":{"polluted":true}}'),
        { constructor: { prototype: { polluted: true } } },
        'x'.repeat(5_000),
        { nested: { deeper: { deepest: [1, 2, 3] } } },
      ]);
    const maybeJunk = (value: unknown): unknown => (next() < 0.2 ? junk() : value);
    let counter = 0;
    const clientMsgId = (): unknown => maybeJunk(`fz-${SEED}-${(counter += 1)}`);

    const customerEvents = [
      'chat.request',
      'chat.end',
      'message.send',
      'session.sync',
      'chat.start',
      'chat.take',
      'no.such.event',
    ];
    const agentEvents = [
      'chat.start',
      'chat.take',
      'chat.end',
      'message.send',
      'session.sync',
      'chat.request',
      'session.exit',
    ];

    async function act(client: TestClient, role: 'agent' | 'customer'): Promise<void> {
      const event = pick(role === 'agent' ? agentEvents : customerEvents);
      let payload: unknown = {};
      if (event === 'message.send') {
        payload =
          role === 'agent'
            ? {
                customerId: maybeJunk(pick(knownIds)),
                clientMsgId: clientMsgId(),
                text: maybeJunk('hello from an agent'),
              }
            : { clientMsgId: clientMsgId(), text: maybeJunk('hello from a customer') };
      } else if (event === 'chat.take') {
        payload = { requestId: maybeJunk(pick([...requestIds, 'missing'])) };
      } else if (event === 'chat.end' && role === 'agent') {
        payload = { conversationId: maybeJunk(pick([...conversationIds, 'missing'])) };
      } else if (event === 'session.sync') {
        payload = { since: maybeJunk(Math.floor(next() * 50)) };
      } else if (next() < 0.1) {
        payload = junk();
      }
      const result = await client.requestRaw(event, payload, 10_000);
      if (!result.ok) {
        expect(result.error.code).toMatch(/^[a-z_]+$/);
        expect(result.error.code).not.toBe('internal');
        return;
      }
      // Any event, of any name: the test client checked the ack against the event's schema, and
      // these are the fields of it the fuzz keeps.
      const { message, state } = result as {
        message?: ChatMessage;
        state?: { requestId?: string | null; conversationId?: string | null };
      };
      if (message) invariants.recordAcked(message);
      if (event === 'chat.request' && role === 'customer')
        invariants.recordRequested(client.account!.id);
      if (state?.requestId) requestIds.push(state.requestId);
      if (state?.conversationId) conversationIds.push(state.conversationId);
    }

    const deadline = Date.now() + DURATION_MS;
    let actions = 0;
    await Promise.all(
      [
        ...agents.map((c) => [c, 'agent'] as const),
        ...customers.map((c) => [c, 'customer'] as const),
      ].map(async ([client, role]) => {
        while (Date.now() < deadline) {
          await act(client, role);
          actions += 1;
        }
      }),
    );
    process.stdout.write(
      `fuzz: ${actions} actions, ${invariants.ackedCount} messages acknowledged\n`,
    );
    expect(actions).toBeGreaterThan(100);

    // The server is up and serves everyone; nothing was polluted.
    expect((await fetch(`${suite.stack.url}/healthz`)).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await invariants.checkAll(
      agents,
      customers.map((client) => ({ client, customerId: client.account!.id })),
    );
  }, 120_000);
});
