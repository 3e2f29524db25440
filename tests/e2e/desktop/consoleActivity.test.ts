// Issue 14, point 5, in the console: the customer's typing shows and clears, the agent's typing
// and reading reach the customer, and "Seen" shows under the agent's message once read.
import { describe, expect, it } from 'vitest';
import { TYPING_SHOWN_MS } from '@callcenter/shared';
import { controlPageFocus, setPageFocus, type AgentConsolePage } from './support/agentConsolePage';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack();

function tab(agent: AgentConsolePage, name: RegExp) {
  return agent.page.getByRole('tablist', { name: 'Conversations' }).getByRole('tab', { name });
}

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

  it('keeps typing and Seen to their tab, reads only in a focused window, and shows Seen after a reload', async () => {
    const { agentConsole: ada } = await harness().signedInConsole(
      'Ada Agent',
      controlPageFocus,
      undefined,
      2,
    );
    const setFocused = (focused: boolean): Promise<unknown> => setPageFocus(ada.page, focused);
    const carol = await harness().customer('gold', 'Carol Gold');
    const dan = await harness().customer('standard', 'Dan Standard');
    for (const customer of [carol, dan]) await customer.requestOk('chat.request');
    await ada.waitForQueueCount(2);
    await ada.startChatButton().click();
    await ada.chatPanel('Carol Gold').waitFor();
    await ada.takeButton('Dan Standard').click();
    await ada.chatPanel('Dan Standard').waitFor();
    const typingLine = ada.page.getByRole('status').filter({ hasText: /is typing/ });

    // Carol types in the tab not on screen: Dan's tab does not say so; hers does.
    await carol.requestOk('chat.typing', { typing: true });
    await dan.requestOk('chat.typing', { typing: true });
    await typingLine.filter({ hasText: /Dan Standard.* is typing…/ }).waitFor();
    expect(await typingLine.filter({ hasText: /Carol Gold/ }).count()).toBe(0);
    await tab(ada, /Carol Gold/).click();
    await typingLine.filter({ hasText: /Carol Gold.* is typing…/ }).waitFor();
    await tab(ada, /Dan Standard/).click();
    await dan.requestOk('chat.typing', { typing: false });
    await expect.poll(() => typingLine.count()).toBe(0);

    // Dan writes while the console is in the background: on screen, but not read until it is
    // in front again.
    await setFocused(false);
    const mark = dan.mark();
    const asked = await dan.requestOk('message.send', { clientMsgId: 'dan-1', text: 'Any news?' });
    await ada.chatPanel('Dan Standard').getByText('Any news?').waitFor();
    // Dan starts typing again and drops off without a "stopped": the line goes by itself (and
    // meanwhile the console had all the time it needs to report a reading, if it did).
    await dan.requestOk('chat.typing', { typing: true });
    const danTyping = typingLine.filter({ hasText: /Dan Standard.* is typing…/ });
    await danTyping.waitFor();
    await danTyping.waitFor({ state: 'detached', timeout: TYPING_SHOWN_MS + 5_000 });
    const focusedAt = Date.now();
    await setFocused(true);
    const read = await dan.waitFor(
      'chat.read',
      (r) => r.role === 'agent' && r.seq >= asked.message.seq,
      mark,
    );
    expect(Date.parse(read.readAt)).toBeGreaterThanOrEqual(focusedAt);
    expect(dan.received('chat.read', mark)).toHaveLength(1);

    // Dan reads the reply: Seen under it, and again after a reload (from the sync's reads).
    await ada.sendInChat('Dan Standard', 'Found it');
    const reply = await dan.waitFor('message.new', (m) => m.text === 'Found it', mark);
    await dan.requestOk('chat.read', { seq: reply.seq });
    const seen = ada.conversationMessages().filter({ hasText: 'Found it' }).getByText('Seen');
    await seen.waitFor();
    await ada.page.reload();
    await ada.waitForConnection('Connected');
    await tab(ada, /Dan Standard/).click();
    await seen.waitFor();
    await tab(ada, /Carol Gold/).click();
    await ada.chatPanel('Carol Gold').waitFor();
    expect(await ada.page.locator('.seen-mark').count()).toBe(0);
  });
});
