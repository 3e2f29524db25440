// Issue 14, point 5: typing indicators (relayed to the other party only, across nodes, never
// stored) and read cursors (per side, forward only, pushed to both parties, replayed by
// session.sync). Against the real server, Redis and storage, with two nodes.
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '@callcenter/shared';
import { asAgentSync, TestClient, useTestStack } from '@callcenter/devstack/testing';
import { TYPING_CHANGES_BURST } from '../src/services/activityService';

const suite = useTestStack();

function codeOf(answer: { ok: boolean; error?: { code: ErrorCode } }): ErrorCode | 'ok' {
  return answer.ok ? 'ok' : answer.error!.code;
}

/** An agent in conversation with a customer, each connected to a different node. */
async function conversationAcrossNodes() {
  const stack = suite.stack;
  const second = await stack.addNode();
  const agent = await suite.loginNew('agent');
  const customerAccount = await stack.createCustomer('gold', 'Carol Gold');
  const customer = suite.track(await TestClient.login(stack, customerAccount, second.url));
  await customer.requestOk('chat.request');
  const taken = await agent.requestOk('chat.start');
  return { agent, customer, conversationId: taken.conversation.id, second };
}

describe('typing', () => {
  it('is relayed to the other party only, across nodes, both ways, and never stored', async () => {
    const { agent, customer, conversationId } = await conversationAcrossNodes();
    const bystander = await suite.loginNew('agent');
    const [agentMark, customerMark, bystanderMark] = [
      agent.mark(),
      customer.mark(),
      bystander.mark(),
    ];

    await customer.requestOk('chat.typing', { typing: true });
    expect(await agent.waitFor('chat.typing', () => true, agentMark)).toEqual({
      conversationId,
      customerId: customer.account!.id,
      role: 'customer',
      typing: true,
    });
    await agent.requestOk('chat.typing', { conversationId, typing: true });
    await customer.waitFor('chat.typing', (t) => t.role === 'agent' && t.typing, customerMark);
    await agent.requestOk('chat.typing', { conversationId, typing: false });
    await customer.waitFor('chat.typing', (t) => t.role === 'agent' && !t.typing, customerMark);

    // Nobody else heard it; the sender did not hear itself; nothing was stored.
    await customer.requestOk('message.send', { clientMsgId: 'after-typing', text: 'Done' });
    await bystander.waitFor('message.new', (m) => m.text === 'Done', bystanderMark);
    expect(bystander.received('chat.typing', bystanderMark)).toEqual([]);
    expect(customer.received('chat.typing', customerMark).every((t) => t.role === 'agent')).toBe(
      true,
    );
    const stored = await suite.stack.server.mongo.collections.messages.countDocuments({
      conversationId,
    });
    expect(stored).toBe(1);
  });

  it('relays one "typing" of a flood, and one "stopped" after it', async () => {
    const { agent, customer } = await conversationAcrossNodes();
    const mark = agent.mark();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => customer.request('chat.typing', { typing: true })),
    );
    expect(answers.map(codeOf)).toEqual(answers.map(() => 'ok'));
    await customer.requestOk('chat.typing', { typing: false });
    await customer.requestOk('chat.typing', { typing: false });
    // Pushed after them from the same node: once it is here, so is every relayed typing.
    await customer.requestOk('message.send', { clientMsgId: 'after-flood', text: 'Hello' });
    await agent.waitFor('message.new', (m) => m.text === 'Hello', mark);
    expect(agent.received('chat.typing', mark).map((t) => t.typing)).toEqual([true, false]);
  });

  it('relays a flood of starts and stops only up to its budget, and a quick start again at once', async () => {
    const { agent, customer } = await conversationAcrossNodes();
    const mark = agent.mark();
    // Typing, sent, typing the next one at once: each change is news.
    for (const typing of [true, false, true]) {
      await customer.requestOk('chat.typing', { typing });
      await agent.waitFor('chat.typing', (t) => t.typing === typing, agent.mark());
    }
    const flood = Array.from({ length: 40 }, (_, i) => i % 2 === 0);
    await Promise.all(flood.map((typing) => customer.request('chat.typing', { typing })));
    await customer.requestOk('message.send', { clientMsgId: 'after-changes', text: 'Hi' });
    await agent.waitFor('message.new', (m) => m.text === 'Hi', mark);
    const relayed = agent.received('chat.typing', mark).length;
    expect(relayed).toBeGreaterThanOrEqual(3);
    expect(relayed).toBeLessThanOrEqual(3 + TYPING_CHANGES_BURST);
  });

  it('is refused for a conversation that is not yours, or has ended', async () => {
    const { agent, customer, conversationId } = await conversationAcrossNodes();
    const stranger = await suite.loginNew('agent');
    expect(codeOf(await stranger.request('chat.typing', { conversationId, typing: true }))).toBe(
      'forbidden',
    );
    expect(
      codeOf(await stranger.request('chat.typing', { conversationId: 'nope', typing: true })),
    ).toBe('not_found');
    const loner = await suite.loginNew('customer');
    expect(codeOf(await loner.request('chat.typing', { typing: true }))).toBe('not_in_chat');
    await agent.requestOk('chat.end', { conversationId });
    expect(codeOf(await customer.request('chat.typing', { typing: true }))).toBe('not_in_chat');
  });
});

