// Issue 14 in the console: an agent with room for two chats works them in tabs (tier, unread
// count, Customer Info following the tab), sets itself Away, and hands a chat to a colleague
// whose status it sees live.
import { describe, expect, it } from 'vitest';
import { controlPageFocus, setPageFocus, type AgentConsolePage } from './support/agentConsolePage';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack();

function tab(agent: AgentConsolePage, name: string | RegExp) {
  return agent.page.getByRole('tablist', { name: 'Conversations' }).getByRole('tab', { name });
}

function statusSelect(agent: AgentConsolePage) {
  return agent.page.getByRole('combobox', { name: /Your status/ });
}

describe('an agent shift in the console', () => {
  it('two chats at once in tabs: unread counts, Customer Info follows the tab, no third', async () => {
    const { agentConsole: ada } = await harness().signedInConsole(
      'Ada Agent',
      controlPageFocus,
      undefined,
      2,
    );
    const setFocused = (focused: boolean): Promise<unknown> => setPageFocus(ada.page, focused);
    const carol = await harness().customer('gold', 'Carol Gold');
    const dan = await harness().customer('standard', 'Dan Standard');
    const erin = await harness().customer('standard', 'Erin Third');
    for (const customer of [carol, dan, erin]) await customer.requestOk('chat.request');
    await ada.waitForQueueCount(3);

    await ada.startChatButton().click();
    await ada.chatPanel('Carol Gold').waitFor();
    await tab(ada, /Carol Gold/).waitFor();
    // Room for one more: the queue stays open beside the chat.
    await ada.takeButton('Dan Standard').click();
    await ada.chatPanel('Dan Standard').waitFor();
    await expect.poll(() => tab(ada, /Dan Standard/).getAttribute('aria-selected')).toBe('true');
    await ada
      .customerInfo()
      .getByText(/Dan Standard/)
      .waitFor();

    // Carol writes while Dan's tab is on screen: her tab counts it.
    await carol.requestOk('message.send', { clientMsgId: 'carol-1', text: 'Are you still there?' });
    await tab(ada, /Carol Gold/)
      .getByLabel('1 unread')
      .waitFor();
    await tab(ada, /Carol Gold/).click();
    await ada.chatPanel('Carol Gold').getByText('Are you still there?').waitFor();
    // Dan writes while the window is in the background: coming back to it (a click on the
    // notification) shows his tab.
    await setFocused(false);
    await dan.requestOk('message.send', { clientMsgId: 'dan-1', text: 'Any news?' });
    await tab(ada, /Dan Standard/)
      .getByLabel('1 unread')
      .waitFor();
    // The window's title (the taskbar's, a browser tab's) says who wrote.
    await expect
      .poll(() => ada.page.title())
      .toMatch(/^\(1\) Agent Console · New from .*Dan Standard/);
    await setFocused(true);
    await ada.chatPanel('Dan Standard').getByText('Any news?').waitFor();
    await tab(ada, /Carol Gold/).click();
    await ada
      .customerInfo()
      .getByText(/Carol Gold/)
      .waitFor();
    await expect
      .poll(() =>
        tab(ada, /Carol Gold/)
          .getByLabel(/unread/)
          .count(),
      )
      .toBe(0);
    await ada.sendInChat('Carol Gold', 'Yes, one moment');
    await carol.waitFor('message.new', (m) => m.text === 'Yes, one moment');

    // At capacity: no third chat until one ends.
    await expect.poll(() => ada.startChatButton().isDisabled()).toBe(true);
    await ada.endChatButton().click();
    await ada.chatPanel('Carol Gold').getByText('You ended this chat.').waitFor();
    await expect.poll(() => ada.takeButton('Erin Third').isDisabled()).toBe(false);
    await ada.screenshot('shift-tabs');
  });

  it('Away takes nothing; a transfer goes to a colleague whose status shows live', async () => {
    const { agentConsole: ada } = await harness().signedInConsole('Ada Agent');
    const { agentConsole: bob } = await harness().signedInConsole('Bob Agent');
    const carol = await harness().customer('gold', 'Carol Gold');
    await carol.requestOk('chat.request');
    await Promise.all([ada.waitForQueueCount(1), bob.waitForQueueCount(1)]);

    // Bob steps away: he cannot take, and Ada's team list says so.
    await statusSelect(bob).selectOption('away');
    await expect.poll(() => bob.startChatButton().isDisabled()).toBe(true);
    const bobInTeam = ada.page.getByRole('region', { name: 'Team' }).getByRole('listitem', {
      name: undefined,
    });
    await bobInTeam
      .filter({ hasText: /Bob Agent/ })
      .filter({ hasText: 'Away' })
      .waitFor();

    await ada.startChatButton().click();
    await ada.chatPanel('Carol Gold').waitFor();
    await ada.page.getByRole('button', { name: 'Transfer' }).click();
    const dialog = ada.page.getByRole('dialog', { name: /Transfer/ });
    const toBob = dialog.getByRole('button', { name: /Bob Agent/ });
    await toBob.getByText('Away').waitFor();
    expect(await toBob.isDisabled()).toBe(true);

    // Back from his break, Bob shows as free in the open dialog, and gets the chat.
    await statusSelect(bob).selectOption('available');
    await expect.poll(() => toBob.isDisabled()).toBe(false);
    const carolMark = carol.mark();
    await toBob.click();
    await ada.page.getByText(/You transferred this chat to .*Bob Agent/).waitFor();
    await bob.chatPanel('Carol Gold').waitFor();
    const state = await carol.waitFor(
      'customer.state',
      (s) => s.agent?.displayName === 'Bob Agent',
      carolMark,
    );
    expect(state.state).toBe('inConversation');
    await carol.waitFor('message.new', (m) => m.notice?.kind === 'transferred', carolMark);

    await bob.sendInChat('Carol Gold', 'Hi Carol, Bob here');
    await carol.waitFor('message.new', (m) => m.text === 'Hi Carol, Bob here');
    // Ada puts the handed-over chat away.
    await ada.backToQueueButton().click();
    await ada.monitorPanel().waitFor();
  });
});
