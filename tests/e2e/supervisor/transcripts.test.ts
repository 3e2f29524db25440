// The supervisor console's transcripts and retention in Chromium (issue 15): a search by
// customer finds exactly its conversation, it opens with its messages in order, the export
// downloads the search's rows; retention is an admin's page (set, run, the report shown).
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { TestAccount } from '@callcenter/devstack/testing';
import { useSupervisorTestStack } from './support/supervisorConsole';

const suite = useSupervisorTestStack();

/** A customer asks, the agent takes, each writes once, the agent ends. */
async function converse(agentAccount: TestAccount, customerAccount: TestAccount, words: string[]) {
  const agent = await suite.get().client(agentAccount);
  const customer = await suite.get().client(customerAccount);
  await customer.requestOk('chat.request');
  const taken = await agent.requestOk('chat.start');
  await customer.requestOk('message.send', { clientMsgId: randomUUID(), text: words[0] ?? '' });
  await agent.requestOk('message.send', {
    customerId: customerAccount.id,
    clientMsgId: randomUUID(),
    text: words[1] ?? '',
  });
  await agent.requestOk('chat.end', { conversationId: taken.conversation.id });
  agent.close();
  customer.close();
  return taken.conversation.id;
}

describe('transcripts in the console', () => {
  it('finds, opens and exports a conversation; admins set and run retention', async () => {
    const { stack } = suite.get();
    const agent = await stack.createAgent('Ada Agent');
    const tina = await stack.createCustomer('gold', 'Tina Transcript');
    const otto = await stack.createCustomer('standard', 'Otto Other');
    await converse(agent, tina, ['My parcel, "the blue one", is late', 'It ships today']);
    await converse(agent, otto, ['Unrelated question', 'Unrelated answer']);

    const { page } = await suite.get().signedInConsole({ admin: true });
    await page.getByRole('button', { name: 'Transcripts' }).click();
    await page.getByLabel('Customer').fill('tina trans');
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByRole('table', { name: 'Conversations found' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Tina Transcript');
    expect(await rows.first().textContent()).toContain('Ada Agent');

    await rows.first().getByRole('button', { name: 'Open' }).click();
    const messages = page.getByRole('list', { name: 'Messages' }).locator('.message-text');
    await expect
      .poll(() => messages.allTextContents())
      .toEqual(['My parcel, "the blue one", is late', 'It ships today']);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^transcripts-.+\.csv$/);
    const csv: string[][] = parseCsv(await readFile(await download.path(), 'utf8'), {});
    expect(csv.slice(1).map((row) => [row[3], row[6], row[8]])).toEqual([
      ['Tina Transcript', 'customer', 'My parcel, "the blue one", is late'],
      ['Tina Transcript', 'agent', 'It ships today'],
    ]);
    await page
      .getByRole('status')
      .filter({ hasText: /^Exported transcripts-/ })
      .waitFor();

    // Retention: set 30 days, run now; the report says what went (nothing is that old).
    await page.getByRole('button', { name: 'Retention' }).click();
    await page.getByLabel('Keep ended conversations for (days)').fill('30');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: 30 days.' }).waitFor();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Done\. .*removed 0 conversations and 0 messages/ })
      .waitFor();
    // The browser refuses 0 before it is sent (the server would too: 400 invalid_payload).
    const days = page.getByLabel('Keep ended conversations for (days)');
    await days.fill('0');
    expect(await days.evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(false);
  });

  it('shows no retention page to a supervisor without the admin right', async () => {
    const { page } = await suite.get().signedInConsole({ admin: false });
    await page.getByRole('button', { name: 'Transcripts' }).waitFor();
    expect(await page.getByRole('button', { name: 'Retention' }).count()).toBe(0);
  });
});
