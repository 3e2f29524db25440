// Delivery guarantees: one customer on several sockets, retried sends stored once, replay by
// cursor after a reconnect, and the queue surviving a Redis restart.
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@callcenter/shared';
import { TestClient, asAgentSync, useTestStack } from '@callcenter/devstack/testing';

// appendfsync always: every acknowledged write is on disk before a SIGKILL.
const suite = useTestStack({ appendfsync: 'always' });

async function track(client: Promise<TestClient>): Promise<TestClient> {
  return suite.track(await client);
}

describe('one customer on three sockets', () => {
  it('a request from one shows on all; a second request returns the existing one', async () => {
    const account = await suite.stack.createCustomer();
    const sockets = await Promise.all(
      [0, 1, 2].map(() => track(TestClient.login(suite.stack, account))),
    );
    const first = await sockets[0]!.requestOk('chat.request');
    for (const socket of sockets) {
      const state = await socket.waitFor('customer.state', (s) => s.state === 'requestSent');
      expect(state.requestId).toBe(first.state.requestId);
      expect(state.position).toBe(1);
    }
    const again = await sockets[2]!.requestOk('chat.request');
    expect(again.state.requestId).toBe(first.state.requestId);
    expect(await suite.stack.server.redis.zcard('cc:queue')).toBe(1);

    // A message from one socket reaches the customer's other sockets.
    const sent = await sockets[1]!.requestOk('message.send', {
      clientMsgId: 'multi-1',
      text: 'from my phone',
    });
    await sockets[0]!.waitFor('message.new', (m) => m.id === sent.message.id);
    await sockets[2]!.waitFor('message.new', (m) => m.id === sent.message.id);
  });
});

describe('retried sends', () => {
  it('the same client message id sent 5 times, one after another and concurrently: stored once, delivered once', async () => {
    const agent = await track(TestClient.login(suite.stack, await suite.stack.createAgent()));
    const customer = await track(TestClient.login(suite.stack, await suite.stack.createCustomer()));
    await customer.requestOk('chat.request');

    const sequential: ChatMessage[] = [];
    for (let i = 0; i < 5; i += 1) {
      sequential.push(
        (
          await customer.requestOk('message.send', {
            clientMsgId: 'retry-seq',
            text: 'once',
          })
        ).message,
      );
    }
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () =>
        customer.requestOk('message.send', {
          clientMsgId: 'retry-par',
          text: 'once too',
        }),
      ),
    );
    expect(new Set(sequential.map((m) => m.id)).size).toBe(1);
    expect(new Set(concurrent.map((r) => r.message.id)).size).toBe(1);

    const messages = suite.stack.server.mongo.collections.messages;
    expect(await messages.countDocuments({ clientMsgId: 'retry-seq' })).toBe(1);
    expect(await messages.countDocuments({ clientMsgId: 'retry-par' })).toBe(1);

    // A marker sent last: once it arrives, everything before it has been delivered.
    await customer.requestOk('message.send', { clientMsgId: 'marker', text: 'marker' });
    await agent.waitFor('message.new', (m) => m.clientMsgId === 'marker');
    const delivered = agent.received('message.new').map((m) => m.clientMsgId);
    expect(delivered).toEqual(['retry-seq', 'retry-par', 'marker']);
  });

  it('agent sends retried concurrently are stored and delivered once', async () => {
    const agent = await track(TestClient.login(suite.stack, await suite.stack.createAgent()));
    const customer = await track(TestClient.login(suite.stack, await suite.stack.createCustomer()));
    await customer.requestOk('chat.request');
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        agent.requestOk('message.send', {
          customerId: customer.account!.id,
          clientMsgId: 'agent-retry',
          text: 'hi',
        }),
      ),
    );
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(
      await suite.stack.server.mongo.collections.messages.countDocuments({
        clientMsgId: 'agent-retry',
      }),
    ).toBe(1);
    await agent.requestOk('message.send', {
      customerId: customer.account!.id,
      clientMsgId: 'agent-marker',
      text: 'marker',
    });
    await customer.waitFor('message.new', (m) => m.clientMsgId === 'agent-marker');
    expect(customer.received('message.new').map((m) => m.clientMsgId)).toEqual([
      'agent-retry',
      'agent-marker',
    ]);
  });
});

