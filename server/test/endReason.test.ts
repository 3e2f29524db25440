// Every ended conversation says why on record (issue 14, point 7): the party that ended it,
// or the server's reason (see autoClose.test.ts for `idle`); `endedBy` stays as it was.
import { describe, expect, it } from 'vitest';
import { useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack();

async function conversation() {
  const agent = await suite.loginNew('agent');
  const customer = await suite.loginNew('customer');
  await customer.requestOk('chat.request');
  const taken = await agent.requestOk('chat.start');
  return { agent, customer, conversationId: taken.conversation.id };
}

describe('the reason a conversation ended, on record', () => {
  it('is the agent after its End Chat, the customer after theirs', async () => {
    const record = suite.stack.server.mongo.collections.conversations;
    const byAgent = await conversation();
    await byAgent.agent.requestOk('chat.end', { conversationId: byAgent.conversationId });
    const byCustomer = await conversation();
    await byCustomer.customer.requestOk('chat.end', {});
    await expect
      .poll(() => record.findOne({ _id: byAgent.conversationId }))
      .toMatchObject({ status: 'ended', endedBy: 'agent', endReason: 'agent' });
    await expect
      .poll(() => record.findOne({ _id: byCustomer.conversationId }))
      .toMatchObject({ status: 'ended', endedBy: 'customer', endReason: 'customer' });
  });
});
