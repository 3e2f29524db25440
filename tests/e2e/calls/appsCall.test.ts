// A voice call between the two real apps, each in its own Chromium context with a fake
// microphone: the customer's PWA (phone size) and the agent console. The customer calls from the
// chat, the agent accepts on the console's incoming-call bar; both reach the call, audio flows
// both ways (read from each page's own peer connection), the customer's Mute silences them for
// the agent, and the agent's Hang up ends it for the customer; both transcripts show the call.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeMicrophone, toneWav } from '../../support/browser';
import { hearsAudio, hearsSilence, watchPeers } from '../../support/peerWatch';
import { AgentConsolePage } from '../desktop/support/agentConsolePage';
import { CustomerPage } from '../pwa/support/customerPage';
import { usePwaSuite } from '../pwa/support/pwaSuite';

const toneDir = mkdtempSync(join(tmpdir(), 'apps-call-'));
const tone = join(toneDir, 'tone.wav');
writeFileSync(tone, toneWav(440, 2));
afterAll(() => {
  rmSync(toneDir, { recursive: true, force: true });
});

const suite = usePwaSuite({ browserArgs: fakeMicrophone(tone) });
const WAIT = { timeout: 30_000 };

describe('a call between the customer app and the agent console', () => {
  it('connects both apps with audio both ways; mute and hang-up reach the other side', async () => {
    const { stack, browser } = suite;
    const agentAccount = await stack.createAgent('Ada Agent');
    const console_ = await AgentConsolePage.open(browser, stack.url, (page) =>
      watchPeers(page.context()),
    );
    try {
      await console_.signIn(agentAccount);
      const customerContext = await suite.newContext();
      await watchPeers(customerContext);
      const customer = await CustomerPage.open(customerContext, stack.url);
      await customer.login(await suite.newCustomer('gold', 'Carol Customer'));
      await customer.requestChat();
      await console_.startChatButton().click(WAIT);
      await customer.waitForState('In Conversation');

      await customer.page.getByRole('button', { name: 'Call', exact: true }).click(WAIT);
      await console_.incomingCall().getByRole('button', { name: 'Accept' }).click(WAIT);
      const screen = customer.page.getByRole('dialog');
      await screen.getByText('In a call').waitFor(WAIT);
      await console_.callBar().getByRole('button', { name: 'Hang up' }).waitFor(WAIT);

      // Each app receives the other's tone on its own peer connection.
      const agentHears = await hearsAudio(console_.page, 2_000);
      await hearsAudio(customer.page, 2_000);

      await screen.getByRole('button', { name: 'Mute' }).click();
      await hearsSilence(console_.page);
      await screen.getByRole('button', { name: 'Unmute' }).click();
      await hearsAudio(console_.page, agentHears.inboundBytes);

      await console_.callBar().getByRole('button', { name: 'Hang up' }).click();
      await screen.waitFor({ state: 'detached', ...WAIT });
      await customer.page.getByRole('status').filter({ hasText: 'Call ended.' }).waitFor(WAIT);
      await customer.page
        .locator('.call-event')
        .filter({ hasText: /Call ended · \d+:\d\d/ })
        .waitFor(WAIT);
      await console_
        .callEvents()
        .filter({ hasText: /Call ended · \d+:\d\d/ })
        .waitFor(WAIT);
      expect(await console_.page.locator('audio.call-audio').count()).toBe(1);
    } finally {
      await console_.close();
    }
  });
});
