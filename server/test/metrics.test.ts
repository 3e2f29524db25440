// Issue 15, part 7: GET /metrics in the Prometheus text format, scraped from a real node (real
// Redis, real storage, real Socket.IO clients) and parsed by a Prometheus text-format parser,
// checked against what a known scenario did.
import { describe, expect, it, vi } from 'vitest';
import type { Tier } from '@callcenter/shared';
import { asAgentSync, TestClient, useTestStack } from '@callcenter/devstack/testing';
import { connectSocket } from '@callcenter/devstack/sockets';
import { configFrom, configProblems } from './support/configProblems';
import { getMetrics, scrape, type Scraped } from './support/scrape';

const TOKEN = 'metrics-token-for-tests-0123456789';
const suite = useTestStack({ config: { metrics: { token: TOKEN, port: 0, host: '127.0.0.1' } } });

/** The node's metrics port (METRICS_PORT 0: a free one). */
function metricsUrl(): string {
  const port = suite.stack.server.metricsPort;
  if (port === null) throw new Error('the node has no metrics port');
  return `http://127.0.0.1:${port}`;
}

/** What changed between two scrapes for a counter or a histogram's count. */
function delta(before: Scraped, after: Scraped) {
  return {
    value: (name: string, labels: Record<string, string> = {}) =>
      after.value(name, labels) - before.value(name, labels),
    count: (name: string, labels: Record<string, string> = {}) =>
      after.count(name, labels) - before.count(name, labels),
  };
}

