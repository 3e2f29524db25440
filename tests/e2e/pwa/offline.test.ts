import { randomUUID } from 'node:crypto';
import type { BrowserContext } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestAccount, TestClient } from '@callcenter/devstack/testing';
import type { CustomerPage } from './support/customerPage';
import { screenshot, usePwaSuite } from './support/pwaSuite';
import { SwitchableProxy } from './support/switchableProxy';

// The browser reaches the server through a proxy that can make it really unreachable, for the
// page and its service worker alike; the context is also put offline so the page knows.

const suite = usePwaSuite();
const proxies: SwitchableProxy[] = [];

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

interface OfflineScene {
  proxy: SwitchableProxy;
  context: BrowserContext;
  customer: CustomerPage;
  account: TestAccount;
  agent: TestClient;
  conversationId: string;
}

/** A customer in conversation with Ada, in a browser whose service worker controls the page. */
async function customerInConversation(): Promise<OfflineScene> {
  const proxy = await SwitchableProxy.start(suite.stack.url);
  proxies.push(proxy);
  const agent = await suite.newAgent('Ada Agent');
  const { account, customer } = await suite.signedInCustomer({
    url: proxy.url,
    serviceWorker: true,
  });
  const context = customer.page.context();
  await customer.requestChat();
  const taken = await agent.requestOk('chat.start');
  await customer.waitForState('In Conversation');
  return { proxy, context, customer, account, agent, conversationId: taken.conversation.id };
}

async function goOffline({ proxy, context, customer }: OfflineScene): Promise<void> {
  proxy.cut();
  await context.setOffline(true);
  await customer.connectionBanner.filter({ hasText: "You're offline." }).waitFor();
}

async function goOnline({ proxy, context }: OfflineScene): Promise<void> {
  proxy.restore();
  await context.setOffline(false);
}

function storedFrom(account: TestAccount) {
  return suite.stack.server.mongo.collections.messages
    .find({ customerId: account.id, 'sender.role': 'customer' })
    .sort({ seq: 1 })
    .toArray();
}

describe('customer PWA offline', () => {
  it('messages typed offline survive a reload and reach the agent once each, in order', async () => {
    const scene = await customerInConversation();
    const { customer, agent, account } = scene;
    await goOffline(scene);

    const texts = ['First, while offline', 'Second, while offline', 'Third, while offline'];
    for (const text of texts) {
      await customer.write(text);
      await customer.waitForMessage(text, 'waiting');
    }
    await screenshot(customer.page, '07-offline-waiting-to-send');
    // Written to the customer while they were away; the reconnect must bring it.
    await agent.requestOk('message.send', {
      customerId: account.id,
      clientMsgId: `a-${randomUUID()}`,
      text: 'Are you still there?',
    });

    await customer.page.reload();
    await customer.connectionBanner.filter({ hasText: "You're offline." }).waitFor();
    await customer.waitForState('In Conversation');
    for (const text of texts) await customer.waitForMessage(text, 'waiting');
    expect(await customer.messageTexts()).toEqual(texts);

    const mark = agent.mark();
    await goOnline(scene);
    for (const text of texts) await customer.waitForMessage(text, 'sent');
    await customer.waitForMessage('Are you still there?');
    await customer.connectionBanner.waitFor({ state: 'detached' });

    const received = agent
      .received('message.new', mark)
      .filter((message) => message.customerId === account.id)
      .map((message) => message.text);
    expect(received).toEqual(texts);
    const stored = await storedFrom(account);
    expect(stored.map((message) => message.text)).toEqual(texts);
    // The agent's message was stored first, so it comes first: the server's order (R10).
    expect(await customer.messageTexts()).toEqual(['Are you still there?', ...texts]);
  });

  it('a send whose ack was lost is stored and delivered once', async () => {
    const scene = await customerInConversation();
    const { proxy, customer, agent, account } = scene;

    const mark = agent.mark();
    proxy.muteReplies();
    await customer.write('Did this arrive?');
    await agent.waitFor('message.new', (message) => message.text === 'Did this arrive?', mark);
    await customer.waitForMessage('Did this arrive?', 'sending');

    proxy.cut();
    await customer.connectionBanner.waitFor();
    proxy.restore();
    await customer.waitForMessage('Did this arrive?', 'sent');
    await customer.connectionBanner.waitFor({ state: 'detached' });

    await customer.write('And this one?');
    await agent.waitFor('message.new', (message) => message.text === 'And this one?', mark);
    expect(
      agent
        .received('message.new', mark)
        .filter((message) => message.customerId === account.id)
        .map((message) => message.text),
    ).toEqual(['Did this arrive?', 'And this one?']);
    expect((await storedFrom(account)).map((message) => message.text)).toEqual([
      'Did this arrive?',
      'And this one?',
    ]);
    expect(await customer.messageTexts()).toEqual(['Did this arrive?', 'And this one?']);
  });

  it('on reconnect the state re-syncs; a message the ended chat refused can be deleted', async () => {
    const scene = await customerInConversation();
    const { customer, agent, account, conversationId } = scene;
    await goOffline(scene);

    await customer.write('One more thing...');
    await customer.waitForMessage('One more thing...', 'waiting');
    await agent.requestOk('message.send', {
      customerId: account.id,
      clientMsgId: `a-${randomUUID()}`,
      text: 'Closing this chat now, have a good day.',
    });
    await agent.requestOk('chat.end', { conversationId });
    // Still the last known state: nothing reached this device yet.
    expect(await customer.stateBanner.textContent()).toContain('In Conversation');

    await goOnline(scene);
    await customer.waitForState('Conversation Ended', 'Your chat with Ada Agent has ended.');
    await customer.waitForMessage('Closing this chat now');
    await customer.waitForMessage('One more thing...', 'failed');
    await customer
      .message('One more thing...')
      .getByText('Not sent: this chat had ended.')
      .waitFor();
    await screenshot(customer.page, '09-not-sent-after-chat-ended');

    await customer.message('One more thing...').getByRole('button', { name: 'Delete' }).click();
    await customer.message('One more thing...').waitFor({ state: 'detached' });
    expect(await storedFrom(account)).toEqual([]);
  });
});
