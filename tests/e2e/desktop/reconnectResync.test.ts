// Connection status and re-sync: the console's socket drops (cut by the test, as a network
// would), the world moves on, the socket comes back and the console catches up.
import { describe, expect, it } from 'vitest';
import { ConsoleSocketRoute } from './support/consoleSocketRoute';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack();

describe('connection', () => {
  it('shows the drop, keeps an unsent reply, and re-syncs queue, messages and state after', async () => {
    const link = new ConsoleSocketRoute();
    const { agentConsole: ada } = await harness().signedInConsole('Ada Agent', (page) =>
      link.install(page),
    );
    const dana = await harness().customer('gold', 'Dana Gold');
    await dana.requestOk('chat.request');
    await dana.requestOk('message.send', { clientMsgId: 'd-1', text: 'Before the drop' });
    await ada.waitForQueueCount(1);
    await ada.startChatButton().click();
    await ada.conversationMessages().filter({ hasText: 'Before the drop' }).waitFor();

    await link.cut();
    await ada.waitForConnection('Offline, reconnecting…');
    await ada.page.getByText('Connection to the server lost.').waitFor();

    // Written while offline: kept as "Sending…", sent once the connection is back.
    await ada.sendInChat('Dana Gold', 'Written while offline');
    await ada.conversationMessages().filter({ hasText: 'Sending…' }).waitFor();
    await ada.screenshot('08-offline');

    await dana.requestOk('message.send', { clientMsgId: 'd-2', text: 'During the drop' });
    const gus = await harness().customer('platinum', 'Gus Platinum');
    await gus.requestOk('chat.request');

    const fromAgent = dana.mark();
    link.restore();
    await ada.waitForConnection('Connected');
    await ada.conversationMessages().filter({ hasText: 'During the drop' }).waitFor();
    await ada.waitForQueueCount(1);
    const delivered = await dana.waitFor(
      'message.new',
      (message) => message.text === 'Written while offline',
      fromAgent,
    );
    expect(delivered.sender.displayName).toBe('Ada Agent');
    await ada
      .conversationMessages()
      .filter({ hasText: 'Written while offline' })
      .filter({ hasNotText: 'Sending…' })
      .waitFor();
    expect(
      await ada.conversationMessages().filter({ hasText: 'Written while offline' }).count(),
    ).toBe(1);

    // The conversation ends while the console is cut off; the re-sync shows it ended.
    await link.cut();
    await ada.waitForConnection('Offline, reconnecting…');
    await dana.requestOk('chat.end');
    link.restore();
    await ada.waitForConnection('Connected');
    await ada.chatPanel('Dana Gold').getByText('Dana Gold ended the chat.').waitFor();
    expect(
      dana.received('message.new').filter((message) => message.text === 'Written while offline'),
    ).toHaveLength(1);
  });
});
