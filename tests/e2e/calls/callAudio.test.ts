// A call's audio between two Chromium pages, each running the client core's CallMedia as the
// apps do, with a fake microphone playing a tone: both reach established, audio flows both
// ways (bytes and level rising on each side), Mute silences one side, and hanging up ends it
// for the other. Media goes through a private coturn with the server's credentials.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '@callcenter/devstack/testing';
import { fakeMicrophone, launchBrowser, toneWav } from '../../support/browser';
import { useRelayedCalls } from '../../support/relayedCalls';
import type { AudioFigures } from './callParty';

const relay = useRelayedCalls();
const { suite } = relay;
let browser: Browser;
let partyScript: string;

beforeAll(async () => {
  const wav = join(relay.dir, 'tone.wav');
  await writeFile(wav, toneWav(440, 2));
  browser = await launchBrowser(fakeMicrophone(wav));
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./callParty.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  partyScript = bundle.outputFiles[0]?.text ?? '';
}, 60_000);

afterAll(async () => {
  await browser.close();
});

/** A page of the server's origin running one device of a call, connected with `token`. */
async function party(token: string): Promise<Page> {
  // The server's pages allow only their own scripts: this test page brings its own.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${suite.stack.url}/healthz`);
  await page.addScriptTag({ content: partyScript });
  await page.evaluate(
    async ([url, t]) => {
      await window.callParty.connect(url, t);
    },
    [suite.stack.url, token] as const,
  );
  return page;
}

const audio = (page: Page): Promise<AudioFigures> => page.evaluate(() => window.callParty.audio());

/** Waits until this side receives audio past `bytes`, at a level over `level`. */
async function hears(page: Page, bytes: number, level: number): Promise<AudioFigures> {
  let figures = await audio(page);
  await expect
    .poll(
      async () => {
        figures = await audio(page);
        const heard = figures.inboundBytes > bytes && figures.inboundLevel > level;
        // On failure the last figures show what was missing.
        return heard ? 'heard' : JSON.stringify(figures);
      },
      { timeout: 20_000, interval: 200 },
    )
    .toBe('heard');
  return figures;
}

describe('a call with audio', () => {
  it('connects, carries audio both ways, mutes, and hangs up', async () => {
    const { stack } = suite;
    const agentAccount = await stack.createAgent();
    const customerAccount = await stack.createCustomer();
    const customer = suite.track(await TestClient.login(stack, customerAccount));
    const agent = suite.track(await TestClient.login(stack, agentAccount));
    await customer.requestOk('chat.request');
    const { conversation } = await agent.requestOk('chat.start');

    const agentPage = await party(agent.token);
    const customerPage = await party(customer.token);
    const callId = await agentPage.evaluate((id) => window.callParty.start(id), conversation.id);
    await customerPage.waitForFunction(() => window.callParty.callState() === 'ringing');
    await customerPage.evaluate((id) => window.callParty.accept(id), callId);
    await agentPage.waitForFunction(() => window.callParty.callState() === 'established');

    // The tone reaches each side: bytes and level rising.
    const agentHears = await hears(agentPage, 2_000, 0.01);
    const customerHears = await hears(customerPage, 2_000, 0.01);
    expect(agentHears.outboundBytes).toBeGreaterThan(0);
    expect(customerHears.outboundBytes).toBeGreaterThan(0);

    // The customer mutes: the agent hears silence, while the customer still hears the agent.
    await customerPage.evaluate(() => {
      window.callParty.mute(true);
    });
    await expect
      .poll(async () => (await audio(agentPage)).inboundLevel, { timeout: 20_000, interval: 200 })
      .toBeLessThan(0.001);
    const still = await audio(customerPage);
    await hears(customerPage, still.inboundBytes, 0.01);

    // The agent hangs up: the customer's device hears it.
    await agentPage.evaluate(() => window.callParty.hangUp());
    await customerPage.waitForFunction(() => window.callParty.callState() === 'ended');
  }, 90_000);
});