describe('GET /metrics', () => {
  it('counts what a known scenario did: queue per tier, take, messages both ways, refusals, sockets', async () => {
    const stack = suite.stack;
    const before = await scrape(stack.url, TOKEN);

    // Three customers of different tiers queue.
    const startedAt = Date.now();
    const customers = new Map<Tier, TestClient>();
    for (const tier of ['standard', 'gold', 'platinum'] as const) {
      const customer = await suite.loginNew('customer', tier);
      await customer.requestOk('chat.request');
      customers.set(tier, customer);
    }
    const queued = await scrape(stack.url, TOKEN);
    const queuedAt = Date.now();
    for (const tier of ['standard', 'gold', 'platinum']) {
      expect(queued.value('callcenter_queue_depth', { tier })).toBe(1);
      const longest = queued.value('callcenter_queue_wait_longest_seconds', { tier });
      const average = queued.value('callcenter_queue_wait_average_seconds', { tier });
      expect(longest).toBeGreaterThanOrEqual(0);
      expect(longest).toBeLessThanOrEqual((queuedAt - startedAt) / 1000 + 0.001);
      // One request per tier: its wait is the longest and the average.
      expect(average).toBeCloseTo(longest, 6);
    }

    // One agent (room for three) takes the gold customer's request, then the top of the queue,
    // then writes first to a customer who never asked: one take of each kind.
    const agentAccount = await stack.createAgent();
    await stack.server.mongo.collections.agents.updateOne(
      { _id: agentAccount.id },
      { $set: { capacity: 3 } },
    );
    const agent = suite.track(await TestClient.login(stack, agentAccount));
    const sync = asAgentSync(await agent.requestOk('session.sync', {}));
    const gold = customers.get('gold')!;
    const goldRequest = sync.queue.entries.find((e) => e.customerId === gold.account!.id)!;
    const taken = await agent.requestOk('chat.take', { requestId: goldRequest.requestId });
    expect(taken.customer.id).toBe(gold.account!.id);
    const top = await agent.requestOk('chat.start');
    const topTier = top.customer.profile.tier;
    expect(topTier).not.toBe('gold');
    const leftTier = topTier === 'standard' ? 'platinum' : 'standard';
    const unasked = await stack.createCustomer('platinum');
    await agent.requestOk('message.send', {
      customerId: unasked.id,
      clientMsgId: 'first-word',
      text: 'We noticed your order is late',
    });

    // Messages both ways: two more from the agent, one from the customer, each seen delivered.
    const goldMark = gold.mark();
    const agentMark = agent.mark();
    for (const [i, text] of ['Hello Gold', 'How can I help?'].entries()) {
      await agent.requestOk('message.send', {
        customerId: gold.account!.id,
        clientMsgId: `agent-${i}`,
        text,
      });
    }
    await gold.requestOk('message.send', { clientMsgId: 'gold-1', text: 'My order is late' });
    // A retry of the same message is answered with it, and is no new message.
    await gold.requestOk('message.send', { clientMsgId: 'gold-1', text: 'My order is late' });
    await gold.waitFor('message.new', (m) => m.text === 'How can I help?', goldMark);
    await agent.waitFor('message.new', (m) => m.text === 'My order is late', agentMark);

    // One forbidden event (an agent's, from a customer) and one invalid payload.
    const forbidden = await customers.get('standard')!.request('chat.take', {
      requestId: goldRequest.requestId,
    });
    expect(forbidden.ok || forbidden.error.code).toBe('forbidden');
    const invalid = await customers.get('platinum')!.requestRaw('message.send', { text: 42 });
    expect(invalid.ok || invalid.error.code).toBe('invalid_payload');
    // A refused handshake and a refused login.
    await expect(connectSocket(stack.url, 'not-a-token')).rejects.toThrow('unauthorized');
    const badLogin = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'agent', login: agent.account!.login, password: 'wrong' }),
    });
    expect(badLogin.status).toBe(401);

    // Sockets are counted as they are when scraped: the clients of earlier tests are gone.
    await vi.waitFor(
      async () => {
        const now = await scrape(stack.url, TOKEN);
        expect(now.value('callcenter_sockets', { role: 'customer' })).toBe(3);
        expect(now.value('callcenter_sockets', { role: 'agent' })).toBe(1);
      },
      { timeout: 10_000, interval: 50 },
    );

    const after = await scrape(stack.url, TOKEN);
    const d = delta(before, after);
    expect(after.value('callcenter_queue_depth', { tier: 'gold' })).toBe(0);
    expect(after.value('callcenter_queue_depth', { tier: topTier })).toBe(0);
    expect(after.value('callcenter_queue_depth', { tier: leftTier })).toBe(1);
    expect(after.value('callcenter_queue_wait_longest_seconds', { tier: 'gold' })).toBe(0);

    expect(d.value('callcenter_chat_takes_total', { how: 'take', tier: 'gold' })).toBe(1);
    expect(d.value('callcenter_chat_takes_total', { how: 'start', tier: topTier })).toBe(1);
    expect(d.value('callcenter_chat_takes_total', { how: 'message', tier: 'platinum' })).toBe(1);
    expect(
      after.total('callcenter_chat_takes_total') - before.total('callcenter_chat_takes_total'),
    ).toBe(3);
    // Two of the takes were of queued requests (the third wrote to a customer who never asked).
    expect(
      after.count('callcenter_queue_wait_at_take_seconds', { tier: 'gold' }) -
        before.count('callcenter_queue_wait_at_take_seconds', { tier: 'gold' }),
    ).toBe(1);
    expect(
      after.count('callcenter_queue_wait_at_take_seconds', { tier: topTier }) -
        before.count('callcenter_queue_wait_at_take_seconds', { tier: topTier }),
    ).toBe(1);
    expect(d.value('callcenter_messages_received_total', { role: 'agent' })).toBe(3);
    expect(d.value('callcenter_messages_received_total', { role: 'customer' })).toBe(1);
    expect(d.value('callcenter_messages_delivered_total', { kind: 'message' })).toBe(4);
    expect(d.count('callcenter_message_delivery_seconds', { kind: 'message' })).toBe(4);

    expect(d.value('callcenter_errors_total', { source: 'socket', code: 'forbidden' })).toBe(1);
    expect(d.value('callcenter_errors_total', { source: 'socket', code: 'invalid_payload' })).toBe(
      1,
    );
    expect(d.value('callcenter_errors_total', { source: 'handshake', code: 'unauthorized' })).toBe(
      1,
    );
    expect(
      d.value('callcenter_errors_total', { source: 'http', code: 'invalid_credentials' }),
    ).toBe(1);

    // Every event is timed once, from arrival to ack: 3 requests; 5 sends (the retry included)
    // and the invalid one; the take and the refused one.
    expect(d.count('callcenter_socket_event_duration_seconds', { event: 'chat.request' })).toBe(3);
    expect(d.count('callcenter_socket_event_duration_seconds', { event: 'message.send' })).toBe(6);
    expect(d.count('callcenter_socket_event_duration_seconds', { event: 'chat.take' })).toBe(2);

    // Redis: one takeRequest script and three requestChat scripts, named by their hash.
    const script = (name: string) => ({ command: 'evalsha', script: name });
    expect(d.count('callcenter_redis_command_duration_seconds', script('takeRequest'))).toBe(1);
    expect(d.count('callcenter_redis_command_duration_seconds', script('requestChat'))).toBe(3);
    // Storage: the three new messages (and the conversation's record) were inserts.
    expect(
      d.count('callcenter_store_command_duration_seconds', { command: 'insert', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(3);

    // Only the event loop's lag figures may be NaN (before their first sample).
    for (const series of after.notANumber) {
      expect(series).toMatch(/^callcenter_nodejs_eventloop_lag_\w+_seconds$/);
    }
    // The process metrics come with the node's prefix.
    expect(after.value('callcenter_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(after.family('callcenter_nodejs_heap_size_used_bytes').type).toBe('gauge');
  });

  it('asks for the token on the main port and on the metrics port', async () => {
    const stack = suite.stack;
    for (const url of [stack.url, metricsUrl()]) {
      for (const token of [undefined, 'wrong-token-wrong-token']) {
        const refused = await getMetrics(url, token);
        expect(refused.status).toBe(401);
        expect(await refused.json()).toMatchObject({ error: { code: 'unauthorized' } });
      }
      const scraped = await scrape(url, TOKEN);
      expect(scraped.family('callcenter_queue_depth').type).toBe('gauge');
    }
    // The metrics port serves nothing else.
    const other = await fetch(`${metricsUrl()}/api/auth/login`);
    expect(other.status).toBe(404);
  });

  it('is not served on the main port without a token; a metrics port alone serves it', async () => {
    const node = await suite.stack.addNode({
      metrics: { token: null, port: 0, host: '127.0.0.1' },
    });
    const closed = await getMetrics(node.url);
    expect(closed.status).toBe(404);
    const refusal = (await closed.json()) as { error: { code: string; message: string } };
    expect(refusal.error.code).toBe('not_found');
    expect(refusal.error.message).toContain('METRICS_TOKEN');
    // Even a browser's page load gets the refusal, never a client's page.
    const page = await fetch(`${node.url}/metrics`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    const open = await scrape(`http://127.0.0.1:${node.metricsPort}`);
    expect(open.value('callcenter_sockets', { role: 'agent' })).toBe(0);

    // Each node counts its own (a registry per node, though both run in this process).
    const account = await suite.stack.createAgent();
    suite.track(await TestClient.login(suite.stack, account, node.url));
    const here = await scrape(`http://127.0.0.1:${node.metricsPort}`);
    expect(here.value('callcenter_sockets', { role: 'agent' })).toBe(1);
    await vi.waitFor(
      async () => {
        const first = await scrape(suite.stack.url, TOKEN);
        expect(first.value('callcenter_sockets', { role: 'agent' })).toBe(0);
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});

describe('GET /metrics while Redis is away', () => {
  it('still answers, without the queue figures it cannot read', async () => {
    const stack = suite.stack;
    await stack.redis.stop('SIGKILL');
    try {
      const scraped = await scrape(stack.url, TOKEN);
      expect(scraped.family('callcenter_queue_depth').data).toEqual([]);
      expect(scraped.family('callcenter_queue_wait_longest_seconds').data).toEqual([]);
      expect(scraped.value('callcenter_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    } finally {
      if (!stack.redis.running) await stack.redis.start();
    }
    // Back (the node ready again): the next scrape has them again.
    await expect
      .poll(async () => (await fetch(`${stack.url}/readyz`)).status, { timeout: 15_000 })
      .toBe(200);
    await vi.waitFor(
      async () => {
        const scraped = await scrape(stack.url, TOKEN);
        expect(scraped.value('callcenter_queue_depth', { tier: 'gold' })).toBe(0);
      },
      { timeout: 15_000, interval: 100 },
    );
  });
});

describe('METRICS_* settings', () => {
  it('reads the token, the port and its host; empty is unset', () => {
    expect(configFrom({}).metrics).toEqual({ token: null, port: null, host: '127.0.0.1' });
    expect(configFrom({ METRICS_TOKEN: '', METRICS_PORT: '' }).metrics).toEqual({
      token: null,
      port: null,
      host: '127.0.0.1',
    });
    expect(
      configFrom({ METRICS_TOKEN: TOKEN, METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0' }).metrics,
    ).toEqual({ token: TOKEN, port: 9100, host: '0.0.0.0' });
  });

  it('refuses a short or spaced token, a bad port, and the main port', () => {
    expect(configProblems({ METRICS_TOKEN: 'short' })).toEqual([
      'METRICS_TOKEN: METRICS_TOKEN must be 16-200 printable characters, no spaces',
    ]);
    expect(configProblems({ METRICS_TOKEN: 'has a space in it, see' })).toHaveLength(1);
    expect(configProblems({ METRICS_PORT: '70000' })).toHaveLength(1);
    expect(configProblems({ METRICS_PORT: 'nine' })).toHaveLength(1);
    expect(configProblems({ PORT: '3000', METRICS_PORT: '3000' })).toEqual([
      'METRICS_PORT: METRICS_PORT must differ from PORT (it is a listener of its own)',
    ]);
  });
});
