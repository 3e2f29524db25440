import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { waitUntilHeard, waitUntilSilent } from '../../support/peerWatch';
import type { AudioFigures } from './callParty';

let partyBundle: Promise<string> | undefined;

/** The call tests' device page (callParty.ts), bundled once per test file. */
export function partyScript(): Promise<string> {
  partyBundle ??= build({
    entryPoints: [fileURLToPath(new URL('./callParty.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  }).then((bundle) => bundle.outputFiles[0]?.text ?? '');
  return partyBundle;
}

/**
 * One party's device in a call (the customer's or the agent's): a page of the server's origin
 * running the client core's call audio (the callParty bundle) with that user's token, in a
 * context of its own.
 */
export class CallPartyPage {
  private constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(browser: Browser, serverUrl: string, token: string): Promise<CallPartyPage> {
    // The server's pages allow only their own scripts: this test page brings its own.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${serverUrl}/healthz`);
    await page.addScriptTag({ content: await partyScript() });
    await page.evaluate(
      async ([url, t]) => {
        await window.callParty.connect(url, t);
      },
      [serverUrl, token] as const,
    );
    return new CallPartyPage(context, page);
  }

  /** Places a call in the conversation; resolves with its id. */
  start(conversationId: string): Promise<string> {
    return this.page.evaluate((id) => window.callParty.start(id), conversationId);
  }

  accept(callId: string): Promise<void> {
    return this.page.evaluate((id) => window.callParty.accept(id), callId);
  }

  hangUp(): Promise<void> {
    return this.page.evaluate(() => window.callParty.hangUp());
  }

  /** Waits until the customer's device holds the call in `state`. */
  async waitForCallState(state: 'ringing' | 'established' | 'ended'): Promise<void> {
    await expect
      .poll(() => this.page.evaluate(() => window.callParty.callState()), { timeout: 30_000 })
      .toBe(state);
  }

  endReason(): Promise<string | null> {
    return this.page.evaluate(() => window.callParty.endReason());
  }

  audio(): Promise<AudioFigures> {
    return this.page.evaluate(() => window.callParty.audio());
  }

  /** Waits until this device receives audio past `bytes`, at a level over `level`. */
  hears(bytes: number, level: number): Promise<AudioFigures> {
    return waitUntilHeard(() => this.audio(), bytes, level, 30_000);
  }

  /** Waits until what this device receives is silence (the other side muted). */
  hearsSilence(): Promise<void> {
    return waitUntilSilent(() => this.audio(), 30_000);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** Opens customer call pages in a test and closes them after it. */
export function useCallPartyPages(): (
  browser: Browser,
  serverUrl: string,
  token: string,
) => Promise<CallPartyPage> {
  const open: CallPartyPage[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((page) => page.close()));
  });
  return async (browser, serverUrl, token) => {
    const page = await CallPartyPage.open(browser, serverUrl, token);
    open.push(page);
    return page;
  };
}
