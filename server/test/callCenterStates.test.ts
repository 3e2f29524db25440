// One test per scenario of spec/call-center-states.md, against the real server, a private
// Redis and the MongoDB-compatible store.
import { describe, expect, it, vi } from 'vitest';
import { TestClient, asAgentSync, useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack();
const { loginNew } = suite;

describe('Agent Chat Use Cases & States', () => {
  it('Agent Monitor Mode: the Waiting Customers queue is visible and synchronized via WebSocket', async () => {
    const agent = await loginNew('agent');
    const initial = await agent.waitFor('queue.snapshot');
    expect(initial.total).toBe(0);
    const sync = await agent.requestOk('session.sync', {});
    expect(sync.state.state).toBe('monitoring');

    const customer = await loginNew('customer', 'gold');
    const from = agent.mark();
    await customer.requestOk('chat.request');
    const updated = await agent.waitFor('queue.snapshot', (s) => s.total === 1, from);
    expect(updated.version).toBeGreaterThan(initial.version);
    expect(updated.entries[0]).toMatchObject({
      customerId: customer.account!.id,
      displayName: customer.account!.displayName,
      tier: 'gold',
      online: true,
      preview: null,
    });
  });

  it('Agent Start Chat (Top of Queue): the top customer is picked up, history cleared, context shown', async () => {
    const agent = await loginNew('agent');
    const first = await loginNew('customer', 'platinum');
    const second = await loginNew('customer');
    await first.requestOk('chat.request');
    await second.requestOk('chat.request');
    await first.requestOk('message.send', { clientMsgId: 'q-1', text: 'written while queued' });

    const started = await agent.requestOk('chat.start');
    expect(started.state.state).toBe('inConversation');
    expect(started.customer.id).toBe(first.account!.id);
    expect(started.customer.profile.tier).toBe('platinum');
    expect(started.customer.profile.email).toContain('@example.test');
    expect(started.messages.map((m) => m.text)).toEqual(['written while queued']);
    await first.waitFor('customer.state', (s) => s.state === 'inConversation');

    // The next conversation starts with a clean history: only that customer's messages.
    await agent.requestOk('message.send', {
      customerId: first.account!.id,
      clientMsgId: 'a-1',
      text: 'hello',
    });
    await agent.requestOk('chat.end', { conversationId: started.conversation.id });
    const next = await agent.requestOk('chat.start');
    expect(next.customer.id).toBe(second.account!.id);
    expect(next.messages).toEqual([]);
    expect(next.conversation.id).not.toBe(started.conversation.id);
  });

  it('Agent End Chat: the conversation ends and the state becomes Conversation Ended', async () => {
    const agent = await loginNew('agent');
    const customer = await loginNew('customer');
    await customer.requestOk('chat.request');
    const started = await agent.requestOk('chat.start');
    const from = customer.mark();
    const ended = await agent.requestOk('chat.end', {
      conversationId: started.conversation.id,
    });
    expect(ended.state.state).toBe('conversationEnded');
    await customer.waitFor('customer.state', (s) => s.state === 'conversationEnded', from);
    // The record follows Redis, as the start does (written after the ack).
    await vi.waitFor(async () => {
      const stored = await suite.stack.server.mongo.collections.conversations.findOne({
        _id: started.conversation.id,
      });
      expect(stored).toMatchObject({ status: 'ended', endedBy: 'agent' });
    });
    // Ending what is already ended is a no-op, not an error.
    const again = await agent.requestOk('chat.end', {
      conversationId: started.conversation.id,
    });
    expect(again.state.state).toBe('conversationEnded');
    // After the end, Start Chat works again (nothing queued: not_found).
    const more = await agent.request('chat.start');
    expect(more).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('Customer Chat Use Cases & States', () => {
  it('Customer Not Connected After Login: the page shows Not Connected and nothing is enqueued', async () => {
    const agent = await loginNew('agent');
    const customer = await loginNew('customer');
    const sync = await customer.requestOk('session.sync', {});
    expect(sync.state).toEqual({
      version: 0,
      state: 'notConnected',
      requestId: null,
      position: null,
      estimatedWait: null,
      conversationId: null,
      agent: null,
      ratingPending: false,
    });
    const agentSync = asAgentSync(await agent.requestOk('session.sync', {}));
    expect(agentSync.queue.total).toBe(0);
  });

  it('Customer Enqueues Assistance Request: the request is added to Waiting Customers', async () => {
    const agent = await loginNew('agent');
    const customers = [
      await loginNew('customer'),
      await loginNew('customer'),
      await loginNew('customer'),
    ];
    for (const [index, customer] of customers.entries()) {
      const { state } = await customer.requestOk('chat.request');
      expect(state.state).toBe('requestSent');
      expect(state.position).toBe(index + 1);
    }
    const snapshot = await agent.waitFor('queue.snapshot', (s) => s.total === 3);
    // FIFO: the queue lists customers in the order they asked.
    expect(snapshot.entries.map((e) => e.customerId)).toEqual(customers.map((c) => c.account!.id));
  });

  it('Customer Conversation Establishment: pickup removes the queued request and establishes the conversation', async () => {
    const agent = await loginNew('agent');
    const customer = await loginNew('customer');
    await customer.requestOk('chat.request');
    const from = agent.mark();
    const started = await agent.requestOk('chat.start');
    const state = await customer.waitFor('customer.state', (s) => s.state === 'inConversation');
    expect(state.conversationId).toBe(started.conversation.id);
    expect(state.agent).toEqual({ id: agent.account!.id, displayName: agent.account!.displayName });
    await agent.waitFor('queue.snapshot', (s) => s.total === 0, from);
    // The conversation's record follows the take (it is written after the ack).
    await vi.waitFor(async () => {
      const stored = await suite.stack.server.mongo.collections.conversations.findOne({
        _id: started.conversation.id,
      });
      expect(stored).toMatchObject({
        status: 'active',
        customerId: customer.account!.id,
        agentId: agent.account!.id,
      });
    });
  });

  it('Customer End Chat: ends the conversation if one exists, otherwise removes the queued request', async () => {
    const agent = await loginNew('agent');
    const customer = await loginNew('customer');

    await customer.requestOk('chat.request');
    const withdrawn = await customer.requestOk('chat.end');
    expect(withdrawn.state.state).toBe('notConnected');
    await agent.waitFor('queue.snapshot', (s) => s.total === 0 && s.version > 1);

    await customer.requestOk('chat.request');
    const started = await agent.requestOk('chat.start');
    const from = agent.mark();
    const ended = await customer.requestOk('chat.end');
    expect(ended.state.state).toBe('conversationEnded');
    await agent.waitFor('agent.state', (s) => s.state === 'conversationEnded', from);
    // The record follows Redis, as the start does (written after the ack).
    await vi.waitFor(async () => {
      const stored = await suite.stack.server.mongo.collections.conversations.findOne({
        _id: started.conversation.id,
      });
      expect(stored).toMatchObject({ status: 'ended', endedBy: 'customer' });
    });
  });

  it('Customer Exit: a queued request is removed and the session is logged out', async () => {
    const agent = await loginNew('agent');
    const customer = await loginNew('customer');
    await customer.requestOk('chat.request');
    await agent.waitFor('queue.snapshot', (s) => s.total === 1);
    const from = agent.mark();
    const closed = customer.waitForDisconnect();
    await customer.requestOk('session.exit');
    await customer.waitFor('session.revoked');
    await closed;
    await expect
      .poll(() => agent.received('queue.snapshot', from).at(-1)?.entries, {
        message: "the agents' queue to be empty",
        timeout: 10_000,
      })
      .toEqual([]);
    // The token no longer works.
    await expect(TestClient.connect(suite.stack.url, customer.token)).rejects.toThrow(
      'unauthorized',
    );
  });

  it('While queued, the customer sees its position move up as the queue ahead changes', async () => {
    const agent = await loginNew('agent');
    const queued = [
      await loginNew('customer'),
      await loginNew('customer'),
      await loginNew('customer'),
    ];
    for (const customer of queued) await customer.requestOk('chat.request');
    const [, second, third] = queued;
    const marks = [second!.mark(), third!.mark()];
    await agent.requestOk('chat.start');
    await second!.waitFor('customer.state', (s) => s.position === 1, marks[0]);
    await third!.waitFor('customer.state', (s) => s.position === 2, marks[1]);
    // A withdrawal ahead moves the rest up too.
    const mark = third!.mark();
    await second!.requestOk('chat.end');
    await third!.waitFor('customer.state', (s) => s.position === 1, mark);
  });

  it('Multiple logins allowed, but only one active Chat for Assistance', async () => {
    const account = await suite.stack.createCustomer();
    const sessions = [
      suite.track(await TestClient.login(suite.stack, account)),
      suite.track(await TestClient.login(suite.stack, account)),
    ];
    const first = await sessions[0]!.requestOk('chat.request');
    const second = await sessions[1]!.requestOk('chat.request');
    expect(second.state.requestId).toBe(first.state.requestId);
    await sessions[1]!.waitFor('customer.state', (s) => s.state === 'requestSent');
  });
});

describe('Queue & Concurrency', () => {
  it('the queue is FIFO and persisted in Redis', async () => {
    const agent = await loginNew('agent');
    const customers = [
      await loginNew('customer'),
      await loginNew('customer'),
      await loginNew('customer'),
    ];
    for (const customer of customers) await customer.requestOk('chat.request');
    expect(await suite.stack.server.redis.zcard('cc:queue')).toBe(3);
    const taken: string[] = [];
    for (let i = 0; i < customers.length; i += 1) {
      const started = await agent.requestOk('chat.start');
      taken.push(started.customer.id);
      await agent.requestOk('chat.end', { conversationId: started.conversation.id });
    }
    expect(taken).toEqual(customers.map((c) => c.account!.id));
  });
});
