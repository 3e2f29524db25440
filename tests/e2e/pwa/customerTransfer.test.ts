// Issue 14: a chat handed to another agent, or back to the queue, as the customer sees it at
// phone size: a line in the chat says who they talk to now, and the state banner follows.
import { describe, it } from 'vitest';
import { screenshot, usePwaSuite } from './support/pwaSuite';

const suite = usePwaSuite();

describe('customer PWA: a transferred chat', () => {
  it('says who the customer talks to now, and keeps the transcript', async () => {
    const ada = await suite.newAgent('Ada Agent');
    const bo = await suite.newAgent('Bo Agent');
    const { account, customer } = await suite.signedInCustomer();
    await customer.requestChat();
    await customer.write('My parcel is lost.');
    const taken = await ada.requestOk('chat.start');
    await customer.waitForState('In Conversation', 'You are chatting with Ada Agent.');

    await ada.requestOk('chat.transfer', {
      conversationId: taken.conversation.id,
      toAgentId: bo.account!.id,
    });
    await customer.page
      .getByRole('log', { name: 'Messages' })
      .getByText(/You are now talking to .*Bo Agent/)
      .waitFor();
    await customer.waitForState('In Conversation', 'You are chatting with Bo Agent.');
    await customer.waitForMessage('My parcel is lost.', 'sent');
    await bo.requestOk('message.send', {
      customerId: account.id,
      clientMsgId: 'bo-1',
      text: 'Hi, Bo here. I found it.',
    });
    await customer.waitForMessage('I found it.');
    await screenshot(customer.page, 'transfer-to-agent');

    // Bo puts it back in the queue: the customer is first in line again.
    const heldByBo = await bo.requestOk('session.sync', {});
    const conversationId =
      'conversationId' in heldByBo.state ? heldByBo.state.conversationId : null;
    await bo.requestOk('chat.transfer', { conversationId: conversationId! });
    await customer.page.getByText(/back in the queue/).waitFor();
    await customer.waitForState('Request Sent', 'Position in queue: 1');
  });
});
