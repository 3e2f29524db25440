// Issue 14, point 7, as the customer sees it at phone size: a chat nobody writes in is about
// to close, said above the composer; a reply keeps it open; otherwise it closes, with the
// reason in the chat. A request left while offline too long says so when the customer is back.
import { describe, it } from 'vitest';
import { CustomerPage } from './support/customerPage';
import { screenshot, usePwaSuite } from './support/pwaSuite';

const suite = usePwaSuite({
  config: {
    // Time to reply after the warning even on a loaded machine.
    idleClose: { warningSeconds: 1, closeSeconds: 6 },
    presence: { heartbeatMs: 200, deadAfterMs: 3_000 },
    queueOfflineGraceSeconds: 1,
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

  it('tells a customer back after too long offline that its request was closed', async () => {
    const agent = await suite.newAgent('Ada Agent');
    const { account, customer } = await suite.signedInCustomer();
    await customer.requestChat();
    await customer.write('Anyone there?');
    await agent.waitFor('queue.snapshot', (queue) => queue.total === 1);
    // Stored before the app goes: a message still in the closed app's outbox would be lost
    // with it (the app that comes back is a new browser profile).
    await agent.waitFor('message.new', (message) => message.text === 'Anyone there?');
    const mark = agent.mark();
    await customer.page.context().close();
    await agent.waitFor('queue.snapshot', (queue) => queue.total === 0, mark);

    const back = await CustomerPage.open(await suite.newContext(), suite.stack.url);
    await back.login(account);
    await back.page
      .locator('li.notice-event')
      .filter({ hasText: 'Your request was closed because you were offline for too long' })
      .waitFor();
    await back.page.getByText('Anyone there?').waitFor();
    await screenshot(back.page, 'request-expired');
  });
});
