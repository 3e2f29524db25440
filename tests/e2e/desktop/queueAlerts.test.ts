// Issue 14, point 6, in the console: while a customer waits and the agent can take one, the
// queue sound repeats (every second here); an entry past its tier's waiting threshold is
// marked, in words, and counted in the panel's header.
import { describe, expect, it } from 'vitest';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack({
  config: {
    queueAlerts: { repeatSeconds: 1, waitSeconds: { standard: 1, gold: 60, platinum: 60 } },
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

describe('console: queue alerts', () => {
  it('repeats the sound while a customer waits, and marks a wait past its tier’s threshold', async () => {
    const { agentConsole: ada } = await harness().signedInConsole('Ada Agent', async (page) => {
      await page.addInitScript(countTones);
    });
    const tones = (): Promise<number> => ada.page.evaluate<number>('window.__tones');
    const sam = await harness().customer('standard', 'Sam Standard');
    const gail = await harness().customer('gold', 'Gail Gold');
    await sam.requestOk('chat.request');
    await gail.requestOk('chat.request');
    await ada.waitForQueueCount(2);

    // The arrival chimes, then the sound goes on by itself.
    const afterArrivals = await tones();
    await expect.poll(tones, { timeout: 10_000 }).toBeGreaterThanOrEqual(afterArrivals + 4);

    // Sam (standard, 1 s) waits too long; Gail (gold, 60 s) does not yet.
    await ada.waitingEntry('Sam Standard').getByText('Waiting long').waitFor();
    expect(await ada.waitingEntry('Gail Gold').getByText('Waiting long').count()).toBe(0);
    await ada.waitingPanel().getByText('1 waiting long').waitFor();
    await ada.screenshot('queue-waiting-long');
  });
});
