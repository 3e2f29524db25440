// Canned replies in the console (issue 14, point 4): `/` in the composer opens the list,
// typing filters it, the keyboard (or the mouse) picks, the placeholders are filled in for the
// conversation's customer and the agent, and the agent sends the result; the agent's own
// replies are managed in a dialog; an admin's change shows without a reload.
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../support/serverProcess';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack();

async function seedShared(replies: { shortcut: string; title: string; text: string }[]) {
  const now = new Date();
  await harness().stack.server.mongo.collections.cannedReplies.insertMany(
    replies.map((reply, i) => ({
      _id: `shared-${i}-${reply.shortcut}`,
      ownerId: null,
      ...reply,
      createdAt: now,
      updatedAt: now,
    })),
  );
}

async function inConversation() {
  const { agentConsole } = await harness().signedInConsole('Ada Lovelace');
  const dana = await harness().customer('platinum', 'Dana Scully');
  await dana.requestOk('chat.request');
  await agentConsole.waitForQueueCount(1);
  await agentConsole.startChatButton().click();
  await agentConsole.chatPanel('Dana Scully').waitFor();
  const page = agentConsole.page;
  return {
    agentConsole,
    dana,
    page,
    composer: page.getByLabel('Message to Dana Scully'),
    list: page.getByRole('listbox', { name: 'Canned replies' }),
    options: page.getByRole('listbox', { name: 'Canned replies' }).getByRole('option'),
  };
}

