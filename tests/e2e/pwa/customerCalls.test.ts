// Voice calls in the customer app, at phone size, through its real UI: the customer calls from
// the chat's header, the agent's device (a page running the client core's call audio) answers;
// the in-call screen names the agent and runs a timer; audio flows both ways; Mute silences the
// customer; Hang up ends it. The agent calls and the customer declines on the full-screen
// incoming call; a call nobody answers is missed; a blocked microphone is said plainly and ends
// the call as no_microphone. The transcript shows each call's events.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestAccount, TestClient } from '@callcenter/devstack/testing';
import { fakeMicrophone, toneWav } from '../../support/browser';
import { useCallPartyPages, type CallPartyPage } from '../calls/callPartyPage';
import { CustomerPage } from './support/customerPage';
import { screenshot, usePwaSuite } from './support/pwaSuite';

const toneDir = mkdtempSync(join(tmpdir(), 'pwa-calls-'));
const tone = join(toneDir, 'tone.wav');
writeFileSync(tone, toneWav(523, 2));
afterAll(() => {
  rmSync(toneDir, { recursive: true, force: true });
});

const RING_TIMEOUT_MS = 8_000;
const suite = usePwaSuite({
  config: { callRingTimeoutMs: RING_TIMEOUT_MS },
  browserArgs: fakeMicrophone(tone),
});
const openParty = useCallPartyPages();
const WAIT = { timeout: 30_000 };

interface InConversation {
  customer: CustomerPage;
  agent: TestClient;
  /** The agent's device for calls. */
  agentDevice: CallPartyPage;
  conversationId: string;
  account: TestAccount;
}

async function inConversation(beforeLoad?: (page: Page) => Promise<void>): Promise<InConversation> {
  const agent = await suite.newAgent('Ada Agent');
  const account = await suite.newCustomer('gold', 'Carol Customer');
  const page = await (await suite.newContext()).newPage();
  await beforeLoad?.(page);
  await page.goto(suite.stack.url);
  const customer = new CustomerPage(page);
  await customer.login(account);
  await customer.requestChat();
  const { conversation } = await agent.requestOk('chat.start');
  await customer.waitForState('In Conversation');
  const agentDevice = await openParty(suite.browser, suite.stack.url, agent.token);
  return { customer, agent, agentDevice, conversationId: conversation.id, account };
}

const callButton = (customer: CustomerPage) =>
  customer.page.getByRole('button', { name: 'Call', exact: true });
const callScreen = (customer: CustomerPage) => customer.page.getByRole('dialog');
const callEvents = (customer: CustomerPage) => customer.page.locator('.call-event');

/** The app plays the agent's audio: a live stream in its `<audio>`, playing. */
function playsCall(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const player = document.querySelector<HTMLAudioElement>('audio.call-audio');
    const stream = player?.srcObject;
    if (!player || !(stream instanceof MediaStream)) return false;
    const live = stream.getAudioTracks().some((track) => track.readyState === 'live');
    return live && !player.paused && player.currentTime > 0.5;
  });
}

