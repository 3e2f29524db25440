// Issue 15: when a chat ends the customer is asked, once, how it went: a score from 1 to 5 and
// an optional comment, or Skip. At phone size (390x844), by keyboard and by label; a reload or
// another device does not ask again.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CustomerPage } from './support/customerPage';
import { screenshot, usePwaSuite } from './support/pwaSuite';

const suite = usePwaSuite();
const PHONE_390 = { viewport: { width: 390, height: 844 } };

function ratingCard(page: Page) {
  return page.getByRole('group', { name: 'How was this chat?' });
}

/** A customer in the app at 390x844 whose chat with an agent the agent has just ended. */
async function endedChat() {
  const agent = await suite.newAgent('Ada Agent');
  const account = await suite.newCustomer();
  const customer = await CustomerPage.open(await suite.newContext(PHONE_390), suite.stack.url);
  await customer.login(account);
  await customer.requestChat();
  await customer.write('Where is my parcel?');
  await customer.waitForMessage('Where is my parcel?', 'sent');
  const taken = await agent.requestOk('chat.start');
  await customer.waitForState('In Conversation');
  await expect(ratingCard(customer.page).count()).resolves.toBe(0);
  await agent.requestOk('chat.end', { conversationId: taken.conversation.id });
  await customer.waitForState('Conversation Ended');
  return { account, customer, conversationId: taken.conversation.id };
}

describe('customer PWA: rating a finished chat', () => {
  it('asks once: pick 4 by keyboard, add a comment, send, thanks; a reload does not ask again', async () => {
    const { customer, conversationId } = await endedChat();
    const { page } = customer;
    const card = ratingCard(page);
    await card.waitFor();
    for (const label of ['1 - Very poor', '2 - Poor', '3 - Okay', '4 - Good', '5 - Excellent']) {
      await expect(card.getByRole('radio', { name: label }).count()).resolves.toBe(1);
    }
    await screenshot(page, 'rating-asked');

    // Keyboard: into the scores, then the arrow keys choose.
    await card.getByRole('radio', { name: '1 - Very poor' }).focus();
    await page.keyboard.press('Space');
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
    await expect(card.getByRole('radio', { name: '4 - Good' }).isChecked()).resolves.toBe(true);

    const comment = page.getByRole('textbox', { name: 'Anything to add? (optional)' });
    await comment.fill('Quick and friendly.');
    await page.getByText('19 of 1000 characters').waitFor();
    await screenshot(page, 'rating-filled');
    await page.getByRole('button', { name: 'Send rating' }).click();
    const thanks = page.getByRole('status').filter({ hasText: 'Thank you for your feedback' });
    await thanks.waitFor();
    await expect(card.count()).resolves.toBe(0);
    await screenshot(page, 'rating-thanks');

    const stored = await suite.stack.server.mongo.collections.conversations.findOne({
      _id: conversationId,
    });
    expect(stored?.rating).toMatchObject({ score: 4, comment: 'Quick and friendly.' });

    await page.reload();
    await customer.waitForState('Conversation Ended');
    await customer.waitForEnabled('Chat for Assistance');
    await expect(card.count()).resolves.toBe(0);
    await expect(thanks.count()).resolves.toBe(0);
  });

  it('Skip is an answer too: the card goes, and neither a reload nor another device asks', async () => {
    const { account, customer } = await endedChat();
    const { page } = customer;
    const card = ratingCard(page);
    await card.waitFor();
    await page.getByRole('button', { name: 'Skip', exact: true }).click();
    await card.waitFor({ state: 'detached' });
    await expect(page.getByText('Thank you for your feedback').count()).resolves.toBe(0);

    await page.reload();
    await customer.waitForState('Conversation Ended');
    await customer.waitForEnabled('Chat for Assistance');
    await expect(card.count()).resolves.toBe(0);

    const other = await CustomerPage.open(await suite.newContext(PHONE_390), suite.stack.url);
    await other.login(account);
    await other.waitForState('Conversation Ended');
    await other.waitForEnabled('Chat for Assistance');
    await expect(ratingCard(other.page).count()).resolves.toBe(0);
  });

  it('says why Send is off while offline, and keeps the choice for when the link is back', async () => {
    const { customer } = await endedChat();
    const { page } = customer;
    const card = ratingCard(page);
    await card.waitFor();
    await card.getByText('5 - Excellent').click();
    await page.context().setOffline(true);
    await page.getByText("You're offline. Your answer stays here").waitFor();
    const send = page.getByRole('button', { name: 'Send rating' });
    await expect(send.isDisabled()).resolves.toBe(true);
    await screenshot(page, 'rating-offline');
    await page.context().setOffline(false);
    await expect.poll(() => send.isEnabled(), { timeout: 30_000 }).toBe(true);
    await expect(card.getByRole('radio', { name: '5 - Excellent' }).isChecked()).resolves.toBe(
      true,
    );
    await send.click();
    await page.getByText('Thank you for your feedback').waitFor();
  });
});
