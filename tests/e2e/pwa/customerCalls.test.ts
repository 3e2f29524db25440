// Voice calls in the customer app, at phone size, through its real UI: the customer calls from
// the chat's header, the agent's device (a page running the client core's call audio) answers;
// the in-call screen names the agent and runs a timer; audio flows both ways; Mute silences the
// customer; Hang up ends it. The agent calls and the customer declines on the full-screen
// incoming call; a call nobody answers is missed; a blocked microphone is said plainly and ends
// the call as no_microphone; a call while the app is in the background rings and notifies. Call
// is off (with its reason) offline and outside a chat. The transcript shows each call's events.
// Screenshots (artifacts/pwa/call-*.png and /tmp/pwa-call-*.png) at 390x844 and desktop width.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestAccount, TestClient } from '@callcenter/devstack/testing';
import { fakeMicrophone, toneWav } from '../../support/browser';
import { expectAccessible } from '../../support/axe';
import { playsCallAudio } from '../../support/peerWatch';
import { useCallPartyPages, type CallPartyPage } from '../calls/callPartyPage';
import { CustomerPage } from './support/customerPage';
import {
  findLowContrastText,
  findUnlabelledControls,
  overflowsSideways,
} from './support/pageChecks';
import { screenshot, usePwaSuite } from './support/pwaSuite';

const toneDir = mkdtempSync(join(tmpdir(), 'pwa-calls-'));
const tone = join(toneDir, 'tone.wav');
writeFileSync(tone, toneWav(523, 2));
afterAll(() => {
  rmSync(toneDir, { recursive: true, force: true });
});

// Long enough for the tests that screenshot and check a ringing call before answering it.
const RING_TIMEOUT_MS = 8_000;
// The missed call rings on a node of its own with a short time-out (see that test).
const MISSED_RING_TIMEOUT_MS = 3_000;
const suite = usePwaSuite({
  config: { callRingTimeoutMs: RING_TIMEOUT_MS },
  browserArgs: fakeMicrophone(tone),
});
const openParty = useCallPartyPages();
const WAIT = { timeout: 30_000 };
/** A common phone today; the suite's default is a small one. */
const PHONE_VIEWPORT = { viewport: { width: 390, height: 844 } };
const DESKTOP_WINDOW: BrowserContextOptions = {
  viewport: { width: 1280, height: 800 },
  isMobile: false,
  hasTouch: false,
};

interface InConversation {
  customer: CustomerPage;
  agent: TestClient;
  /** The agent's device for calls. */
  agentDevice: CallPartyPage;
  conversationId: string;
  account: TestAccount;
}

async function inConversation(
  options: {
    context?: BrowserContextOptions;
    /** Runs before the app loads (init scripts). */
    beforeLoad?: (page: Page) => Promise<void>;
    /** The node that the app, the agent and the agent's device use (default: the first). */
    url?: string;
  } = {},
): Promise<InConversation> {
  const url = options.url ?? suite.stack.url;
  const agent = await suite.newAgent('Ada Agent', url);
  const account = await suite.newCustomer('gold', 'Carol Customer');
  const page = await (await suite.newContext(options.context ?? PHONE_VIEWPORT)).newPage();
  await options.beforeLoad?.(page);
  await page.goto(url);
  const customer = new CustomerPage(page);
  await customer.login(account);
  await customer.requestChat();
  const { conversation } = await agent.requestOk('chat.start');
  await customer.waitForState('In Conversation');
  const agentDevice = await openParty(suite.browser, url, agent.token);
  return { customer, agent, agentDevice, conversationId: conversation.id, account };
}

const callButton = (customer: CustomerPage) =>
  customer.page.getByRole('button', { name: 'Call', exact: true });
const callScreen = (customer: CustomerPage) => customer.page.getByRole('dialog');
const callEvents = (customer: CustomerPage) => customer.page.locator('.call-event');

