// Chromium pages that each run one device of a call (the callParty.ts bundle), with a fake
// microphone playing a tone, for the call tests.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { fakeMicrophone, launchBrowser, toneWav } from '../../support/browser';
import { waitUntilHeard } from '../../support/peerWatch';
import type { RelayedCalls } from '../../support/relayedCalls';
import type { AudioFigures, PartyTiming } from './callParty';
import { partyScript } from './callPartyPage';

export interface CallParties {
  /** A page of the server's origin running one device of a call, connected with `token`. */
  party: (token: string, timing?: PartyTiming) => Promise<Page>;
  /** What the page's device sends and receives now. */
  audio: (page: Page) => Promise<AudioFigures>;
  /** Waits until the page receives audio past `bytes`, at a level over `level`. */
  hears: (page: Page, bytes: number, level: number) => Promise<AudioFigures>;
}

export function useCallParties(relay: RelayedCalls): CallParties {
  let browser: Browser | undefined;
  let script = '';

  beforeAll(async () => {
    const wav = join(relay.dir, 'tone.wav');
    await writeFile(wav, toneWav(440, 2));
    browser = await launchBrowser(fakeMicrophone(wav));
    script = await partyScript();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const audio = (page: Page): Promise<AudioFigures> =>
    page.evaluate(() => window.callParty.audio());

  return {
    async party(token, timing) {
      if (!browser) throw new Error('the browser is not started yet');
      // The server's pages allow only their own scripts: this test page brings its own.
      const context = await browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      const { url } = relay.suite.stack;
      await page.goto(`${url}/healthz`);
      await page.addScriptTag({ content: script });
      await page.evaluate(
        async ([serverUrl, t, how]) => {
          await window.callParty.connect(serverUrl, t, how);
        },
        [url, token, timing] as const,
      );
      return page;
    },
    audio,
    hears: (page, bytes, level) => waitUntilHeard(() => audio(page), bytes, level),
  };
}
