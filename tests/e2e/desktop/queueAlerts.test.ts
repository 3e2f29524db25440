// Issue 14, point 6, in the console: while a customer waits and the agent can take one, the
// queue sound repeats (every second here); it stops while the agent is away or at capacity, and
// when the agent turns the repeat off (kept with the app's settings). An entry past its tier's waiting
// threshold is marked in words ("⚠ Waiting 0:02"), counted in the panel's header and told to
// the desktop app's tray.
import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { bridgeStandIn, type BridgeCall } from './support/bridgeStandIn';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack({
  config: {
    queueAlerts: { repeatSeconds: 1, waitSeconds: { standard: 1, gold: 600, platinum: 600 } },
  },
});

// Counts the tones the page makes (each chime is two): the test cannot hear.
const countTones = `
  window.__tones = 0;
  const create = BaseAudioContext.prototype.createOscillator;
  BaseAudioContext.prototype.createOscillator = function (...args) {
    window.__tones += 1;
    return create.apply(this, args);
  };`;

/** Seconds an entry has waited, as the console shows it ("0:07"). */
async function waited(entry: Locator): Promise<number> {
  const text = await entry.getByLabel('Waiting time').innerText();
  const [minutes, seconds] = text.split(':').map(Number);
  return (minutes ?? 0) * 60 + (seconds ?? 0);
}

/**
 * No tone while the console's own clock moves on by three seconds (three repeat periods), read
 * from a waiting time it shows: no fixed sleep, and a sound still repeating would be heard.
 */
async function staysQuiet(entry: Locator, tones: () => Promise<number>): Promise<void> {
  const before = await tones();
  const from = await waited(entry);
  await expect.poll(() => waited(entry), { timeout: 10_000 }).toBeGreaterThanOrEqual(from + 3);
  expect(await tones()).toBe(before);
}

describe('console: queue alerts', () => {
  it('repeats the sound while the agent can take a customer, and marks a long wait', async () => {
    const { agentConsole: ada } = await harness().signedInConsole('Ada Agent', async (page) => {
      await page.addInitScript(countTones);
      await page.addInitScript(bridgeStandIn({ serverUrl: 'http://x', soundEnabled: true }));
    });
    const page = ada.page;
    const tones = (): Promise<number> => page.evaluate<number>('window.__tones');
    const queueReports = async () =>
      (await page.evaluate<BridgeCall[]>('window.__bridgeCalls'))
        .filter((call) => call.name === 'reportQueue')
        .map((call) => call.args[0] as { total: number | null; waitingLong?: number });
    const sam = await harness().customer('standard', 'Sam Standard');
    const gail = await harness().customer('gold', 'Gail Gold');
    await sam.requestOk('chat.request');
    await gail.requestOk('chat.request');
    await ada.waitForQueueCount(2);

    // The arrival chimes, then the sound goes on by itself.
    const afterArrivals = await tones();
    await expect.poll(tones, { timeout: 10_000 }).toBeGreaterThanOrEqual(afterArrivals + 4);

    // Sam (standard, 1 s) waits too long; Gail (gold, 10 min) does not.
    const samEntry = ada.waitingEntry('Sam Standard');
    const gailEntry = ada.waitingEntry('Gail Gold');
    await samEntry.getByText(/^⚠ Waiting \d:\d\d$/).waitFor();
    expect(await gailEntry.getByText(/Waiting \d/).count()).toBe(0);
    await ada.waitingPanel().getByText('1 waiting long').waitFor();
    await expect
      .poll(async () => (await queueReports()).at(-1))
      .toEqual({ total: 2, arrivals: [], waitingLong: 1 });
    await ada.screenshot('queue-waiting-long');

    // Away: quiet. Available again: the sound is back.
    const status = page.getByRole('combobox', { name: /Your status/ });
    await status.selectOption('away');
    await page.locator('.status-away').waitFor();
    await staysQuiet(gailEntry, tones);
    await status.selectOption('available');
    const back = await tones();
    await expect.poll(tones, { timeout: 10_000 }).toBeGreaterThanOrEqual(back + 2);

    // At capacity (1) with Sam: quiet, though Gail still waits.
    await ada.startChatButton().click();
    await ada.waitForQueueCount(1);
    // The list is collapsed beside a chat: opened to read Gail's waiting time.
    await ada.waitingPanel().getByRole('button', { name: 'Show list' }).click();
    await staysQuiet(gailEntry, tones);

    // Room again after End Chat: the sound is back, until the agent turns the repeat off.
    await ada.endChatButton().click();
    await ada.backToQueueButton().click();
    const room = await tones();
    await expect.poll(tones, { timeout: 10_000 }).toBeGreaterThanOrEqual(room + 2);
    const repeat = page.getByRole('combobox', { name: 'Queue sound repeat' });
    await repeat.selectOption({ label: 'Repeat off' });
    await staysQuiet(gailEntry, tones);

    // The choice is this agent's, kept with the app's settings (as the Sound switch is).
    const calls = await page.evaluate<BridgeCall[]>('window.__bridgeCalls');
    expect(calls.filter((call) => call.name === 'setAlertRepeat')).toEqual([
      { name: 'setAlertRepeat', args: [0] },
    ]);
    await page.reload();
    await ada.waitForQueueCount(1);
    await expect.poll(() => repeat.inputValue()).toBe('0');
    await staysQuiet(gailEntry, tones);
  });
});
