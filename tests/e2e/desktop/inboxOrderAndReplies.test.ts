// The Inbox: every customer message, by tier then time (R10), and replies to a chosen customer
// (R9), including the refusal when another agent has that customer.
import { describe, expect, it } from 'vitest';
import type { TestClient } from '@callcenter/devstack/testing';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack();

let sent = 0;
async function write(customer: TestClient, text: string): Promise<void> {
  sent += 1;
  await customer.requestOk('message.send', { clientMsgId: `inbox-${sent}`, text });
}

describe('Inbox', () => {
  it('orders customer messages by priority (tier), then time, whatever order they came in', async () => {
    const { agentConsole: ada } = await harness().signedInConsole('Ada Agent');
    const sam = await harness().customer('standard', 'Sam Standard');
    const gus = await harness().customer('gold', 'Gus Gold');
    const pia = await harness().customer('platinum', 'Pia Platinum');
    for (const customer of [sam, gus, pia]) await customer.requestOk('chat.request');

    await write(sam, 'Sam: my parcel is late');
    await write(gus, 'Gus: I need a new invoice');
    await write(pia, 'Pia: my account is locked');
    await write(sam, 'Sam: any news?');
    await write(gus, 'Gus: for March, please');
    await write(pia, 'Pia: it is urgent');

    await ada.showInbox('All');
    const texts = ada.inboxItems().locator('.inbox-text');
    await texts.nth(5).waitFor();
    expect(await texts.allInnerTexts()).toEqual([
      'Pia: my account is locked',
      'Pia: it is urgent',
      'Gus: I need a new invoice',
      'Gus: for March, please',
      'Sam: my parcel is late',
      'Sam: any news?',
    ]);
    expect(await ada.inboxItems().first().getByText('Platinum', { exact: true }).count()).toBe(1);
    expect(await ada.inboxItems().last().getByText('Standard', { exact: true }).count()).toBe(1);

    // A new message joins its place in the order, live.
    await write(gus, 'Gus: hello again');
    await texts.nth(6).waitFor();
    expect(await texts.nth(4).innerText()).toBe('Gus: hello again');
    await ada.screenshot('06-inbox-three-tiers');
  });

  it('refuses, plainly, a reply to a customer another agent has, and delivers nothing', async () => {
    const { agentConsole: ada } = await harness().signedInConsole('Ada Agent');
    const bob = await harness().agentClient('Bob Agent');
    const gus = await harness().customer('gold', 'Gus Gold');
    await gus.requestOk('chat.request');
    await write(gus, 'Gus: is anyone there?');
    await bob.requestOk('chat.start');
    await gus.waitFor('customer.state', (state) => state.state === 'inConversation');
    await ada.waitForQueueCount(0);

    await ada.inboxItems().filter({ hasText: 'Gus: is anyone there?' }).waitFor();
    await ada.replyFromInbox('Gus Gold', 'Hi Gus, Ada here.');
    await ada
      .alerts()
      .filter({ hasText: 'Not sent: Gus Gold is in a conversation with another agent.' })
      .waitFor();
    // Still the monitor view: nothing broke, nothing was assigned.
    await ada.monitorPanel().waitFor();
    await ada.waitForConnection('Connected');
    await ada.screenshot('07-inbox-reply-refused');

    // Nothing reached Gus: Bob's message, sent after the refusal, is the first he receives.
    const from = gus.mark();
    await bob.requestOk('message.send', {
      customerId: gus.account!.id,
      clientMsgId: 'bob-1',
      text: 'Bob here, how can I help?',
    });
    await gus.waitFor('message.new', (message) => message.clientMsgId === 'bob-1', from);
    const agentMessages = gus
      .received('message.new')
      .filter((message) => message.sender.role === 'agent');
    expect(agentMessages.map((message) => message.sender.displayName)).toEqual(['Bob Agent']);
  });

  it('a reply to a waiting customer assigns them to the agent and opens the conversation', async () => {
    const { agentConsole: ada } = await harness().signedInConsole('Ada Agent');
    const pia = await harness().customer('platinum', 'Pia Platinum');
    await pia.requestOk('chat.request');
    await write(pia, 'Pia: can someone call me back?');
    await ada.waitForQueueCount(1);

    await ada.replyFromInbox('Pia Platinum', 'Hello Pia, I am on it.');
    const chat = ada.chatPanel('Pia Platinum');
    await chat.getByText('In conversation').waitFor();
    await ada.conversationMessages().filter({ hasText: 'Hello Pia, I am on it.' }).waitFor();
    await ada
      .conversationMessages()
      .filter({ hasText: 'Pia: can someone call me back?' })
      .waitFor();
    await ada.waitForQueueCount(0);
    const delivered = await pia.waitFor(
      'message.new',
      (message) => message.sender.role === 'agent',
    );
    expect(delivered.text).toBe('Hello Pia, I am on it.');
    // Answered: it leaves "Awaiting reply".
    await ada.inbox().getByText('No customer is waiting for a reply.').waitFor();
    await ada.showInbox('All');
    await ada.inboxItems().filter({ hasText: 'Pia' }).getByText('In your chat').waitFor();
  });
});
