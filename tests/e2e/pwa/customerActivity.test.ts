// Issue 14, point 5, in the customer's app at phone size: the agent's typing shows and clears,
// the customer's typing reaches the agent, and "Seen" works both ways (the app reports what was
// on its screen; the agent's reading shows under the customer's message).
import { describe, expect, it } from 'vitest';
import { usePwaSuite, screenshot } from './support/pwaSuite';

const suite = usePwaSuite();

describe('customer PWA: typing and read receipts', () => {
  it('shows the agent typing, tells the agent when the customer types and reads, and shows Seen', async () => {
    const agent = await suite.newAgent('Ada Agent');
    const { account, customer } = await suite.signedInCustomer();
    await customer.requestChat();
    const taken = await agent.requestOk('chat.start');
    const conversationId = taken.conversation.id;
    await customer.waitForState('In Conversation', 'You are chatting with Ada Agent.');
    const typingLine = customer.page.getByRole('status').filter({ hasText: /is typing/ });

    // The agent types: the customer sees it, until the agent's message arrives.
    await agent.requestOk('chat.typing', { conversationId, typing: true });
    await typingLine.filter({ hasText: /Ada Agent.* is typing…/ }).waitFor();
    await screenshot(customer.page, 'agent-typing');
    const mark = agent.mark();
    const hello = await agent.requestOk('message.send', {
      customerId: account.id,
      clientMsgId: 'ada-1',
      text: 'Hello, how can I help?',
    });
    await customer.waitForMessage('how can I help?');
    await expect.poll(() => typingLine.count()).toBe(0);

    // On screen in a focused app: the agent learns it was read.
    const read = await agent.waitFor(
      'chat.read',
      (r) => r.role === 'customer' && r.seq >= hello.message.seq,
      mark,
    );
    expect(read.conversationId).toBe(conversationId);

    // The customer types, then sends: the agent hears both.
    await customer.composer.fill('My order is late');
    await agent.waitFor('chat.typing', (t) => t.role === 'customer' && t.typing, mark);
    await customer.composer.press('Enter');
    await agent.waitFor('chat.typing', (t) => t.role === 'customer' && !t.typing, mark);
    const sent = await agent.waitFor('message.new', (m) => m.text === 'My order is late', mark);
    await customer.waitForMessage('My order is late', 'sent');

    // The agent reads it: "Seen" under it.
    await agent.requestOk('chat.read', { conversationId, seq: sent.seq });
    await customer.waitForMessage('My order is late', 'seen');
    await customer.message('My order is late').getByText('Seen').waitFor();
    await screenshot(customer.page, 'seen');
  });
});
