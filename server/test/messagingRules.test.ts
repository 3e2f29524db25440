// One test per rule of spec/messaging-rules.md, against the real server, a private Redis and
// the MongoDB-compatible store.
import { describe, expect, it } from 'vitest';
import type { Tier } from '@callcenter/shared';
import { compareInboxOrder } from '@callcenter/shared';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack();
const { loginNew } = suite;

function storedMessages(filter: Record<string, unknown> = {}) {
  return suite.stack.server.mongo.collections.messages.find(filter).sort({ seq: 1 }).toArray();
}

describe('Sending Messages', () => {
  it('User Send Messages: persisted, then delivered to all agents that are online', async () => {
    const agents = [await loginNew('agent'), await loginNew('agent')];
    const customer = await loginNew('customer');
    await customer.requestOk('chat.request');
    const sent = await customer.requestOk('message.send', {
      clientMsgId: 'm1',
      text: 'My order has not arrived',
    });
    for (const agent of agents) {
      const delivered = await agent.waitFor('message.new', (m) => m.id === sent.message.id);
      expect(delivered).toEqual(sent.message);
    }
    const stored = await storedMessages({ customerId: customer.account!.id });
    expect(stored.map((m) => m.text)).toEqual(['My order has not arrived']);
  });

  it('Agent Send Messages: delivered to the specified user if online, and to the other agents', async () => {
    const writer = await loginNew('agent');
    const other = await loginNew('agent');
    const customer = await loginNew('customer');
    const bystander = await loginNew('customer');
    await customer.requestOk('chat.request');
    await writer.requestOk('chat.start');
    const sent = await writer.requestOk('message.send', {
      customerId: customer.account!.id,
      clientMsgId: 'a1',
      text: 'Let me check that for you',
    });
    expect(sent.message.sender).toEqual({
      role: 'agent',
      id: writer.account!.id,
      displayName: writer.account!.displayName,
    });
    await customer.waitFor('message.new', (m) => m.id === sent.message.id);
    await other.waitFor('message.new', (m) => m.id === sent.message.id);
    expect((await storedMessages()).map((m) => m.text)).toEqual(['Let me check that for you']);
    // Nobody else's customer receives it.
    await bystander.requestOk('session.sync', {});
    expect(bystander.received('message.new')).toEqual([]);
  });

  it('invalid messages are not persisted', async () => {
    const customer = await loginNew('customer');
    const notInChat = await customer.request('message.send', { clientMsgId: 'x1', text: 'hello?' });
    expect(notInChat).toMatchObject({ ok: false, error: { code: 'not_in_chat' } });
    await customer.requestOk('chat.request');
    const empty = await customer.request('message.send', { clientMsgId: 'x2', text: '   ' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await storedMessages()).toEqual([]);
  });
});

describe('Receiving Messages', () => {
  it('User Receive Messages: an online user receives agent messages, oldest to newest', async () => {
    const agent = await loginNew('agent');
    const customer = await loginNew('customer');
    await customer.requestOk('chat.request');
    await agent.requestOk('chat.start');
    for (let i = 1; i <= 5; i += 1) {
      await agent.requestOk('message.send', {
        customerId: customer.account!.id,
        clientMsgId: `a${i}`,
        text: `reply ${i}`,
      });
    }
    await customer.waitFor('message.new', (m) => m.text === 'reply 5');
    expect(customer.received('message.new').map((m) => m.text)).toEqual([
      'reply 1',
      'reply 2',
      'reply 3',
      'reply 4',
      'reply 5',
    ]);
    const sync = await customer.requestOk('session.sync', {});
    const seqs = sync.messages.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(sync.messages.map((m) => m.text)).toEqual([
      'reply 1',
      'reply 2',
      'reply 3',
      'reply 4',
      'reply 5',
    ]);
  });

  it('Agent Receive Messages: an online agent receives every user message, ordered by priority then time', async () => {
    const agent = await loginNew('agent');
    const tiers: Tier[] = ['standard', 'platinum', 'gold'];
    const customers = await Promise.all(tiers.map((tier) => loginNew('customer', tier)));
    for (const customer of customers) await customer.requestOk('chat.request');
    for (let round = 1; round <= 2; round += 1) {
      for (const customer of customers) {
        await customer.requestOk('message.send', {
          clientMsgId: `r${round}`,
          text: `${customer.account!.tier} ${round}`,
        });
      }
    }
    await agent.waitFor('message.new', (m) => m.text === 'gold 2');
    const inbox = [...agent.received('message.new')].sort(compareInboxOrder);
    expect(inbox.map((m) => m.text)).toEqual([
      'platinum 1',
      'platinum 2',
      'gold 1',
      'gold 2',
      'standard 1',
      'standard 2',
    ]);
    expect(inbox.map((m) => m.priority)).toEqual([3, 3, 2, 2, 1, 1]);
  });
});

describe('Establishing and keeping the connection open', () => {
  it("a user's connection is stored while connected and removed on disconnect", async () => {
    const customer = await loginNew('customer');
    const key = `cc:conns:customer:${customer.account!.id}`;
    await expect.poll(() => suite.stack.server.redis.scard(key)).toBe(1);
    customer.close();
    await expect.poll(() => suite.stack.server.redis.scard(key)).toBe(0);
  });

  it("an agent's connection is stored while connected and removed on disconnect", async () => {
    const account = await suite.stack.createAgent();
    const first = await TestClient.login(suite.stack, account);
    const second = await TestClient.login(suite.stack, account);
    const key = `cc:conns:agent:${account.id}`;
    await expect.poll(() => suite.stack.server.redis.scard(key)).toBe(2);
    first.close();
    await expect.poll(() => suite.stack.server.redis.scard(key)).toBe(1);
    second.close();
    await expect.poll(() => suite.stack.server.redis.scard(key)).toBe(0);
  });
});

describe('Agent Assignment', () => {
  it('rejects the message when the user is assigned to another agent', async () => {
    const owner = await loginNew('agent');
    const intruder = await loginNew('agent');
    const customer = await loginNew('customer');
    await customer.requestOk('chat.request');
    await owner.requestOk('chat.start');
    const from = customer.mark();
    const rejected = await intruder.request('message.send', {
      customerId: customer.account!.id,
      clientMsgId: 'i1',
      text: 'I will take this',
    });
    expect(rejected).toMatchObject({ ok: false, error: { code: 'assigned_to_other' } });
    expect(await storedMessages()).toEqual([]);
    await customer.requestOk('session.sync', {});
    expect(customer.received('message.new', from)).toEqual([]);
  });

  it('assigns an unassigned user to the agent, then delivers', async () => {
    const agent = await loginNew('agent');
    const other = await loginNew('agent');
    const queued = await loginNew('customer');
    await queued.requestOk('chat.request');
    const sent = await agent.requestOk('message.send', {
      customerId: queued.account!.id,
      clientMsgId: 'h1',
      text: 'Hello, I can help',
    });
    const state = await queued.waitFor('customer.state', (s) => s.state === 'inConversation');
    expect(state.agent?.id).toBe(agent.account!.id);
    expect(state.conversationId).toBe(sent.message.conversationId);
    await queued.waitFor('message.new', (m) => m.id === sent.message.id);
    await agent.waitFor(
      'agent.state',
      (s) => s.state === 'inConversation' && s.customer?.id === queued.account!.id,
    );
    await other.waitFor('queue.snapshot', (s) => s.total === 0 && s.version > 1);
    // The other agent now cannot take or write to this customer.
    const refused = await other.request('message.send', {
      customerId: queued.account!.id,
      clientMsgId: 'o1',
      text: 'hi',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'assigned_to_other' } });
    // An agent holds one conversation at a time: writing to a second customer is agent_busy.
    const second = await loginNew('customer');
    const busy = await agent.request('message.send', {
      customerId: second.account!.id,
      clientMsgId: 'h2',
      text: 'hi',
    });
    expect(busy).toMatchObject({ ok: false, error: { code: 'agent_busy' } });
  });

  it('delivers when the user is already assigned to the current agent', async () => {
    const agent = await loginNew('agent');
    const customer = await loginNew('customer');
    await customer.requestOk('chat.request');
    const started = await agent.requestOk('chat.start');
    const sent = await agent.requestOk('message.send', {
      customerId: customer.account!.id,
      clientMsgId: 'd1',
      text: 'Still here',
    });
    expect(sent.message.conversationId).toBe(started.conversation.id);
    await customer.waitFor('message.new', (m) => m.id === sent.message.id);
  });

  it('an offline user gets the message on reconnect, from storage', async () => {
    const agent = await loginNew('agent');
    const account = await suite.stack.createCustomer();
    const customer = await TestClient.login(suite.stack, account);
    await customer.requestOk('chat.request');
    const first = await customer.requestOk('session.sync', {});
    await agent.requestOk('chat.start');
    customer.close();
    await agent.requestOk('message.send', {
      customerId: account.id,
      clientMsgId: 'off1',
      text: 'Are you there?',
    });
    const back = await TestClient.connect(suite.stack.url, customer.token, account);
    suite.track(back);
    const replay = await back.requestOk('session.sync', {
      since: first.cursor,
    });
    expect(replay.messages.map((m) => m.text)).toEqual(['Are you there?']);
  });
});