describe('voice calls in the customer app', () => {
  it('calls the agent: in-call screen, audio both ways, mute, hang up, history', async () => {
    const { customer, agentDevice } = await inConversation();
    await callButton(customer).click();
    const screen = callScreen(customer);
    await screen.getByText('Calling…').waitFor(WAIT);
    await screen.getByRole('heading', { name: 'Ada Agent' }).waitFor(WAIT);
    await screenshot(customer.page, 'call-outgoing');

    await agentDevice.waitForCallState('ringing');
    const callId = await agentDevice.page.evaluate(() => window.callParty.currentCallId());
    await agentDevice.accept(callId);
    await screen.getByText('In a call').waitFor(WAIT);
    await screen
      .getByRole('timer')
      .filter({ hasText: /^00:0[1-9]$/ })
      .waitFor(WAIT);

    // The customer's tone reaches the agent; the agent's reaches the app and plays.
    const heard = await agentDevice.hears(2_000, 0.01);
    await expect.poll(() => playsCall(customer.page), WAIT).toBe(true);
    await screenshot(customer.page, 'call-established');

    const mute = screen.getByRole('button', { name: 'Mute' });
    await mute.click();
    await screen.getByRole('button', { name: 'Unmute', pressed: true }).waitFor(WAIT);
    await agentDevice.hearsSilence();
    await screen.getByRole('button', { name: 'Unmute' }).click();
    await agentDevice.hears(heard.inboundBytes, 0.01);

    await screen.getByRole('button', { name: 'Hang up' }).click();
    await agentDevice.waitForCallState('ended');
    expect(await agentDevice.endReason()).toBe('hangup');
    await screen.waitFor({ state: 'detached', ...WAIT });
    await customer.page.getByRole('status').filter({ hasText: 'Call ended.' }).waitFor(WAIT);
    await callEvents(customer)
      .filter({ hasText: /Voice call from .*Carol Customer/ })
      .waitFor(WAIT);
    await callEvents(customer).filter({ hasText: 'Call answered' }).waitFor(WAIT);
    await callEvents(customer)
      .filter({ hasText: /Call ended · \d+:\d\d/ })
      .waitFor(WAIT);
    await expect.poll(() => customer.page.evaluate(() => document.title)).not.toMatch(/^\(/);
    await customer.page.getByRole('button', { name: 'Dismiss' }).click();
    await customer.page
      .getByRole('button', { name: 'Call', exact: true, disabled: false })
      .waitFor(WAIT);
  });

  it('rings full screen when the agent calls; Decline ends it as declined', async () => {
    const { customer, agentDevice, conversationId } = await inConversation();
    await agentDevice.start(conversationId);
    const screen = callScreen(customer);
    await screen.getByText('is calling you').waitFor(WAIT);
    await screen.getByRole('heading', { name: 'Ada Agent' }).waitFor(WAIT);
    await screenshot(customer.page, 'call-incoming');
    await screen.getByRole('button', { name: 'Decline' }).click();
    await agentDevice.waitForCallState('ended');
    expect(await agentDevice.endReason()).toBe('declined');
    await customer.page.getByText('Call ended: you declined.').waitFor(WAIT);
    await callEvents(customer).filter({ hasText: 'Call declined' }).waitFor(WAIT);
  });

  it('accepts the agent’s call, and goes back to the chat when the agent hangs up', async () => {
    const { customer, agentDevice, conversationId } = await inConversation();
    await agentDevice.start(conversationId);
    const screen = callScreen(customer);
    await screen.getByRole('button', { name: 'Accept' }).click(WAIT);
    await screen.getByText('In a call').waitFor(WAIT);
    await agentDevice.hears(2_000, 0.01);
    await agentDevice.hangUp();
    await screen.waitFor({ state: 'detached', ...WAIT });
    await customer.page.getByRole('status').filter({ hasText: 'Call ended.' }).waitFor(WAIT);
  });

  it('a call nobody answers is missed', async () => {
    const { customer, agentDevice, conversationId } = await inConversation();
    await agentDevice.start(conversationId);
    await callScreen(customer).getByText('is calling you').waitFor(WAIT);
    await customer.page
      .getByText(/You missed a call from .*Ada Agent/)
      .waitFor({ timeout: RING_TIMEOUT_MS + 30_000 });
    await callEvents(customer).filter({ hasText: 'Missed call' }).waitFor(WAIT);
    expect(await agentDevice.endReason()).toBe('missed');
  });

  it('says plainly when the microphone is blocked, and ends the call as no_microphone', async () => {
    const { customer, agentDevice } = await inConversation(async (page) => {
      await page.addInitScript(() => {
        navigator.mediaDevices.getUserMedia = () =>
          Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
      });
    });
    await callButton(customer).click();
    await customer.page
      .getByRole('alert')
      .filter({ hasText: 'Your microphone is blocked.' })
      .waitFor(WAIT);
    await screenshot(customer.page, 'call-no-microphone');
    await agentDevice.waitForCallState('ended');
    expect(await agentDevice.endReason()).toBe('no_microphone');
    await callEvents(customer).filter({ hasText: '(no microphone)' }).waitFor(WAIT);
  });

  it('both pressing Call at once gives one call, with audio', async () => {
    const { customer, agentDevice, conversationId } = await inConversation();
    await Promise.all([callButton(customer).click(), agentDevice.start(conversationId)]);
    await callScreen(customer).getByText('In a call').waitFor(WAIT);
    await agentDevice.waitForCallState('established');
    await agentDevice.hears(2_000, 0.01);
    await expect.poll(() => playsCall(customer.page), WAIT).toBe(true);
  });

  it('rings on every device of the customer; the one that answers takes the call', async () => {
    const { customer, agentDevice, conversationId, account } = await inConversation();
    const second = new CustomerPage(await (await suite.newContext()).newPage());
    await second.page.goto(suite.stack.url);
    await second.login(account);
    await second.waitForState('In Conversation');
    await agentDevice.start(conversationId);
    await callScreen(customer).getByText('is calling you').waitFor(WAIT);
    await callScreen(second).getByText('is calling you').waitFor(WAIT);
    await callScreen(second).getByRole('button', { name: 'Accept' }).click();
    await callScreen(second).getByText('In a call').waitFor(WAIT);
    await agentDevice.hears(2_000, 0.01);
    // The first device stops ringing and says where the call is; it plays nothing.
    await callScreen(customer).waitFor({ state: 'detached', ...WAIT });
    await customer.page.getByText('You are in a call on another device.').waitFor(WAIT);
    expect(await playsCall(customer.page)).toBe(false);
    await callScreen(second).getByRole('button', { name: 'Hang up' }).click();
    await agentDevice.waitForCallState('ended');
    await customer.page.getByRole('status').filter({ hasText: 'Call ended.' }).waitFor(WAIT);
  });
});
