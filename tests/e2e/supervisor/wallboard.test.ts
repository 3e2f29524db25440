// The supervisor console's wallboard in Chromium (issue 15): it follows the call center live
// (no reload) as customers queue and agents take, its numbers are what the test did, and a
// conversation opens read-only, live, and can be ended from it.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useSupervisorTestStack } from './support/supervisorConsole';

const suite = useSupervisorTestStack({
  // A chart point every second, so the charts draw within the test.
  wallboard: { timeZone: 'UTC', sampleSeconds: 1, historyHours: 1 },
});

const tierRow = (page: Page, tier: string) => page.locator(`tr[data-tier="${tier}"]`);
const figure = (page: Page, id: string) => page.locator(`[data-figure="${id}"] .figure-value`);

describe('the wallboard', () => {
  it('updates live as customers queue and agents take, end and are watched', async () => {
    const { stack } = suite.get();
    const { page } = await suite.get().signedInConsole();
    await expect.poll(() => figure(page, 'waiting').textContent()).toBe('0');

    const agentAccount = await stack.createAgent('Ann Agent');
    const agent = await suite.get().client(agentAccount);
    const gold = await suite.get().client(await stack.createCustomer('gold', 'Gita Gold'));
    const platinum = await suite.get().client(await stack.createCustomer('platinum', 'Pia Plat'));
    const standard = await suite.get().client(await stack.createCustomer('standard', 'Sam Std'));
    for (const customer of [gold, platinum, standard]) await customer.requestOk('chat.request');

    // Three waiting, one per tier; the agent online and available with nothing.
    await expect.poll(() => figure(page, 'waiting').textContent()).toBe('3');
    for (const tier of ['standard', 'gold', 'platinum']) {
      await expect
        .poll(() => tierRow(page, tier).locator('[data-cell="waiting"]').textContent())
        .toBe('1');
    }
    const agentRow = page.locator(`tr[data-agent="${agentAccount.id}"]`);
    await expect
      .poll(() => agentRow.locator('[data-cell="status"]').textContent())
      .toBe('Available');
    await expect.poll(() => agentRow.locator('[data-cell="load"]').textContent()).toBe('0 of 1');

    // The agent takes the first (gold: first come, first served).
    const taken = await agent.requestOk('chat.start');
    expect(taken.customer.displayName).toBe('Gita Gold');
    await expect.poll(() => figure(page, 'waiting').textContent()).toBe('2');
    await expect
      .poll(() => tierRow(page, 'gold').locator('[data-cell="answered"]').textContent())
      .toBe('1');
    await expect
      .poll(() => tierRow(page, 'gold').locator('[data-cell="within-target"]').textContent())
      .toContain('100 %');
    await expect.poll(() => agentRow.locator('[data-cell="load"]').textContent()).toBe('1 of 1');
    await expect.poll(() => figure(page, 'open').textContent()).toBe('1');

    // Watch it: the history, then a new message live; read-only (no composer).
    await gold.requestOk('message.send', { clientMsgId: 'g1', text: 'My parcel is late' });
    await page.getByRole('button', { name: 'Watch the chat of Gita Gold with Ann Agent' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('My parcel is late').waitFor();
    await agent.requestOk('message.send', {
      customerId: gold.account!.id,
      clientMsgId: 'a1',
      text: 'Let me look that up',
    });
    await dialog.getByText('Let me look that up').waitFor();
    expect(await dialog.getByRole('textbox').count()).toBe(0);

    // End it from the console: both sides end, the figures follow.
    await dialog.getByRole('button', { name: 'End chat' }).click();
    await dialog.getByRole('button', { name: 'Yes, end chat' }).click();
    await gold.waitFor('customer.state', (s) => s.state === 'conversationEnded');
    await dialog.getByText('A supervisor closed the chat').waitFor();
    await dialog.getByText(/not with an agent now/).waitFor();
    await expect.poll(() => figure(page, 'handled').textContent()).toBe('1');
    await expect.poll(() => agentRow.locator('[data-cell="handled"]').textContent()).toBe('1');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The charts have points (one a second here) and say the latest in words.
    await page.getByText(/Now: \d+ standard, \d+ gold, \d+ platinum/).waitFor();
  });
});