describe('canned replies in the composer', () => {
  it('/ opens the list, typing filters, arrows and Enter pick, placeholders are filled, Enter sends', async () => {
    await harness().stack.server.mongo.collections.cannedReplies.deleteMany({});
    await seedShared([
      { shortcut: 'greeting', title: 'Say hello', text: 'Hello {customer.firstName}!' },
      {
        shortcut: 'thanks',
        title: 'Thanks for waiting',
        text: 'Thanks for waiting, {customer.firstName}. {agent.firstName} here ({customer.tier}); {order.id} stays.',
      },
      { shortcut: 'thx-short', title: 'Short thanks', text: 'Thanks, {customer.name}!' },
    ]);
    const { page, composer, list, options, dana, agentConsole } = await inConversation();

    await composer.click();
    await page.keyboard.type('/');
    await list.waitFor();
    await expect.poll(() => options.count()).toBe(3);
    expect(await page.getByRole('combobox', { name: 'Message to Dana Scully' }).count()).toBe(1);

    await page.keyboard.type('th');
    await expect.poll(() => options.allInnerTexts()).toHaveLength(2);
    const texts = await options.allInnerTexts();
    expect(texts[0]).toMatch(/^\/thanks/);
    expect(texts[1]).toMatch(/^\/thx-short/);
    // The first is chosen; the preview shows the filled-in text.
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    expect(texts[1]).toContain('Thanks, Dana Scully!');
    await agentConsole.screenshot('canned-replies-list');

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    // Wrapped around to the first again.
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    expect(await composer.getAttribute('aria-activedescendant')).toBe(
      await options.nth(0).getAttribute('id'),
    );
    await page.keyboard.press('Enter');
    await list.waitFor({ state: 'hidden' });
    const filled = 'Thanks for waiting, Dana. Ada here (Platinum); {order.id} stays.';
    expect(await composer.inputValue()).toBe(filled);
    // Nothing was sent by picking.
    expect(dana.received('message.new')).toEqual([]);

    // The agent edits it, then sends.
    await page.keyboard.type(' Sorry!');
    await page.keyboard.press('Enter');
    const sent = await dana.waitFor('message.new', (m) => m.sender.role === 'agent');
    expect(sent.text).toBe(`${filled} Sorry!`);
  });

  it('Escape closes the list, a click picks, and a / later in a message opens nothing', async () => {
    await harness().stack.server.mongo.collections.cannedReplies.deleteMany({});
    await seedShared([
      { shortcut: 'greeting', title: 'Say hello', text: 'Hello {customer.firstName}!' },
      { shortcut: 'bye', title: 'Goodbye', text: 'Goodbye from {agent.name}' },
    ]);
    const { page, composer, list, options } = await inConversation();

    await composer.click();
    await page.keyboard.type('/zzz');
    await page.getByText('No canned reply matches “/zzz”.').waitFor();
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'hidden' });
    expect(await composer.inputValue()).toBe('/zzz');

    await composer.fill('');
    await page.keyboard.type('/');
    await list.waitFor();
    await options.filter({ hasText: '/bye' }).click();
    await list.waitFor({ state: 'hidden' });
    expect(await composer.inputValue()).toBe('Goodbye from Ada Lovelace');

    await composer.fill('');
    await page.keyboard.type('see /greeting');
    expect(await list.count()).toBe(0);
  });

  it("the agent's own replies: added in the dialog, listed as Mine; an admin's change shows without a reload", async () => {
    await harness().stack.server.mongo.collections.cannedReplies.deleteMany({});
    const { page, composer, list, options, agentConsole } = await inConversation();

    await composer.click();
    await page.keyboard.type('/');
    await page.getByText('No canned replies yet.').waitFor();
    await page.getByRole('button', { name: 'Manage my replies…' }).click();
    const dialog = page.getByRole('dialog', { name: 'My canned replies' });
    await dialog.getByLabel('Shortcut').fill('Bad Shortcut');
    await dialog.getByLabel('Title').fill('Mine');
    await dialog.getByLabel('Text').fill('Cheers, {customer.firstName}');
    await dialog.getByRole('button', { name: 'Add reply' }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: /^Shortcut: lower-case letters, digits, - and _ only/ })
      .waitFor();
    await dialog.getByLabel('Shortcut').fill('cheers');
    await dialog.getByRole('button', { name: 'Add reply' }).click();
    await dialog.getByRole('listitem').filter({ hasText: '/cheers' }).waitFor();
    // A second reply under the same shortcut is refused before it is sent, in words.
    await dialog.getByLabel('Shortcut').fill('cheers');
    await dialog.getByLabel('Title').fill('Again');
    await dialog.getByLabel('Text').fill('Cheers again');
    await dialog.getByRole('button', { name: 'Add reply' }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: 'You already have a reply with the shortcut /cheers.' })
      .waitFor();
    expect(await dialog.getByRole('listitem').filter({ hasText: '/cheers' }).count()).toBe(1);
    await dialog.getByLabel('Shortcut').fill('');
    await dialog.getByLabel('Title').fill('');
    await dialog.getByLabel('Text').fill('');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await composer.fill('');
    await page.keyboard.type('/che');
    await options.first().waitFor();
    expect(await options.allInnerTexts()).toEqual([
      expect.stringMatching(/\/cheers[\s\S]*Mine[\s\S]*Cheers, Dana/),
    ]);

    // An admin adds a shared reply from the command line: the open list gains it.
    const added = await runCommand(
      [
        'server/src/admin/cli.ts',
        'canned',
        'add',
        '--shortcut',
        'check',
        '--title',
        'Checking',
        '--text',
        'Let me check that, {customer.name}.',
      ],
      {
        MONGODB_URL: harness().stack.config.mongodbUrl,
        MONGODB_DB: harness().stack.config.mongodbDb,
        REDIS_URL: harness().stack.redis.url,
      },
    );
    expect(added.code).toBe(0);
    await expect.poll(() => options.count(), { timeout: 10_000 }).toBe(2);
    expect(await options.nth(0).innerText()).toMatch(/^\/check[\s\S]*Shared/);
    await page.keyboard.press('Enter');
    await list.waitFor({ state: 'hidden' });
    expect(await composer.inputValue()).toBe('Let me check that, Dana Scully.');
    await agentConsole.screenshot('canned-replies-picked');
  });
});
