// Issue 16, point 4: axe (@axe-core/playwright) on every screen and state of the agent console
// at 1280x800, in the light and the dark colour scheme: no serious or critical violation.
import { describe, it } from 'vitest';
import { expectAccessible } from '../../support/axe';
import { AgentConsolePage } from './support/agentConsolePage';
import { bridgeStandIn } from './support/bridgeStandIn';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack();

describe('agent console: axe on every screen, light and dark', () => {
  it('login, error, empty inbox, queue, chat, customer info, transfer, canned replies, call bar, settings', async () => {
    const account = await harness().stack.createAgent('Ada Agent');
    await harness().agentClient('Bob Agent');
    const agent = await AgentConsolePage.open(harness().browser, harness().url);
    const { page } = agent;
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expectAccessible(page, 'login');
    await page.getByLabel('Login').fill(account.login);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').first().waitFor();
    await expectAccessible(page, 'login error');
    await agent.signIn(account);
    await agent.monitorPanel().waitFor();
    await expectAccessible(page, 'signed in, nobody waiting');

    const dana = await harness().customer('platinum', 'Dana Scully');
    const carol = await harness().customer('gold', 'Carol Gold');
    await dana.requestOk('chat.request');
    await carol.requestOk('chat.request');
    await agent.waitForQueueCount(2);
    await expectAccessible(page, 'waiting customers');
    await page.emulateMedia({ colorScheme: 'dark' });
    await agent.screenshot('dark-queue');
    await page.emulateMedia({ colorScheme: 'light' });

    await agent.startChatButton().click();
    await agent.chatPanel('Dana Scully').waitFor();
    await dana.requestOk('message.send', { clientMsgId: 'axe-dana-1', text: 'My order is late.' });
    await agent.sendInChat('Dana Scully', 'Let me look that up.');
    await agent.conversationMessages().filter({ hasText: 'Let me look that up.' }).waitFor();
    await agent.conversationMessages().filter({ hasText: 'My order is late.' }).waitFor();
    await agent.customerInfo().waitFor();
    await expectAccessible(page, 'chat with messages, customer info');
    await page.emulateMedia({ colorScheme: 'dark' });
    await agent.screenshot('dark-chat');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Transfer' }).click();
    const transfer = page.getByRole('dialog', { name: /Transfer/ });
    await transfer.getByRole('button', { name: /Bob Agent/ }).waitFor();
    await expectAccessible(page, 'transfer dialog');
    await page.keyboard.press('Escape');
    await transfer.waitFor({ state: 'detached' });

    const composer = page.getByLabel('Message to Dana Scully');
    await composer.fill('');
    await composer.pressSequentially('/');
    await page.getByRole('button', { name: 'Manage my replies…' }).click();
    const canned = page.getByRole('dialog', { name: 'My canned replies' });
    await canned.getByLabel('Shortcut').waitFor();
    await expectAccessible(page, 'canned replies dialog');
    await page.emulateMedia({ colorScheme: 'dark' });
    await agent.screenshot('dark-canned-dialog');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');
    await canned.waitFor({ state: 'detached' });
    await composer.fill('');

    // The customer calls: the incoming call bar (no media until the agent answers).
    const { conversationId } = await dana.waitFor(
      'customer.state',
      (state) => state.state === 'inConversation',
    );
    if (conversationId === null) throw new Error('no conversation');
    const ringing = await dana.requestOk('call.start', { conversationId });
    await agent.incomingCall().filter({ hasText: 'Dana Scully is calling' }).waitFor();
    await expectAccessible(page, 'incoming call bar');
    await page.emulateMedia({ colorScheme: 'dark' });
    await agent.screenshot('dark-incoming-call');
    await page.emulateMedia({ colorScheme: 'light' });
    await dana.requestOk('call.end', { callId: ringing.call.callId });
    await agent.callBar().waitFor();
    await expectAccessible(page, 'call ended bar');

    await agent.endChatButton().click();
    await agent.backToQueueButton().waitFor();
    await expectAccessible(page, 'chat ended');

    const settings = await AgentConsolePage.open(harness().browser, harness().url, async (p) => {
      await p.addInitScript(bridgeStandIn({ serverUrl: null, soundEnabled: true }));
    });
    await settings.page.goto(
      `${harness().url}/agent/settings.html?problem=${encodeURIComponent('Could not reach the server.')}`,
    );
    await settings.page.getByRole('heading', { name: 'Server settings' }).waitFor();
    await expectAccessible(settings.page, 'settings');
    await settings.page.emulateMedia({ colorScheme: 'dark' });
    await settings.screenshot('dark-settings');
    await settings.close();
  });
});
