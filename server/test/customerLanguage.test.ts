// Issue 16, point 3: the customer's app tells the server its language (`customer.language`, a
// BCP 47 tag); it is kept on the account and the agent sees it in Customer Info, at once when
// the customer switches. Against the real server, Redis and storage, across two nodes.
import { describe, expect, it } from 'vitest';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack();

describe('the customer’s language', () => {
  it('is kept on the account and shown to the agent of the conversation, live on a switch', async () => {
    const stack = suite.stack;
    const second = await stack.addNode();
    const agent = await suite.loginNew('agent');
    const account = await stack.createCustomer('gold', 'Carol Gold');
    const customer = suite.track(await TestClient.login(stack, account, second.url));

    // Said before any chat: the agent who takes the customer sees it in the take's answer.
    await customer.requestOk('customer.language', { language: 'ar' });
    await customer.requestOk('chat.request');
    const taken = await agent.requestOk('chat.start');
    expect(taken.customer.profile.language).toBe('ar');
    const stored = await stack.server.mongo.collections.customers.findOne({ _id: account.id });
    expect(stored?.language).toBe('ar');

    // A switch in the app reaches the agent (on the other node) as a new agent state.
    const mark = agent.mark();
    await customer.requestOk('customer.language', { language: 'es-MX' });
    const state = await agent.waitFor(
      'agent.state',
      (s) => s.conversations.some((c) => c.customer.profile.language === 'es-MX'),
      mark,
    );
    expect(state.customer?.profile.language).toBe('es-MX');

    // The same language again changes nothing and tells nobody.
    const quiet = agent.mark();
    await customer.requestOk('customer.language', { language: 'es-MX' });
    await customer.requestOk('message.send', { clientMsgId: 'after-language', text: 'Hola' });
    await agent.waitFor('message.new', (m) => m.text === 'Hola', quiet);
    expect(agent.received('agent.state', quiet)).toEqual([]);
  });

  it('refuses what is not a language tag, and keeps the last good one', async () => {
    const account = await suite.stack.createCustomer('standard', 'Dan Standard');
    const customer = suite.track(await TestClient.login(suite.stack, account));
    await customer.requestOk('customer.language', { language: 'en-GB' });
    for (const language of ['', 'x', 'not a tag', 'en_GB!', 'a'.repeat(40), 42, null]) {
      const answer = await customer.request('customer.language', { language } as never);
      expect(answer.ok ? 'ok' : answer.error.code).toBe('invalid_payload');
    }
    const answer = await customer.request('customer.language', {
      language: 'ar',
      extra: true,
    } as never);
    expect(answer.ok ? 'ok' : answer.error.code).toBe('invalid_payload');
    const stored = await suite.stack.server.mongo.collections.customers.findOne({
      _id: account.id,
    });
    expect(stored?.language).toBe('en-GB');
  });
});
