// Issue 16, point 4: axe (@axe-core/playwright) on every screen and state of the customer PWA,
// in the light and the dark colour scheme, at 390x844: no serious or critical violation. The
// live regions say what changed (state, connection, new messages), and reduced motion stops
// the app's animations and transitions.
import { describe, expect, it } from 'vitest';
import { expectAccessible } from '../../support/axe';
import { focusOutline, movingElements, tabTo } from '../../support/keyboardAndMotion';
import { CustomerPage } from './support/customerPage';
import { usePrivatePwaBuild } from './support/privateBuild';
import { screenshot, usePwaSuite } from './support/pwaSuite';

// A private copy of the built PWA, so that a "new release" can be published for the update prompt.
const build = usePrivatePwaBuild();
const suite = usePwaSuite({ staticDir: build.staticDir });
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

    // The live regions stay in the page and their text changes (else nothing is announced).
    const stateRegion = await customer.stateBanner.elementHandle();
    const messageLog = await customer.messageLog.elementHandle();
    const announcer = await page
      .getByRole('status')
      .and(page.locator('.connection-announcer'))
      .elementHandle();
    const liveText = async () =>
      Promise.all(
        [stateRegion, messageLog, announcer].map((region) =>
          region.evaluate((element) => (element.isConnected ? element.textContent : 'removed')),
        ),
      );
    await customer.requestChat();
    expect((await liveText())[0]).toContain('Request Sent');
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
    const [stateText, logText] = await liveText();
    expect(stateText).toContain('In Conversation');
    expect(logText).toContain('It left the depot this morning.');
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
    await expect.poll(async () => (await liveText())[2]).toBe("You're offline.");
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'dark-offline');
    await page.emulateMedia({ colorScheme: 'light' });
    await context.setOffline(false);
    await customer.connectionBanner.waitFor({ state: 'detached' });
    await expect.poll(async () => (await liveText())[2]).toBe('Connected again.');
    // Back on line: Call is on again once the app has reconnected.
    await page.getByRole('button', { name: 'Call', exact: true, disabled: false }).waitFor();

    // The agent calls: the full-screen incoming call (no media until someone answers).
    const ringing = await agent.requestOk('call.start', { conversationId: conversation.id });
    const callScreen = page.getByRole('dialog');
    await callScreen.getByText('is calling you').waitFor();
    await expectAccessible(page, 'incoming call');
    // The ringing avatar pulses, unless the system asks for reduced motion.
    expect(await movingElements(page)).toContainEqual(
      expect.stringMatching(/^span\.call-avatar: 1\.6s$/),
    );
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await movingElements(page)).toEqual([]);
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'dark-incoming-call');
    await page.emulateMedia({ colorScheme: 'light' });
    await agent.requestOk('call.end', { callId: ringing.call.callId });
    await callScreen.waitFor({ state: 'detached' });
    await expectAccessible(page, 'call ended note');

    await agent.requestOk('chat.end', { conversationId: conversation.id });
    await customer.waitForState('Conversation Ended');
    expect((await liveText())[0]).toContain('Conversation Ended');
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

  it('the update prompt, once a new version of the app waits', async () => {
    const context = await suite.newContext({ ...PHONE_390, serviceWorker: true });
    const customer = await CustomerPage.open(context, suite.stack.url);
    const { page } = customer;
    await customer.waitForServiceWorker();

    // A new release: any byte change of the worker is one.
    await build.publishRelease(`// release ${Date.now()}`);
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    const prompt = page.getByRole('status', { name: 'App update' });
    await prompt.filter({ hasText: 'A new version of the app is available.' }).waitFor();
    await expectAccessible(page, 'update prompt');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'dark-update-available');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('a whole chat with the keyboard alone: sign in, write, read the reply, end', async () => {
    const agent = await suite.newAgent('Ada Agent');
    const account = await suite.newCustomer('gold', 'Carol Customer');
    const customer = await CustomerPage.open(await suite.newContext(PHONE_390), suite.stack.url);
    const { page } = customer;
    await customer.signInButton.waitFor();

    await tabTo(page, 'Login');
    expect(await focusOutline(page)).toBe('3px solid');
    await page.keyboard.type(account.login);
    await tabTo(page, 'Password');
    await page.keyboard.type(account.password);
    await page.keyboard.press('Enter');
    await customer.waitForState('Not Connected');

    await tabTo(page, 'Chat for Assistance');
    expect(await focusOutline(page)).toBe('3px solid');
    await page.keyboard.press('Enter');
    await customer.waitForState('Request Sent');
    await tabTo(page, 'Message');
    await page.keyboard.type('Hello, typed with the keyboard');
    await page.keyboard.press('Enter');
    await customer.waitForMessage('Hello, typed with the keyboard', 'sent');

    await agent.requestOk('chat.start');
    await customer.waitForState('In Conversation');
    await agent.requestOk('message.send', {
      customerId: account.id,
      clientMsgId: 'keyboard-reply-1',
      text: 'Hi Carol, Ada here.',
    });
    await customer.waitForMessage('Hi Carol, Ada here.');

    // Your Info opens and Escape closes it, back on its button.
    await tabTo(page, 'Your Info', { backwards: true });
    await page.keyboard.press('Enter');
    await page.getByRole('complementary', { name: 'Your Info' }).getByText('Gold').waitFor();
    await page.keyboard.press('Escape');
    await tabTo(page, 'Your Info', { limit: 1 });

    await tabTo(page, 'End Chat');
    await page.keyboard.press('Enter');
    await customer.waitForState('Conversation Ended');
    await page.getByRole('group', { name: 'How was this chat?' }).waitFor();
    expect(await customer.messageTexts()).toEqual([
      'Hello, typed with the keyboard',
      'Hi Carol, Ada here.',
    ]);
  });
});
