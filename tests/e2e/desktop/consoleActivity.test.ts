// Issue 14, point 5, in the console: the customer's typing shows and clears, the agent's typing
// and reading reach the customer, and "Seen" shows under the agent's message once read.
import { describe, expect, it } from 'vitest';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack();

describe('console: typing and read receipts', () => {
  it('shows the customer typing and Seen, and reports the agent typing and reading', async () => {
    const { agentConsole: ada } = await harness().signedInConsole('Ada Agent');
    const carol = await harness().customer('gold', 'Carol Gold');
    await carol.requestOk('chat.request');
    await ada.waitForQueueCount(1);
    await ada.startChatButton().click();
    await ada.chatPanel('Carol Gold').waitFor();
    const typingLine = ada.page.getByRole('status').filter({ hasText: /is typing/ });

    await carol.requestOk('chat.typing', { typing: true });
    await typingLine.filter({ hasText: /Carol Gold.* is typing…/ }).waitFor();
    const mark = carol.mark();
    const asked = await carol.requestOk('message.send', { clientMsgId: 'c-1', text: 'Hi there' });
    await ada.chatPanel('Carol Gold').getByText('Hi there').waitFor();
    await expect.poll(() => typingLine.count()).toBe(0);
    // On screen in a focused console: the customer learns it was read.
    await carol.waitFor('chat.read', (r) => r.role === 'agent' && r.seq >= asked.message.seq, mark);

    const box = ada.page.getByRole('textbox', { name: /Message to/ });
    await box.fill('Let me look');
    await carol.waitFor('chat.typing', (t) => t.role === 'agent' && t.typing, mark);
    await box.press('Enter');
    await carol.waitFor('chat.typing', (t) => t.role === 'agent' && !t.typing, mark);
    const reply = await carol.waitFor('message.new', (m) => m.text === 'Let me look', mark);

    expect(await ada.page.locator('.seen-mark').count()).toBe(0);
    await carol.requestOk('chat.read', { seq: reply.seq });
    await ada.conversationMessages().filter({ hasText: 'Let me look' }).getByText('Seen').waitFor();
  });
});
