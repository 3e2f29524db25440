// Issue 14, point 7, in the console: a chat nobody writes in shows the server's warning as an
// event line; the agent writing calls the close off; left idle again, it closes with its reason
// in the transcript and the console shows the conversation ended.
import { describe, expect, it } from 'vitest';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack({
  config: {
    idleClose: { warningSeconds: 1, closeSeconds: 2 },
    presence: { heartbeatMs: 200, deadAfterMs: 3_000 },
  },
});

describe('console: an idle chat', () => {
  it('shows the warning and the close as event lines; a message calls the close off', async () => {
    const { agentConsole: ada } = await harness().signedInConsole('Ada Agent');
    const carol = await harness().customer('gold', 'Carol Gold');
    await carol.requestOk('chat.request');
    await ada.waitForQueueCount(1);
    await ada.startChatButton().click();
    const panel = ada.chatPanel('Carol Gold');
    await panel.waitFor();

    const warnings = panel.locator('li.notice-event.notice-idleWarning');
    await warnings
      .filter({ hasText: /The chat will close at .+ unless someone writes/ })
      .first()
      .waitFor();
    // An event line, not a message of either side.
    expect(await warnings.first().locator('.bubble').count()).toBe(0);
    await ada.sendInChat('Carol Gold', 'Are you still there?');

    // Left idle again: warned a second time (the first close was called off), then closed.
    await expect.poll(() => warnings.count(), { timeout: 15_000 }).toBe(2);
    await panel
      .locator('li.notice-event.notice-closed')
      .filter({ hasText: 'The chat was closed after a time without messages' })
      .waitFor();
    await ada.backToQueueButton().waitFor();
    expect(await ada.endChatButton().count()).toBe(0);
    await carol.waitFor('customer.state', (state) => state.state === 'conversationEnded');
    await ada.screenshot('idle-closed');
  });
});
