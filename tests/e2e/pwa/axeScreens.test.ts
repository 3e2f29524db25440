// Issue 16, point 4: axe (@axe-core/playwright) on every screen and state of the customer PWA,
// in the light and the dark colour scheme, at 390x844: no serious or critical violation. The
// live regions say what changed (state, connection, new messages), and reduced motion stops
// the app's animations and transitions.
import { describe, expect, it } from 'vitest';
import { expectAccessible } from '../../support/axe';
import { CustomerPage } from './support/customerPage';
import { screenshot, usePwaSuite } from './support/pwaSuite';

const suite = usePwaSuite();
const PHONE_390 = { viewport: { width: 390, height: 844 } };

describe('customer PWA: axe on every screen, light and dark', () => {
  it('login, error, queued, chatting, offline, Your Info, call ringing, ended, rating', async () => {
    const agent = await suite.newAgent('Ada Agent');
    const account = await suite.newCustomer('gold', 'Carol Customer');
    const context = await suite.newContext({ ...PHONE_390, serviceWorker: true });
    const customer = await CustomerPage.open(context, suite.stack.url);
    const { page } = customer;

    await customer.signInButton.waitFor();
    // The service worker's first install says the app works offline (the update prompt's place).
    await page.getByRole('status', { name: 'App update' }).waitFor();
    await customer.waitForServiceWorker();
    await expectAccessible(page, 'login, offline ready');
    await customer.fillLogin({ login: account.login, password: 'not the password' });
    await customer.signInButton.click();
    await customer.loginError.filter({ hasText: "don't match" }).waitFor();
    await expectAccessible(page, 'login error');

    await customer.fillLogin(account);
    await customer.signInButton.click();
    await customer.waitForState('Not Connected');
    await expectAccessible(page, 'signed in, no chat');

    await customer.requestChat();
    await expectAccessible(page, 'queued');
    await customer.write('Where is my parcel?');
    await customer.waitForMessage('Where is my parcel?', 'sent');
    const { conversation } = await agent.requestOk('chat.start');
    await customer.waitForState('In Conversation');
    await agent.requestOk('message.send', {
      customerId: account.id,
      clientMsgId: 'axe-reply-1',
      text: 'It left the depot this morning.',
    });
    await customer.waitForMessage('It left the depot this morning.');
    await expectAccessible(page, 'chatting');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'dark-chatting');
    await page.emulateMedia({ colorScheme: 'light' });

    await customer.button('Your Info').click();
    await page.getByRole('complementary', { name: 'Your Info' }).getByText('Gold').waitFor();
    await expectAccessible(page, 'Your Info');
    await page.keyboard.press('Escape');

    await context.setOffline(true);
    await customer.connectionBanner.filter({ hasText: "You're offline." }).waitFor();
    await expectAccessible(page, 'offline banner');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'dark-offline');
    await page.emulateMedia({ colorScheme: 'light' });
    await context.setOffline(false);
    await customer.connectionBanner.waitFor({ state: 'detached' });
    // Back on line: Call is on again once the app has reconnected.
    await page.getByRole('button', { name: 'Call', exact: true, disabled: false }).waitFor();

    // The agent calls: the full-screen incoming call (no media until someone answers).
    const ringing = await agent.requestOk('call.start', { conversationId: conversation.id });
    const callScreen = page.getByRole('dialog');
    await callScreen.getByText('is calling you').waitFor();
    await expectAccessible(page, 'incoming call');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'dark-incoming-call');
    await page.emulateMedia({ colorScheme: 'light' });
    await agent.requestOk('call.end', { callId: ringing.call.callId });
    await callScreen.waitFor({ state: 'detached' });
    await expectAccessible(page, 'call ended note');

    await agent.requestOk('chat.end', { conversationId: conversation.id });
    await customer.waitForState('Conversation Ended');
    const rating = page.getByRole('group', { name: 'How was this chat?' });
    await rating.waitFor();
    await expectAccessible(page, 'ended, rating asked');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'dark-rating');
    await page.emulateMedia({ colorScheme: 'light' });
    await rating.getByRole('radio', { name: '4 - Good' }).check();
    await page.getByRole('button', { name: 'Send rating' }).click();
    await page.getByRole('status').filter({ hasText: 'Thank you for your feedback' }).waitFor();
    await expectAccessible(page, 'ended, rated');
    expect(await page.locator('.message').count()).toBe(2);
  });
});
