// Issue 14, point 7: conversations nobody writes in are warned, then closed (`idle`), unless
// someone writes; a queued customer offline too long leaves the queue with a notice
// (`expired`). With short times, every node sweeping (two here), against the real stack.
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@callcenter/shared';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack({
  config: {
    idleClose: { warningSeconds: 1, closeSeconds: 1 },
    queueOfflineGraceSeconds: 1,
    presence: { heartbeatMs: 200, deadAfterMs: 3_000 },
  },
});

async function conversation() {
  const agent = await suite.loginNew('agent');
  const customer = await suite.loginNew('customer');
  await customer.requestOk('chat.request');
  const taken = await agent.requestOk('chat.start');
  return { agent, customer, conversationId: taken.conversation.id };
}

function isNotice(kind: string) {
  return (message: ChatMessage) => message.notice?.kind === kind;
}

describe('idle conversations', () => {
  it('are warned, then closed for both sides, with notices and the reason on record', async () => {
    const { agent, customer, conversationId } = await conversation();
    const warning = await customer.waitFor('message.new', isNotice('idleWarning'));
    expect(warning).toMatchObject({ conversationId, notice: { kind: 'idleWarning' } });
    await agent.waitFor('message.new', isNotice('idleWarning'));
    const closed = await customer.waitFor('message.new', isNotice('closed'));
    expect(closed.notice).toEqual({ kind: 'closed', reason: 'idle' });
    await customer.waitFor('customer.state', (s) => s.state === 'conversationEnded');
    await agent.waitFor('agent.state', (s) => s.state === 'conversationEnded');
    const record = suite.stack.server.mongo.collections.conversations;
    await expect
      .poll(() => record.findOne({ _id: conversationId }))
      .toMatchObject({ status: 'ended', endedBy: null, endReason: 'idle' });
  });

  it('stay open when someone writes after the warning', async () => {
    const { agent, customer, conversationId } = await conversation();
    await customer.waitFor('message.new', isNotice('idleWarning'));
    const mark = customer.mark();
    await agent.requestOk('message.send', {
      customerId: customer.account!.id,
      clientMsgId: 'still-here',
      text: 'Still here?',
    });
    // The next idle spell is warned again: the first one's close was called off.
    await customer.waitFor('message.new', isNotice('idleWarning'), mark);
    expect(customer.received('message.new', mark).some(isNotice('closed'))).toBe(false);
    const synced = await customer.requestOk('session.sync', {});
    expect(synced.state).toMatchObject({ state: 'inConversation', conversationId });
  });

  it('are warned and closed once each with two nodes sweeping', async () => {
    await suite.stack.addNode();
    const pairs = await Promise.all(Array.from({ length: 6 }, () => conversation()));
    await Promise.all(
      pairs.map(({ customer }) =>
        customer.waitFor('customer.state', (s) => s.state === 'conversationEnded'),
      ),
    );
    const messages = suite.stack.server.mongo.collections.messages;
    for (const { conversationId } of pairs) {
      await expect
        .poll(() => messages.countDocuments({ conversationId, 'notice.kind': 'closed' }))
        .toBe(1);
      expect(await messages.countDocuments({ conversationId, 'notice.kind': 'idleWarning' })).toBe(
        1,
      );
    }
  });
});

describe('queued customers offline too long', () => {
  it('leave the queue, and see why when back', async () => {
    const stack = suite.stack;
    const account = await stack.createCustomer('standard', 'Olga Offline');
    const customer = await TestClient.login(stack, account);
    await customer.requestOk('chat.request');
    await customer.requestOk('message.send', { clientMsgId: 'q-1', text: 'Anyone?' });
    customer.close();
    const agent = await suite.loginNew('agent');
    await agent.waitFor('queue.snapshot', (q) => q.total === 0 && q.version > 0);

    const back = suite.track(await TestClient.login(stack, account));
    const synced = await back.requestOk('session.sync', {});
    expect(synced.state.state).toBe('notConnected');
    const conversationId = 'conversationId' in synced.state ? synced.state.conversationId : null;
    expect(conversationId).not.toBeNull();
    const texts = synced.messages
      .filter((m) => m.conversationId === conversationId)
      .map((m) => m.notice?.kind ?? m.text);
    expect(texts).toEqual(['Anyone?', 'closed']);
  });
});