describe('read receipts', () => {
  it('move forward only, reach both parties and the reader’s other sessions, and come back on sync', async () => {
    const stack = suite.stack;
    const { agent, customer, conversationId, second } = await conversationAcrossNodes();
    const customerPhone = suite.track(await TestClient.login(stack, customer.account!, second.url));
    const first = await agent.requestOk('message.send', {
      customerId: customer.account!.id,
      clientMsgId: 'a-1',
      text: 'Hello Carol',
    });
    const later = await agent.requestOk('message.send', {
      customerId: customer.account!.id,
      clientMsgId: 'a-2',
      text: 'Are you there?',
    });
    const [agentMark, phoneMark] = [agent.mark(), customerPhone.mark()];

    const read = await customer.requestOk('chat.read', { seq: later.message.seq });
    expect(read.read).toMatchObject({
      conversationId,
      customerId: customer.account!.id,
      role: 'customer',
      seq: later.message.seq,
    });
    await agent.waitFor('chat.read', (r) => r.seq === later.message.seq, agentMark);
    await customerPhone.waitFor('chat.read', (r) => r.role === 'customer', phoneMark);

    // An older position (a device behind) moves nothing and answers the stored one.
    const behind = await customerPhone.requestOk('chat.read', { seq: first.message.seq });
    expect(behind.read.seq).toBe(later.message.seq);
    expect(behind.read.readAt).toBe(read.read.readAt);

    // The agent's side is its own.
    const reply = await customer.requestOk('message.send', { clientMsgId: 'c-1', text: 'Yes!' });
    await agent.requestOk('chat.read', { conversationId, seq: reply.message.seq });

    // A re-sync (after a reconnect) gives both cursors.
    const agentAgain = suite.track(await TestClient.login(stack, agent.account!));
    const agentSync = asAgentSync(await agentAgain.requestOk('session.sync', {}));
    expect(agentSync.reads.map((r) => [r.role, r.seq]).sort()).toEqual(
      [
        ['agent', reply.message.seq],
        ['customer', later.message.seq],
      ].sort(),
    );
    const customerSync = await customerPhone.requestOk('session.sync', {});
    expect(customerSync.reads).toHaveLength(2);
  });

  it('refuses a number no message of the conversation has, and a stranger', async () => {
    const { agent, conversationId } = await conversationAcrossNodes();
    const tooFar = await agent.request('chat.read', {
      conversationId,
      seq: Number.MAX_SAFE_INTEGER,
    });
    expect(codeOf(tooFar)).toBe('invalid_payload');
    const stranger = await suite.loginNew('agent');
    expect(codeOf(await stranger.request('chat.read', { conversationId, seq: 1 }))).toBe(
      'forbidden',
    );

    // A message of another conversation was never on this one's screens.
    const other = await conversationAcrossNodes();
    const elsewhere = await other.agent.requestOk('message.send', {
      customerId: other.customer.account!.id,
      clientMsgId: 'elsewhere',
      text: 'Not yours',
    });
    expect(
      codeOf(await agent.request('chat.read', { conversationId, seq: elsewhere.message.seq })),
    ).toBe('invalid_payload');
  });
});
