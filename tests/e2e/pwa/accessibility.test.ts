import { describe, expect, it } from 'vitest';
import { CustomerPage } from './support/customerPage';
import {
  findLowContrastText,
  findUnlabelledControls,
  focusIndicator,
  overflowsSideways,
} from './support/pageChecks';
import { screenshot, usePwaSuite } from './support/pwaSuite';

const suite = usePwaSuite();

/** What every screen must pass: contrast, names on controls, no sideways scrolling. */
async function expectAccessibleLayout(customer: CustomerPage, where: string): Promise<void> {
  const page = customer.page;
  expect(await page.evaluate(findLowContrastText, 4.5), `contrast: ${where}`).toEqual([]);
  expect(await page.evaluate(findUnlabelledControls), `labels: ${where}`).toEqual([]);
  expect(await page.evaluate(overflowsSideways), `sideways scroll: ${where}`).toBe(false);
}

/** Waits for the keyboard focus to land on `name` (focus can follow a server answer). */
async function expectFocusOn(customer: CustomerPage, name: string): Promise<void> {
  await customer.page.waitForFunction((expected) => {
    const active = document.activeElement;
    return (
      active !== null &&
      (active.getAttribute('aria-label') ?? active.textContent).trim() === expected
    );
  }, name);
  const focus = await customer.page.evaluate(focusIndicator);
  expect(focus.name).toBe(name);
  expect(focus.outline).toBe('3px solid');
}

describe('customer PWA: accessible and responsive', () => {
  it('works with the keyboard alone on a phone, with visible focus and readable text', async () => {
    const agent = await suite.newAgent('Ada Agent');
    const account = await suite.newCustomer();
    const customer = await CustomerPage.open(await suite.newContext(), suite.stack.url);
    const { page } = customer;
    await customer.signInButton.waitFor();
    await expectAccessibleLayout(customer, 'login');

    await page.keyboard.press('Tab');
    expect(await customer.loginField.evaluate((field) => field === document.activeElement)).toBe(
      true,
    );
    await page.keyboard.type(account.login);
    await page.keyboard.press('Tab');
    await page.keyboard.type('wrong password');
    await page.keyboard.press('Enter');
    await customer.loginError.filter({ hasText: "don't match" }).waitFor();
    await expectAccessibleLayout(customer, 'login error');
    await customer.passwordField.fill('');
    await customer.passwordField.focus();
    await page.keyboard.type(account.password);
    await page.keyboard.press('Enter');
    await customer.waitForState('Not Connected');
    await expectAccessibleLayout(customer, 'not connected');

    // From the top of the chat: Your Info, then the chat actions.
    await page.keyboard.press('Tab');
    await expectFocusOn(customer, 'Your Info');
    await page.keyboard.press('Enter');
    const info = page.getByRole('complementary', { name: 'Your Info' });
    await info.getByText(account.login, { exact: true }).waitFor();
    await info.getByText('Gold').waitFor();
    await info.getByText('+1 555 0100').waitFor();
    await expectAccessibleLayout(customer, 'your info');
    await screenshot(page, '11-your-info');
    await page.keyboard.press('Escape');
    await expectFocusOn(customer, 'Your Info');

    await page.keyboard.press('Tab');
    await expectFocusOn(customer, 'Chat for Assistance');
    await page.keyboard.press('Enter');
    await customer.waitForState('Request Sent', 'Position in queue: 1');
    // The pressed button is now disabled; once the server has answered, the keyboard is on the
    // next action rather than lost on the page.
    await expectFocusOn(customer, 'End Chat');
    await expectAccessibleLayout(customer, 'request sent');

    const taken = await agent.requestOk('chat.start');
    await customer.waitForState('In Conversation');
    await agent.requestOk('message.send', {
      customerId: account.id,
      clientMsgId: 'a-keyboard-1',
      text: 'Hello! How can I help?',
    });
    await customer.waitForMessage('Hello! How can I help?');
    await page.keyboard.press('Tab');
    await expectFocusOn(customer, 'Exit');
    // The message list takes focus too, so the keyboard can scroll it.
    await page.keyboard.press('Tab');
    await expectFocusOn(customer, 'Messages');
    // Attach a file comes before the message box.
    await page.keyboard.press('Tab');
    await expectFocusOn(customer, 'Attach a file');
    await page.keyboard.press('Tab');
    expect(await customer.composer.evaluate((box) => box === document.activeElement)).toBe(true);
    await page.keyboard.type('Typed without a mouse');
    await page.keyboard.press('Enter');
    await customer.waitForMessage('Typed without a mouse', 'sent');
    await expectAccessibleLayout(customer, 'in conversation');

    await agent.requestOk('chat.end', { conversationId: taken.conversation.id });
    await customer.waitForState('Conversation Ended');
    await expectAccessibleLayout(customer, 'conversation ended');
  });

  it('at desktop width the chat and Your Info sit side by side', async () => {
    const agent = await suite.newAgent('Ada Agent');
    const account = await suite.newCustomer('platinum', 'Dana Platinum');
    const customer = await CustomerPage.open(
      await suite.newContext({ viewport: { width: 1280, height: 800 } }),
      suite.stack.url,
    );
    await customer.login(account);
    await customer.requestChat();
    await agent.requestOk('chat.start');
    await customer.waitForState('In Conversation');
    await customer.write('Hello from a big screen');
    await customer.waitForMessage('Hello from a big screen', 'sent');

    const info = customer.page.getByRole('complementary', { name: 'Your Info' });
    expect(await info.isVisible()).toBe(true);
    expect(await customer.button('Your Info').isVisible()).toBe(false);
    const [chatBox, infoBox] = await Promise.all([
      customer.messageLog.boundingBox(),
      info.boundingBox(),
    ]);
    expect(chatBox && infoBox && chatBox.x + chatBox.width <= infoBox.x).toBe(true);
    await expectAccessibleLayout(customer, 'desktop');
    await screenshot(customer.page, '12-desktop-in-conversation');
  });
});
