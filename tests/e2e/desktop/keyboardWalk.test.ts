// Issue 16, point 4, in the agent console: a whole chat with the keyboard alone (sign in, take
// the waiting customer, reply, end), with a visible focus; the dialogs keep the keyboard inside,
// close on Escape and give the focus back; the live regions' text follows new messages, the
// chat's state and the connection; reduced motion stops the ringing call's animation.
import { describe, expect, it } from 'vitest';
import { focusOutline, focusedName, movingElements, tabTo } from '../../support/keyboardAndMotion';
import { AgentConsolePage } from './support/agentConsolePage';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack();

describe('agent console with the keyboard alone', () => {
  it('signs in, takes the waiting customer, replies, ends; dialogs trap and return focus', async () => {
    const account = await harness().stack.createAgent('Ada Agent');
    await harness().agentClient('Bob Agent');
    const agent = await AgentConsolePage.open(harness().browser, harness().url);
    const { page } = agent;
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    await tabTo(page, 'Login');
    expect(await focusOutline(page)).not.toBe('none');
    await page.keyboard.type(account.login);
    await tabTo(page, 'Password');
    await page.keyboard.type(account.password);
    await page.keyboard.press('Enter');
    await agent.waitForConnection('Connected');

    // Who joins the queue is said in a live region that was there before.
    const arrivals = await page.locator('.queue-announcer').elementHandle();
    const dana = await harness().customer('platinum', 'Dana Scully');
    await dana.requestOk('chat.request');
    await agent.waitForQueueCount(1);
    await expect
      .poll(() =>
        arrivals.evaluate((element) => [element.getAttribute('role'), element.textContent]),
      )
      .toEqual(['status', 'Dana Scully joined the queue']);
    await tabTo(page, 'Start Chat');
    expect(await focusOutline(page)).not.toBe('none');
    await page.keyboard.press('Enter');
    await agent.chatPanel('Dana Scully').waitFor();
    // Taking the chat puts the keyboard in its composer.
    await expect.poll(() => focusedName(page)).toBe('Message to Dana Scully');

    // New messages land in a polite live region that stays in the page.
    const log = await page.getByRole('list', { name: 'Conversation' }).elementHandle();
    const logText = () =>
      log.evaluate((element) => [element.getAttribute('aria-live'), element.textContent]);
    await dana.requestOk('message.send', { clientMsgId: 'kb-dana-1', text: 'Is my order late?' });
    await expect.poll(logText).toEqual(['polite', expect.stringContaining('Is my order late?')]);
    await page.keyboard.type('Let me check, Dana.');
    await page.keyboard.press('Enter');
    await dana.waitFor('message.new', (message) => message.text === 'Let me check, Dana.');

    // Transfer: the keyboard goes round inside the dialog; Escape closes it, back on Transfer.
    await tabTo(page, 'Transfer', { backwards: true });
    await page.keyboard.press('Enter');
    const transfer = page.getByRole('dialog', { name: /Transfer/ });
    await transfer.waitFor();
    const insideTransfer = () =>
      transfer.evaluate((dialog) => dialog.contains(document.activeElement));
    expect(await insideTransfer()).toBe(true);
    for (let press = 0; press < 5; press += 1) {
      await page.keyboard.press('Tab');
      expect(await insideTransfer()).toBe(true);
    }
    for (let press = 0; press < 5; press += 1) {
      await page.keyboard.press('Shift+Tab');
      expect(await insideTransfer()).toBe(true);
    }
    await page.keyboard.press('Escape');
    await transfer.waitFor({ state: 'detached' });
    expect(await focusedName(page)).toBe('Transfer');

    // The canned replies dialog, opened from the composer's list with the keyboard.
    await tabTo(page, 'Message to Dana Scully');
    await page.keyboard.type('/');
    await tabTo(page, 'Manage my replies…', { backwards: true });
    await page.keyboard.press('Enter');
    const canned = page.getByRole('dialog', { name: 'My canned replies' });
    await canned.waitFor();
    const insideCanned = () => canned.evaluate((dialog) => dialog.contains(document.activeElement));
    for (let press = 0; press < 8; press += 1) {
      await page.keyboard.press('Tab');
      expect(await insideCanned()).toBe(true);
    }
    await page.keyboard.press('Escape');
    await canned.waitFor({ state: 'detached' });
    expect(await focusedName(page)).toBe('Message to Dana Scully');
    await page.keyboard.press('Backspace');

    // The customer calls: the ringing icon moves, unless the system asks for reduced motion.
    const { conversationId } = await dana.waitFor(
      'customer.state',
      (state) => state.state === 'inConversation',
    );
    if (conversationId === null) throw new Error('no conversation');
    const ringing = await dana.requestOk('call.start', { conversationId });
    await agent.incomingCall().waitFor();
    expect(await movingElements(page)).toContainEqual(expect.stringMatching(/: 1\.2s$/));
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await movingElements(page)).toEqual([]);
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await dana.requestOk('call.end', { callId: ringing.call.callId });
    await agent.incomingCall().waitFor({ state: 'detached' });

    // Connection lost and back: the top bar's live status says so.
    const connection = await agent.connectionStatus().elementHandle();
    const connectionText = () => connection.evaluate((element) => element.textContent);
    await agent.context.setOffline(true);
    await expect.poll(connectionText).toContain('Offline');
    await agent.context.setOffline(false);
    await expect.poll(connectionText, { timeout: 30_000 }).toContain('Connected');

    // The chat's state is a live region too: it says the chat ended.
    const chatState = await page
      .getByRole('status')
      .filter({ hasText: 'In conversation' })
      .elementHandle();
    await tabTo(page, 'End Chat');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => chatState.evaluate((element) => element.textContent))
      .toBe('Conversation ended');
    await dana.waitFor('customer.state', (state) => state.state === 'conversationEnded');
  });
});