describe('replay after reconnect', () => {
  it('an agent disconnects, customers send 10 messages, the agent reconnects with its cursor and gets exactly those 10 in order', async () => {
    const agentAccount = await suite.stack.createAgent();
    const agent = await track(TestClient.login(suite.stack, agentAccount));
    const customers = await Promise.all(
      [0, 1].map(async () =>
        track(TestClient.login(suite.stack, await suite.stack.createCustomer())),
      ),
    );
    for (const customer of customers) await customer.requestOk('chat.request');
    await customers[0]!.requestOk('message.send', {
      clientMsgId: 'before',
      text: 'before the drop',
    });
    await agent.waitFor('message.new', (m) => m.clientMsgId === 'before');
    const { cursor } = await agent.requestOk('session.sync', {});

    agent.close();
    const sent: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const customer = customers[i % 2]!;
      const { message } = await customer.requestOk('message.send', {
        clientMsgId: `gap-${i}`,
        text: `while away ${i}`,
      });
      sent.push(message.id);
    }

    const back = await track(TestClient.connect(suite.stack.url, agent.token, agentAccount));
    const replay = await back.requestOk('session.sync', { since: cursor });
    expect(replay.messages.map((m) => m.id)).toEqual(sent);
    expect(replay.hasMore).toBe(false);
    expect(replay.cursor).toBe(replay.messages.at(-1)!.seq);
    // Nothing more after the new cursor.
    const empty = await back.requestOk('session.sync', {
      since: replay.cursor,
    });
    expect(empty.messages).toEqual([]);
  });
});

describe('Redis restart', () => {
  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'the queue survives a %s restart of Redis',
    async (signal) => {
      const customers = await Promise.all(
        [0, 1, 2].map(async () =>
          track(TestClient.login(suite.stack, await suite.stack.createCustomer())),
        ),
      );
      for (const customer of customers) await customer.requestOk('chat.request');
      const before = await suite.stack.server.redis.zrange('cc:queue', '0', '-1');
      expect(before).toHaveLength(3);

      await suite.stack.redis.stop(signal);
      await suite.stack.redis.start();
      await expect
        .poll(() => suite.stack.server.redis.ping().catch(() => 'down'), { timeout: 15_000 })
        .toBe('PONG');

      expect(await suite.stack.server.redis.zrange('cc:queue', '0', '-1')).toEqual(before);
      // The server carries on: a new agent sees the queue in the same order and takes the top.
      const agent = await track(TestClient.login(suite.stack, await suite.stack.createAgent()));
      const sync = asAgentSync(await agent.requestOk('session.sync', {}));
      expect(sync.queue.entries.map((e) => e.customerId)).toEqual(
        customers.map((c) => c.account!.id),
      );
      const started = await agent.requestOk('chat.start');
      expect(started.customer.id).toBe(customers[0]!.account!.id);
    },
  );
});

describe('state versions', () => {
  it('every change of a customer or agent state carries a higher version', async () => {
    const agent = await track(TestClient.login(suite.stack, await suite.stack.createAgent()));
    const customer = await track(TestClient.login(suite.stack, await suite.stack.createCustomer()));
    const versions: number[] = [];
    const requested = await customer.requestOk('chat.request');
    versions.push(requested.state.version);
    const started = await agent.requestOk('chat.start');
    const inConversation = await customer.waitFor(
      'customer.state',
      (s) => s.state === 'inConversation',
    );
    versions.push(inConversation.version);
    const ended = await customer.requestOk('chat.end');
    versions.push(ended.state.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(3);
    const agentEnded = await agent.waitFor('agent.state', (s) => s.state === 'conversationEnded');
    expect(agentEnded.version).toBeGreaterThan(started.state.version);
  });

  it('versions keep growing after Redis lost its data', async () => {
    const customer = await track(TestClient.login(suite.stack, await suite.stack.createCustomer()));
    const before = await customer.requestOk('chat.request');
    await customer.requestOk('chat.end');
    await suite.stack.server.redis.del(`cc:cust:${customer.account!.id}`);
    const after = await customer.requestOk('chat.request');
    expect(after.state.version).toBeGreaterThan(before.state.version);
  });
});
