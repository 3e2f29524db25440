import { describe, expect, it } from 'vitest';
import { asAgentSync } from '@callcenter/devstack/testing';
import { CustomerPage } from './support/customerPage';
import { usePwaSuite } from './support/pwaSuite';

// R3: every session of one customer shows the same state. Tabs of one browser share the
// session; another device signs in on its own.

const suite = usePwaSuite();

async function bothShow(pages: CustomerPage[], title: string, detail?: string): Promise<void> {
  await Promise.all(pages.map((page) => page.waitForState(title, detail)));
}

describe('customer PWA: several tabs and devices', () => {
  it('a second tab of the same customer follows every state change', async () => {
    const agent = await suite.newAgent('Ada Agent');
    const account = await suite.newCustomer();
    const context = await suite.newContext();
    const first = await CustomerPage.open(context, suite.stack.url);
    const second = await CustomerPage.open(context, suite.stack.url);
    await second.signInButton.waitFor();

    // Signing in on one tab signs in the other.
    await first.login(account);
    await second.chatHeading.waitFor();
    await bothShow([first, second], 'Not Connected');

    await first.press('Chat for Assistance');
    await bothShow([first, second], 'Request Sent', 'Position in queue: 1');
    await second.write('Written in the second tab');
    await first.waitForMessage('Written in the second tab', 'sent');

    const taken = await agent.requestOk('chat.start');
    await bothShow([first, second], 'In Conversation', 'You are chatting with Ada Agent.');
    await agent.requestOk('message.send', {
      customerId: account.id,
      clientMsgId: 'a-tabs-1',
      text: 'Hello from Ada',
    });
    await Promise.all([first, second].map((page) => page.waitForMessage('Hello from Ada')));

    await second.press('End Chat');
    await bothShow([first, second], 'Conversation Ended');
    expect(taken.conversation.customerId).toBe(account.id);

    await second.press('Chat for Assistance');
    await bothShow([first, second], 'Request Sent', 'Position in queue: 1');
    await first.press('End Chat');
    await bothShow([first, second], 'Not Connected');

    // Exit signs out this session: both tabs.
    await first.press('Exit');
    await Promise.all([first.signInButton.waitFor(), second.signInButton.waitFor()]);
  });

  it('another device follows too, and stays signed in when the first one exits', async () => {
    const agent = await suite.newAgent();
    const account = await suite.newCustomer();
    const phone = await CustomerPage.open(await suite.newContext(), suite.stack.url);
    const laptop = await CustomerPage.open(await suite.newContext(), suite.stack.url);
    await phone.login(account);
    await laptop.login(account);
    await bothShow([phone, laptop], 'Not Connected');

    await laptop.press('Chat for Assistance');
    await bothShow([phone, laptop], 'Request Sent', 'Position in queue: 1');
    // One request per customer, whichever device asks (R3).
    const { queue } = asAgentSync(await agent.requestOk('session.sync'));
    expect(queue.total).toBe(1);

    await phone.press('Exit');
    await phone.signInButton.waitFor();
    await laptop.waitForState('Not Connected');
    await laptop.waitForEnabled('Chat for Assistance');
  });
});
