// Issue 14, point 7, as the customer sees it at phone size: a chat nobody writes in is about
// to close, said above the composer; a reply keeps it open; otherwise it closes, with the
// reason in the chat.
import { describe, it } from 'vitest';
import { screenshot, usePwaSuite } from './support/pwaSuite';

const suite = usePwaSuite({
  config: {
    idleClose: { warningSeconds: 1, closeSeconds: 2 },
    presence: { heartbeatMs: 200, deadAfterMs: 3_000 },
  },
});

describe('customer PWA: an idle chat', () => {
  it('warns above the composer, stays open after a reply, and closes with its reason', async () => {
    const agent = await suite.newAgent('Ada Agent');
    const { customer } = await suite.signedInCustomer();
    await customer.requestChat();
    await agent.requestOk('chat.start');
    await customer.waitForState('In Conversation', 'You are chatting with Ada Agent.');

    const warning = customer.page
      .getByRole('alert')
      .filter({ hasText: /will close at .* unless you reply/ });
    await warning.waitFor();
    await screenshot(customer.page, 'idle-warning');
    await customer.write('Sorry, still here');
    await warning.waitFor({ state: 'detached' });

    // Nobody writes again: warned, then closed.
    await warning.waitFor();
    await customer.page.getByText('The chat was closed after a time without messages').waitFor();
    await customer.waitForState('Conversation Ended');
  });
});