/** Why Call is off, as the button's description says, or null when it is on. */
function callBlockedReason(customer: CustomerPage): Promise<string | null> {
  return callButton(customer).evaluate((button) => {
    if (!(button instanceof HTMLButtonElement) || !button.disabled) return null;
    const describedBy = button.getAttribute('aria-describedby');
    return describedBy === null ? '' : (document.getElementById(describedBy)?.textContent ?? '');
  });
}

/** The accessible name of the element that has the keyboard. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    return active === null ? '' : (active.getAttribute('aria-label') ?? active.textContent).trim();
  });
}

/** A screenshot for a person to look at, in the artifacts and as /tmp/pwa-call-<name>.png. */
async function callScreenshot(page: Page, name: string): Promise<void> {
  await screenshot(page, `call-${name}`);
  await page.screenshot({ path: `/tmp/pwa-call-${name}.png` });
}

/** Readable, every control named, no sideways scrolling. */
async function expectGoodLayout(page: Page, where: string): Promise<void> {
  expect(await page.evaluate(findLowContrastText, 4.5), `contrast: ${where}`).toEqual([]);
  expect(await page.evaluate(findUnlabelledControls), `labels: ${where}`).toEqual([]);
  expect(await page.evaluate(overflowsSideways), `sideways scroll: ${where}`).toBe(false);
}

