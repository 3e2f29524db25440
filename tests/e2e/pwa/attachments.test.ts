// Attachments in the customer app, with the agent console beside it: a picture's upload
// progress and thumbnail in both apps, a PDF from the agent as a file card that downloads, a
// file picked offline sent once on reconnect, and the refusals worded plainly.
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@callcenter/shared';
import type { TestAccount, TestClient } from '@callcenter/devstack/testing';
import {
  attachThrough,
  noisePng,
  simplePdf,
  throttleUploads,
} from '../../support/attachmentFixtures';
import { expectAccessible } from '../../support/axe';
import { AgentConsolePage } from '../desktop/support/agentConsolePage';
import { CustomerPage } from './support/customerPage';
import { screenshot, usePwaSuite } from './support/pwaSuite';
import { SwitchableProxy } from './support/switchableProxy';

const suite = usePwaSuite();
const consoles: AgentConsolePage[] = [];
const proxies: SwitchableProxy[] = [];

afterEach(async () => {
  await Promise.all(consoles.splice(0).map((open) => open.close()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

/** The phone size the customer app is checked at here. */
const PHONE_390 = { width: 390, height: 844 };

function attachButton(page: Page): Locator {
  return page.getByRole('button', { name: 'Attach a file' });
}

/** The chat's item showing the picture `name` (its thumbnail's alt text). */
function pictureItem(customer: CustomerPage, name: string): Locator {
  return customer.messageLog
    .getByRole('listitem')
    .filter({ has: customer.page.locator(`img[alt="${name}"]`) });
}

/** Waits until the image has really been drawn from its data (not a broken icon). */
async function waitForLoadedImage(image: Locator): Promise<number> {
  await image.waitFor();
  await expect
    .poll(() =>
      image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth),
    )
    .toBeGreaterThan(0);
  return image.evaluate((element: HTMLImageElement) => element.naturalWidth);
}

/** A progress bar that has moved but not finished: an upload seen under way. */
async function waitForPartialProgress(bar: Locator): Promise<number> {
  let seen = 0;
  await expect
    .poll(
      async () => {
        seen = Number(await bar.getAttribute('aria-valuenow', { timeout: 1_000 }).catch(() => -1));
        return seen > 0 && seen < 100;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return seen;
}

async function storedWithAttachment(account: TestAccount) {
  return suite.stack.server.mongo.collections.messages
    .find({ customerId: account.id, attachment: { $exists: true } })
    .toArray();
}

/** A customer (390 × 844) and Ada in the console, in conversation with each other. */
async function customerAndConsole(): Promise<{
  account: TestAccount;
  customer: CustomerPage;
  agentConsole: AgentConsolePage;
}> {
  const account = await suite.newCustomer('gold', 'Carol Customer');
  const customer = await CustomerPage.open(
    await suite.newContext({ viewport: PHONE_390 }),
    suite.stack.url,
  );
  await customer.login(account);
  const agentConsole = await AgentConsolePage.open(suite.browser, suite.stack.url);
  consoles.push(agentConsole);
  await agentConsole.signIn(await suite.stack.createAgent('Ada Agent'));
  await customer.requestChat();
  await agentConsole.startChatButton().click();
  await customer.waitForState('In Conversation');
  await agentConsole.chatPanel('Carol Customer').waitFor();
  return { account, customer, agentConsole };
}

describe('customer PWA attachments', () => {
  it('a picture goes up with a progress bar and shows as a thumbnail in both apps', async () => {
    const { account, customer, agentConsole } = await customerAndConsole();
    const picture = noisePng(420, 420);
    const name = 'receipt.png';

    const unthrottle = await throttleUploads(customer.page, 96 * 1024);
    await attachThrough(customer.page, attachButton(customer.page), {
      name,
      mimeType: 'image/png',
      buffer: picture,
    });
    const bar = customer.page.getByRole('progressbar', { name: `Uploading ${name}` });
    await waitForPartialProgress(bar);
    await screenshot(customer.page, '30-attachment-uploading');
    await unthrottle();

    const ownThumbnail = pictureItem(customer, name).locator(`img[alt="${name}"]`);
    await waitForLoadedImage(ownThumbnail);
    // Stored: "Sent", or already "Seen" (the agent has the chat open).
    await pictureItem(customer, name)
      .and(customer.page.locator('[data-delivery="sent"], [data-delivery="seen"]'))
      .waitFor();
    await bar.waitFor({ state: 'detached' });
    await screenshot(customer.page, '31-attachment-thumbnail');
    await expectAccessible(customer.page, 'picture sent');

    // The agent's console shows the same picture, and opens it full size.
    const consoleThumbnail = agentConsole
      .chatPanel('Carol Customer')
      .locator(`button.attachment-thumb img[alt="${name}"]`);
    const thumbnailWidth = await waitForLoadedImage(consoleThumbnail);
    expect(thumbnailWidth).toBeLessThanOrEqual(320);
    await agentConsole.screenshot('30-attachment-from-customer');
    await consoleThumbnail.click();
    const consoleViewer = agentConsole.page.getByRole('dialog', { name });
    expect(await waitForLoadedImage(consoleViewer.getByRole('img', { name }))).toBe(420);
    await expectAccessible(agentConsole.page, 'console: picture full size');
    await consoleViewer.getByRole('button', { name: 'Close' }).click();
    await consoleViewer.waitFor({ state: 'detached' });

    // The customer opens it full size too, and closes it with Escape.
    await ownThumbnail.click();
    const viewer = customer.page.getByRole('dialog', { name });
    expect(await waitForLoadedImage(viewer.getByRole('img', { name }))).toBe(420);
    await screenshot(customer.page, '32-attachment-full-size');
    await expectAccessible(customer.page, 'picture full size');
    await customer.page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    const stored = await storedWithAttachment(account);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.attachment?.type).toBe('image/png');
    expect(stored[0]?.attachment?.name).toBe(name);
  });

  it('a PDF the agent attaches shows to the customer as a file card that downloads', async () => {
    const { customer, agentConsole } = await customerAndConsole();
    const pdf = simplePdf('Your invoice', 200 * 1024);
    const name = 'invoice-march.pdf';
    const panel = agentConsole.chatPanel('Carol Customer');

    const unthrottle = await throttleUploads(agentConsole.page, 64 * 1024);
    await attachThrough(
      agentConsole.page,
      panel.getByRole('button', { name: 'Attach a file for Carol Customer' }),
      { name, mimeType: 'application/pdf', buffer: pdf },
    );
    await waitForPartialProgress(
      agentConsole.page.getByRole('progressbar', { name: `Uploading ${name}` }),
    );
    await agentConsole.screenshot('31-attachment-uploading');
    await unthrottle();
    await panel.getByRole('button', { name: new RegExp(`^Download ${name}`) }).waitFor();

    const card = customer.messageLog.getByRole('button', { name: new RegExp(`^Download ${name}`) });
    await card.waitFor();
    expect(await card.textContent()).toContain('PDF · 200 KB');
    await screenshot(customer.page, '33-attachment-pdf-card');
    await expectAccessible(customer.page, 'PDF card');
    const [download] = await Promise.all([customer.page.waitForEvent('download'), card.click()]);
    expect(download.suggestedFilename()).toBe(name);
    const path = await download.path();
    expect((await readFile(path)).equals(pdf)).toBe(true);
  });

  it('an oversized file is refused at once, naming the limit; a disguised one is refused by the server', async () => {
    const { account, customer } = await customerAndConsole();
    await attachThrough(customer.page, attachButton(customer.page), {
      name: 'holiday-video.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.alloc(11 * 1024 * 1024, 1),
    });
    await customer.page
      .getByRole('alert')
      .filter({ hasText: '“holiday-video.pdf” is too large: files can be up to 10 MB.' })
      .waitFor();
    await screenshot(customer.page, '34-attachment-too-large');
    expect(await customer.messageLog.getByText('holiday-video.pdf').count()).toBe(0);

    // Named like a picture, but text inside: the server reads the content and refuses it.
    await attachThrough(customer.page, attachButton(customer.page), {
      name: 'photo.png',
      mimeType: 'image/png',
      buffer: Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      ),
    });
    const refused = customer.messageLog.getByRole('listitem').filter({ hasText: 'photo.png' });
    await refused.and(customer.page.locator('[data-delivery="failed"]')).waitFor();
    await refused.getByText(/^Not sent: /).waitFor();
    expect(await refused.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await screenshot(customer.page, '35-attachment-refused');
    await expectAccessible(customer.page, 'file refused');
    await refused.getByRole('button', { name: 'Delete' }).click();
    await refused.waitFor({ state: 'detached' });
    expect(await storedWithAttachment(account)).toEqual([]);
  });

  it('a file picked offline waits on the device, survives a reload and is sent once on reconnect', async () => {
    const proxy = await SwitchableProxy.start(suite.stack.url);
    proxies.push(proxy);
    const agent: TestClient = await suite.newAgent('Ada Agent');
    const { account, customer } = await suite.signedInCustomer({
      url: proxy.url,
      serviceWorker: true,
    });
    const context = customer.page.context();
    await customer.requestChat();
    await agent.requestOk('chat.start');
    await customer.waitForState('In Conversation');

    proxy.cut();
    await context.setOffline(true);
    await customer.connectionBanner.filter({ hasText: "You're offline." }).waitFor();
    const name = 'meter-reading.png';
    await attachThrough(customer.page, attachButton(customer.page), {
      name,
      mimeType: 'image/png',
      buffer: noisePng(120, 90),
    });
    const waiting = customer.messageLog.getByRole('listitem').filter({ hasText: name });
    await waiting.and(customer.page.locator('[data-delivery="waiting"]')).waitFor();
    await screenshot(customer.page, '36-attachment-waiting-offline');
    await expectAccessible(customer.page, 'file waiting offline');

    // The file itself is kept on the device (IndexedDB), not only its name.
    await customer.page.reload();
    await customer.connectionBanner.filter({ hasText: "You're offline." }).waitFor();
    await waiting.and(customer.page.locator('[data-delivery="waiting"]')).waitFor();

    const mark = agent.mark();
    proxy.restore();
    await context.setOffline(false);
    await waitForLoadedImage(pictureItem(customer, name).locator(`img[alt="${name}"]`));
    await pictureItem(customer, name)
      .and(customer.page.locator('[data-delivery="sent"]'))
      .waitFor();
    await customer.connectionBanner.waitFor({ state: 'detached' });

    const stored = await storedWithAttachment(account);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.attachment?.name).toBe(name);
    const delivered = agent
      .received('message.new', mark)
      .filter((message: ChatMessage) => message.attachment !== undefined);
    expect(delivered.map((message) => message.attachment?.name)).toEqual([name]);
    expect(await customer.messageLog.getByRole('listitem').count()).toBe(1);
  });
});
