// The renderer as the desktop app runs it: with `window.desktop` (here a stand-in for the
// preload, which is the process edge). The console reports the queue to the main process and
// offers the server settings; the settings page reads, checks and saves through the bridge.
import { describe, expect, it } from 'vitest';
import { AgentConsolePage, waitForExactText } from './support/agentConsolePage';
import { bridgeStandIn, type BridgeCall } from './support/bridgeStandIn';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack();

function callsOf(page: AgentConsolePage): Promise<BridgeCall[]> {
  // Over the DevTools protocol: the page's CSP forbids eval in the page itself.
  return page.page.evaluate<BridgeCall[]>('window.__bridgeCalls');
}

describe('with the desktop bridge', () => {
  it('the console reports the queue count and arrivals to the main process', async () => {
    const { agentConsole: agent } = await harness().signedInConsole('Ada Agent', async (page) => {
      await page.addInitScript(bridgeStandIn({ serverUrl: 'http://x', soundEnabled: false }));
    });
    const queueReports = async (): Promise<unknown[]> =>
      (await callsOf(agent))
        .filter((call) => call.name === 'reportQueue')
        .map((call) => call.args[0]);

    await waitForExactText(agent.queueCount(), 0);
    await expect
      .poll(queueReports, { timeout: 10_000 })
      .toContainEqual({ total: 0, arrivals: [], waitingLong: 0 });
    // The sound setting comes from the app's settings.
    await agent.page.getByRole('button', { name: 'Sound off' }).waitFor();

    const dana = await harness().customer('platinum', 'Dana Platinum');
    await dana.requestOk('chat.request');
    await waitForExactText(agent.queueCount(), 1);
    expect((await queueReports()).at(-1)).toEqual({
      total: 1,
      arrivals: [
        { requestId: expect.any(String) as string, displayName: 'Dana Platinum', tier: 'platinum' },
      ],
      waitingLong: 0,
    });

    await agent.startChatButton().click();
    await waitForExactText(agent.queueCount(), 0);
    expect((await queueReports()).at(-1)).toEqual({ total: 0, arrivals: [], waitingLong: 0 });

    await agent.page.getByRole('button', { name: 'Server settings' }).click();
    await agent.page.getByRole('button', { name: 'Sound off' }).click();
    await agent.page.getByRole('button', { name: 'Sound on' }).waitFor();
    const calls = (await callsOf(agent)).map((call) => call.name);
    expect(calls).toContain('openSettings');
    expect((await callsOf(agent)).at(-1)).toEqual({ name: 'setSoundEnabled', args: [true] });

    // Signing out tells the main process the count is unknown (tray: "Not signed in").
    await agent.page.getByRole('button', { name: 'Sign out' }).click();
    await agent.page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await queueReports()).at(-1)).toEqual({ total: null, arrivals: [] });
  });

  it('the settings page shows why it opened, checks the server and saves the settings', async () => {
    const settings = await AgentConsolePage.open(harness().browser, harness().url, async (page) => {
      await page.addInitScript(bridgeStandIn({ serverUrl: null, soundEnabled: true }));
    });
    const problem = 'Could not reach http://10.0.0.9:3000 (ERR_CONNECTION_REFUSED).';
    await settings.page.goto(
      `${harness().url}/agent/settings.html?problem=${encodeURIComponent(problem)}`,
    );
    await settings.page.getByRole('heading', { name: 'Server settings' }).waitFor();
    await settings.alerts().filter({ hasText: problem }).waitFor();
    const address = settings.page.getByLabel('Server address');
    await expect
      .poll(() => address.inputValue(), { timeout: 10_000 })
      .toBe('http://127.0.0.1:3000');
    // No server stored yet: nothing to go back to.
    expect(await settings.page.getByRole('button', { name: 'Back to console' }).count()).toBe(0);

    await settings.page.getByRole('button', { name: 'Check connection' }).click();
    await settings.page
      .getByRole('status')
      .filter({ hasText: 'Could not reach http://127.0.0.1:3000 (ERR_CONNECTION_REFUSED).' })
      .waitFor();
    await settings.screenshot('09-desktop-settings');

    await address.fill('chat.example.com');
    await settings.page.getByRole('button', { name: 'Save and connect' }).click();
    await settings
      .alerts()
      .filter({ hasText: 'Start the address with http:// or https://.' })
      .waitFor();

    // Plain http to another computer: a warning the agent must confirm before saving.
    const save = settings.page.getByRole('button', { name: 'Save and connect' });
    const warning = settings.alerts().filter({ hasText: 'unencrypted' });
    expect(await warning.count()).toBe(0);
    await address.fill('http://chat.example.com:3000');
    await warning.waitFor();
    expect(await save.isDisabled()).toBe(true);
    await settings.page.getByLabel('I understand this connection is not encrypted').check();
    await save.click();
    await expect
      .poll(async () => (await callsOf(settings)).at(-1), { timeout: 10_000 })
      .toEqual({
        name: 'saveSettings',
        args: [
          { serverUrl: 'http://chat.example.com:3000', soundEnabled: true, allowUnencrypted: true },
        ],
      });
    // Loopback and https need no warning.
    await address.fill('http://localhost:3000');
    expect(await warning.count()).toBe(0);

    await address.fill('https://chat.example.com');
    await settings.page.getByLabel('Play a sound when a customer joins the queue').uncheck();
    await settings.page.getByRole('button', { name: 'Save and connect' }).click();
    await expect
      .poll(async () => (await callsOf(settings)).at(-1), { timeout: 10_000 })
      .toEqual({
        name: 'saveSettings',
        args: [{ serverUrl: 'https://chat.example.com', soundEnabled: false }],
      });
    await settings.close();
  });

  it('the console tells the main process its language, and the settings page follows it', async () => {
    const { agentConsole: agent } = await harness().signedInConsole('Ada Agent', async (page) => {
      await page.addInitScript(bridgeStandIn({ serverUrl: 'http://x', soundEnabled: true }));
    });
    const languageReports = async (): Promise<unknown[]> =>
      (await callsOf(agent))
        .filter((call) => call.name === 'reportLanguage')
        .map((call) => call.args[0]);
    await expect.poll(languageReports, { timeout: 10_000 }).toEqual(['en']);
    await agent.page.getByLabel('Language').selectOption('ar');
    await expect.poll(languageReports, { timeout: 10_000 }).toEqual(['en', 'ar']);

    // The settings page is on the app's own origin, which does not share the console's storage
    // (here: storage cleared): it takes the language the app kept.
    await agent.page.evaluate('localStorage.clear()');
    await agent.page.goto(`${harness().url}/agent/settings.html`);
    const { page } = agent;
    await page.getByRole('heading', { name: 'إعدادات الخادم' }).waitFor();
    expect(await page.evaluate('document.documentElement.dir')).toBe('rtl');
    await page.getByLabel('عنوان الخادم').fill('http://chat.example.com');
    await page.getByLabel('أفهم أن هذا الاتصال غير مشفّر').waitFor();
    await agent.screenshot('languages-ar-settings');
  });
});