describe('voice calls in the customer app', () => {
  it('calls the agent: in-call screen, audio both ways, mute, hang up, history', async () => {
    const { customer, agentDevice } = await inConversation();
    await callButton(customer).click();
    const screen = callScreen(customer);
    await screen.getByText('Calling…').waitFor(WAIT);
    await screen.getByRole('heading', { name: 'Ada Agent' }).waitFor(WAIT);
    await callScreenshot(customer.page, 'outgoing');
    await expectGoodLayout(customer.page, 'calling');
    await expectAccessible(customer.page, 'calling');

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
    await expect.poll(() => playsCallAudio(customer.page), WAIT).toBe(true);
    await callScreenshot(customer.page, 'established');
    await expectGoodLayout(customer.page, 'in a call');
    await expectAccessible(customer.page, 'in a call');

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
    // The keyboard goes on from the note, not from the top of the page.
    await expect.poll(() => focused(customer.page), WAIT).toBe('Dismiss');
    await callEvents(customer)
      .filter({ hasText: /Voice call from .*Carol Customer/ })
      .waitFor(WAIT);
    await callEvents(customer).filter({ hasText: 'Call answered' }).waitFor(WAIT);
    await callEvents(customer)
      .filter({ hasText: /Call ended · \d+:\d\d/ })
      .waitFor(WAIT);
    await callScreenshot(customer.page, 'ended');
    await expectGoodLayout(customer.page, 'call ended');
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
    await callScreenshot(customer.page, 'incoming');
    await expectGoodLayout(customer.page, 'incoming call');
    // A modal: the keyboard starts on Accept, and the chat behind is out of reach.
    await expect.poll(() => focused(customer.page), WAIT).toBe('Accept');
    expect(await customer.page.locator('.chat-screen[inert]').count()).toBe(1);
    await screen.getByRole('button', { name: 'Accept' }).press('Tab');
    expect(await focused(customer.page)).toBe('Decline');
    await customer.page.keyboard.press('Enter');
    await agentDevice.waitForCallState('ended');
    expect(await agentDevice.endReason()).toBe('declined');
    await customer.page.getByText('Call ended: you declined.').waitFor(WAIT);
    expect(await customer.page.locator('.chat-screen[inert]').count()).toBe(0);
    await callEvents(customer).filter({ hasText: 'Call declined' }).waitFor(WAIT);
  });

  it('accepts the agent’s call, and goes back to the chat when the agent hangs up (desktop width)', async () => {
    const { customer, agentDevice, conversationId } = await inConversation({
      context: DESKTOP_WINDOW,
    });
    await agentDevice.start(conversationId);
    const screen = callScreen(customer);
    await screen.getByRole('heading', { name: 'Ada Agent' }).waitFor(WAIT);
    await callScreenshot(customer.page, 'desktop-incoming');
    await expectGoodLayout(customer.page, 'incoming call, desktop');
    await screen.getByRole('button', { name: 'Accept' }).click(WAIT);
    await screen.getByText('In a call').waitFor(WAIT);
    await agentDevice.hears(2_000, 0.01);
    await expect.poll(() => playsCallAudio(customer.page), WAIT).toBe(true);
    await callScreenshot(customer.page, 'desktop-established');
    await agentDevice.hangUp();
    await screen.waitFor({ state: 'detached', ...WAIT });
    await customer.page.getByRole('status').filter({ hasText: 'Call ended.' }).waitFor(WAIT);
    await callEvents(customer).filter({ hasText: 'Voice call from' }).waitFor(WAIT);
    await callEvents(customer)
      .filter({ hasText: /Call ended · \d+:\d\d/ })
      .waitFor(WAIT);
    await callScreenshot(customer.page, 'desktop-ended');
    await expectGoodLayout(customer.page, 'call ended, desktop');
  });

  it('a call nobody answers is missed', async () => {
    // A call's ring deadline is set by the node that takes its start: this one rings for
    // MISSED_RING_TIMEOUT_MS instead of waiting out the suite's long time-out. The app, the
    // agent and the agent's device all use it (the first node only shares Redis and the store).
    const node = await suite.stack.addNode({ callRingTimeoutMs: MISSED_RING_TIMEOUT_MS });
    try {
      const { customer, agentDevice, conversationId } = await inConversation({ url: node.url });
      await agentDevice.start(conversationId);
      await callScreen(customer).getByText('is calling you').waitFor(WAIT);
      await customer.page
        .getByText(/You missed a call from .*Ada Agent/)
        .waitFor({ timeout: MISSED_RING_TIMEOUT_MS + 30_000 });
      await callEvents(customer).filter({ hasText: 'Missed call' }).waitFor(WAIT);
      expect(await agentDevice.endReason()).toBe('missed');
    } finally {
      suite.stack.nodes.splice(suite.stack.nodes.indexOf(node), 1);
      await node.stop();
    }
  });

  it('says plainly when the microphone is blocked, and ends the call as no_microphone', async () => {
    // What Chromium answers when the microphone permission is denied (a headless browser's
    // permission prompt cannot be answered "block" deterministically).
    const { customer, agentDevice } = await inConversation({
      beforeLoad: async (page) => {
        await page.addInitScript(() => {
          navigator.mediaDevices.getUserMedia = () =>
            Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        });
      },
    });
    await callButton(customer).click();
    await customer.page
      .getByRole('alert')
      .filter({ hasText: 'Your microphone is blocked.' })
      .waitFor(WAIT);
    await callScreenshot(customer.page, 'no-microphone');
    await expectGoodLayout(customer.page, 'microphone blocked');
    await agentDevice.waitForCallState('ended');
    expect(await agentDevice.endReason()).toBe('no_microphone');
    await callEvents(customer).filter({ hasText: '(no microphone)' }).waitFor(WAIT);
    // It stays until dismissed.
    await customer.page
      .getByRole('alert')
      .filter({ hasText: 'Your microphone is blocked.' })
      .getByRole('button', { name: 'Dismiss' })
      .click();
    await customer.page.getByText('Your microphone is blocked.').waitFor({ state: 'detached' });
  });

  it('both pressing Call at once gives one call, with audio', async () => {
    const { customer, agentDevice, conversationId } = await inConversation();
    // The customer's tap goes out first (Playwright's click first waits for the button to keep
    // still, by which time the agent's ringing call may cover it), the agent's start right
    // after: whichever start the server takes first, the other one answers it.
    await callButton(customer).evaluate((button) => {
      if (button instanceof HTMLButtonElement) button.click();
    });
    await agentDevice.start(conversationId);
    await callScreen(customer).getByText('In a call').waitFor(WAIT);
    await agentDevice.waitForCallState('established');
    await agentDevice.hears(2_000, 0.01);
    await expect.poll(() => playsCallAudio(customer.page), WAIT).toBe(true);
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
    expect(await playsCallAudio(customer.page)).toBe(false);
    await callScreen(second).getByRole('button', { name: 'Hang up' }).click();
    await agentDevice.waitForCallState('ended');
    await customer.page.getByRole('status').filter({ hasText: 'Call ended.' }).waitFor(WAIT);
  });

  it('keeps Call off, saying why, outside a chat and while offline', async () => {
    const agent = await suite.newAgent('Ada Agent');
    const account = await suite.newCustomer('gold', 'Carol Customer');
    const context = await suite.newContext(PHONE_VIEWPORT);
    const customer = await CustomerPage.open(context, suite.stack.url);
    await customer.login(account);
    await customer.waitForState('Not Connected');
    expect(await callBlockedReason(customer)).toMatch(/once an agent is chatting with you/);
    await customer.requestChat();
    await agent.requestOk('chat.start');
    await customer.waitForState('In Conversation');
    await expect.poll(() => callBlockedReason(customer), WAIT).toBeNull();

    await context.setOffline(true);
    await expect.poll(() => callBlockedReason(customer), WAIT).toMatch(/^You're offline/);
    await callScreenshot(customer.page, 'offline');
    await context.setOffline(false);
    await expect.poll(() => callBlockedReason(customer), WAIT).toBeNull();
  });

  it('rings, with a notification, while the app is in the background; answering stops both', async () => {
    const { customer, agentDevice, conversationId } = await inConversation({
      beforeLoad: async (page) => {
        await page.addInitScript(() => {
          // The tab in the background (a test cannot hide a headless tab), notifications allowed
          // by the customer earlier, and a count of the ring's tones playing.
          const probe = { hidden: false, notifications: [] as string[], tones: 0 };
          Object.assign(window, { callProbe: probe });
          Object.defineProperty(Document.prototype, 'visibilityState', {
            get: () => (probe.hidden ? 'hidden' : 'visible'),
          });
          Object.defineProperty(Document.prototype, 'hidden', { get: () => probe.hidden });
          class RecordedNotification {
            static readonly permission = 'granted';
            constructor(title: string, options?: NotificationOptions) {
              probe.notifications.push(`${title}: ${options?.body ?? ''}`);
            }
            close(): void {
              probe.notifications.push('closed');
            }
          }
          Object.assign(window, { Notification: RecordedNotification });
          class CountingAudioContext extends AudioContext {
            override createOscillator(): OscillatorNode {
              const tone = super.createOscillator();
              const start = tone.start.bind(tone);
              const stop = tone.stop.bind(tone);
              tone.start = (when?: number) => {
                probe.tones += 1;
                start(when);
              };
              tone.stop = (when?: number) => {
                probe.tones -= 1;
                stop(when);
              };
              return tone;
            }
          }
          Object.assign(window, { AudioContext: CountingAudioContext });
        });
      },
    });
    const probe = () =>
      customer.page.evaluate(() => {
        const { notifications, tones } = (
          window as unknown as { callProbe: { notifications: string[]; tones: number } }
        ).callProbe;
        return { notifications, tones };
      });
    const setHidden = (hidden: boolean) =>
      customer.page.evaluate((value) => {
        (window as unknown as { callProbe: { hidden: boolean } }).callProbe.hidden = value;
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);

    await setHidden(true);
    await agentDevice.start(conversationId);
    await expect.poll(probe, WAIT).toEqual({
      notifications: ['Incoming call: Ada Agent is calling you.'],
      tones: 2,
    });
    // The call's line in the transcript is no message to read: the title counts nothing.
    await callEvents(customer).filter({ hasText: 'Voice call from' }).waitFor(WAIT);
    expect(await customer.page.evaluate(() => document.title)).not.toMatch(/^\(/);

    await setHidden(false);
    await callScreen(customer).getByRole('button', { name: 'Accept' }).click();
    await callScreen(customer).getByText('In a call').waitFor(WAIT);
    await expect.poll(probe, WAIT).toEqual({
      notifications: ['Incoming call: Ada Agent is calling you.', 'closed'],
      tones: 0,
    });
  });
});
