// The agent console in Chromium against the real server: sign-in, monitor mode with the live
// queue, Start Chat, the conversation, End Chat, back to monitoring, and the next chat (R2, R4, R6).
import { describe, expect, it } from 'vitest';
import { AgentConsolePage, waitForExactText } from './support/agentConsolePage';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack();

describe('agent console lifecycle', () => {
  it('signs in, watches the queue live, chats, ends, goes back to the queue and takes the next', async () => {
    const signIn = await AgentConsolePage.open(harness().browser, harness().url);
    await signIn.page.getByRole('heading', { name: 'Agent Console' }).waitFor();
    await signIn.screenshot('01-sign-in');
    await signIn.page.getByLabel('Login').fill('nobody');
    await signIn.page.getByLabel('Password').fill('wrong-password');
    await signIn.page.getByRole('button', { name: 'Sign in' }).click();
    await signIn.alerts().filter({ hasText: 'Wrong login or password.' }).waitFor();
    await signIn.close();

    const { agentConsole: agent } = await harness().signedInConsole('Ada Agent');
    await waitForExactText(agent.queueCount(), 0);
    await agent.waitingPanel().getByText('Nobody is waiting.').waitFor();
    await agent.monitorPanel().waitFor();

    // Customers join while the agent watches: the panel follows without a reload (R2).
    const dana = await harness().customer('platinum', 'Dana Platinum');
    await dana.requestOk('chat.request');
    await waitForExactText(agent.queueCount(), 1);
    const danaEntry = agent.waitingEntry('Dana Platinum');
    await danaEntry.getByText('Platinum', { exact: true }).waitFor();
    await danaEntry.getByRole('img', { name: 'Online' }).waitFor();
    await danaEntry.getByText('No message yet').waitFor();
    await dana.requestOk('message.send', {
      clientMsgId: 'dana-1',
      text: 'Hello, my invoice shows the wrong amount.',
    });
    await danaEntry.getByText('Hello, my invoice shows the wrong amount.').waitFor();

    const gus = await harness().customer('gold', 'Gus Gold');
    await gus.requestOk('chat.request');
    await waitForExactText(agent.queueCount(), 2);
    expect(await agent.waitingEntries().allInnerTexts()).toEqual([
      expect.stringContaining('Dana Platinum') as string,
      expect.stringContaining('Gus Gold') as string,
    ]);
    expect(await agent.waitingEntries().first().getByLabel('Position 1').innerText()).toBe('1');

    // A customer whose connection drops keeps the place, shown offline.
    const olly = await harness().customer('standard', 'Olly Offline');
    await olly.requestOk('chat.request');
    await waitForExactText(agent.queueCount(), 3);
    olly.close();
    await agent.waitingEntry('Olly Offline').getByRole('img', { name: 'Offline' }).waitFor();

    // The waiting time counts up on its own.
    const waited = danaEntry.getByLabel('Waiting time');
    const before = await waited.innerText();
    await waited.filter({ hasNotText: before }).waitFor();
    expect(await agent.page.title()).toBe('(3) Agent Console');
    await agent.screenshot('02-monitor-with-queue');

    // Start Chat takes the top: Dana, with what she wrote while queued (R4).
    await agent.startChatButton().click();
    const chat = agent.chatPanel('Dana Platinum');
    await chat.waitFor();
    await chat.getByText('In conversation').waitFor();
    await agent
      .conversationMessages()
      .filter({ hasText: 'Hello, my invoice shows the wrong amount.' })
      .waitFor();
    const info = agent.customerInfo();
    await info.getByText('Platinum', { exact: true }).waitFor();
    for (const fact of [
      'Dana Platinum',
      '@example.test',
      '+1 555 0100',
      'Example Ltd',
      '2024',
      'first contact',
    ]) {
      await info.getByText(fact).first().waitFor();
    }
    // The queue stays in view, collapsed to its count.
    await waitForExactText(agent.queueCount(), 2);
    expect(await agent.waitingEntries().count()).toBe(0);
    await agent.waitingPanel().getByRole('button', { name: 'Show list' }).waitFor();
    await dana.waitFor('customer.state', (state) => state.state === 'inConversation');

    // Messages both ways.
    const fromAgent = dana.mark();
    await agent.sendInChat('Dana Platinum', 'Let me look at that invoice for you.');
    const delivered = await dana.waitFor(
      'message.new',
      (message) => message.sender.role === 'agent',
      fromAgent,
    );
    expect(delivered.text).toBe('Let me look at that invoice for you.');
    await agent
      .conversationMessages()
      .filter({ hasText: 'Let me look at that invoice for you.' })
      .filter({ hasNotText: 'Sending' })
      .waitFor();
    await dana.requestOk('message.send', { clientMsgId: 'dana-2', text: 'Thank you!' });
    await agent.conversationMessages().filter({ hasText: 'Thank you!' }).waitFor();
    await agent.screenshot('03-in-conversation');

    // End Chat: the conversation ends on both sides (R6).
    await agent.endChatButton().click();
    await chat.getByText('Conversation ended').waitFor();
    await chat.getByText('You ended this chat.').waitFor();
    await dana.waitFor('customer.state', (state) => state.state === 'conversationEnded');
    expect(await agent.endChatButton().count()).toBe(0);
    await agent.waitingEntry('Gus Gold').waitFor(); // the list is open again: ready to take
    await agent.screenshot('04-conversation-ended');

    // Back to the queue: the monitor view (client-side; the server keeps conversationEnded).
    await agent.backToQueueButton().click();
    await agent.monitorPanel().waitFor();
    expect(await agent.customerInfo().count()).toBe(0);
    await agent.screenshot('05-back-to-monitor');

    // Start Chat again: Gus, with a panel cleared of Dana's conversation.
    await agent.startChatButton().click();
    await agent.chatPanel('Gus Gold').waitFor();
    await agent.chatPanel('Gus Gold').getByText('No messages yet').waitFor();
    expect(await agent.conversationMessages().count()).toBe(0);
    await waitForExactText(agent.queueCount(), 1);
    await agent.customerInfo().getByText('Gold', { exact: true }).waitFor();

    // The customer ends this one; the console says who ended it.
    await gus.requestOk('chat.end');
    await agent.chatPanel('Gus Gold').getByText('Gus Gold ended the chat.').waitFor();

    // Dana comes back: taken from the list, a fresh panel, her Customer Info again. (The count
    // of past conversations may lag by the server's profile cache, a few seconds: not checked.)
    await dana.requestOk('chat.request');
    await waitForExactText(agent.queueCount(), 2);
    await agent.takeButton('Dana Platinum').click();
    await agent.chatPanel('Dana Platinum').waitFor();
    expect(await agent.conversationMessages().count()).toBe(0);
    await agent
      .customerInfo()
      .locator('dt:text("Past conversations") + dd')
      .filter({ hasText: /^\s*\d+/ })
      .waitFor();
  });

  it('keeps the session across a reload and signs out', async () => {
    const { agentConsole: agent } = await harness().signedInConsole('Reload Agent');
    const customer = await harness().customer('standard', 'Sam Standard');
    await customer.requestOk('chat.request');
    await waitForExactText(agent.queueCount(), 1);

    await agent.page.reload();
    await agent.waitForConnection('Connected');
    await waitForExactText(agent.queueCount(), 1);

    await agent.page.getByRole('button', { name: 'Sign out' }).click();
    await agent.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await agent.page.reload();
    await agent.page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await agent.page.title()).toBe('Agent Console');
  });

  it('in a browser, notifies through the Notification API while the page is not focused', async () => {
    // Records the notifications the page creates (still real ones) and lets the test say
    // whether the page has focus: a headless page always has it.
    const recordNotifications = `
      window.__notifications = [];
      window.__focused = true;
      document.hasFocus = () => window.__focused;
      window.Notification = new Proxy(window.Notification, {
        construct(target, args) {
          window.__notifications.push({ title: args[0], body: args[1] && args[1].body });
          return Reflect.construct(target, args);
        },
      });`;
    const { agentConsole: agent } = await harness().signedInConsole(
      'Nina Agent',
      async (page) => {
        await page.addInitScript(recordNotifications);
      },
      { permissions: ['notifications'] },
    );
    // Evaluated over the DevTools protocol: the console's CSP forbids eval in the page itself.
    const notifications = (): Promise<unknown[]> =>
      agent.page.evaluate<unknown[]>('window.__notifications');
    const notificationCount = async (): Promise<number> => (await notifications()).length;
    const setFocused = (focused: boolean): Promise<unknown> =>
      agent.page.evaluate(`window.__focused = ${String(focused)}`);

    await setFocused(false);
    const dana = await harness().customer('platinum', 'Dana Platinum');
    await dana.requestOk('chat.request');
    await expect.poll(notificationCount, { timeout: 10_000 }).toBe(1);
    expect(await notifications()).toEqual([
      {
        // Names are isolated from the words around them (a Latin name in Arabic, and back).
        title: '\u2068Dana Platinum\u2069 is waiting',
        body: 'Platinum customer joined the queue. 1 customer waiting.',
      },
    ]);

    // Focused: the panel is enough, no notification.
    await setFocused(true);
    const gus = await harness().customer('gold', 'Gus Gold');
    await gus.requestOk('chat.request');
    await waitForExactText(agent.queueCount(), 2);
    expect(await notifications()).toHaveLength(1);

    // In a conversation, a message from the customer while the page is in the background.
    await agent.startChatButton().click();
    await agent.chatPanel('Dana Platinum').waitFor();
    await setFocused(false);
    await dana.requestOk('message.send', { clientMsgId: 'dana-bg', text: 'Are you there?' });
    await expect.poll(notificationCount, { timeout: 10_000 }).toBe(2);
    expect(await notifications()).toEqual([
      expect.anything(),
      { title: '\u2068Dana Platinum\u2069 (Platinum) wrote', body: 'Are you there?' },
    ]);

    // Away: the count follows, but an arrival calls nobody.
    const status = agent.page.getByRole('combobox', { name: /Your status/ });
    await status.selectOption('away');
    // The select shows what the server confirmed.
    await expect.poll(() => status.inputValue()).toBe('away');
    const hal = await harness().customer('standard', 'Hal Standard');
    await hal.requestOk('chat.request');
    await waitForExactText(agent.queueCount(), 2);
    expect(await notifications()).toHaveLength(2);
  });
});
