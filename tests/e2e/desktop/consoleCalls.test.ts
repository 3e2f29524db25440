// Voice calls through the agent console's own UI in Chromium, with the customer's device as a
// second page running the client core's call audio (callParty.ts); both microphones are fake
// and play a tone. Incoming call → Accept → audio both ways, Mute, Hang up; the customer
// declines; nobody answers (a short ring time-out); the customer hangs up; a blocked microphone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestClient } from '@callcenter/devstack/testing';
import { fakeMicrophone, toneWav } from '../../support/browser';
import { expectAccessible } from '../../support/axe';
import { playsCallAudio } from '../../support/peerWatch';
import type { AgentConsolePage } from './support/agentConsolePage';
import { useConsoleTestStack, type ConsoleTestStack } from './support/consoleTestStack';
import { useCallPartyPages, type CallPartyPage } from '../calls/callPartyPage';

const toneDir = mkdtempSync(join(tmpdir(), 'console-calls-'));
const tone = join(toneDir, 'tone.wav');
writeFileSync(tone, toneWav(440, 2));
afterAll(() => {
  rmSync(toneDir, { recursive: true, force: true });
});
const browserArgs = fakeMicrophone(tone);

const LONG_WAIT = { timeout: 30_000 };

interface CallSetup {
  agent: AgentConsolePage;
  customer: TestClient;
  party: CallPartyPage;
  conversationId: string;
}

function hasNoCallAudio(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.querySelector<HTMLAudioElement>('audio.call-audio')?.srcObject === null,
  );
}

function callSetup(
  harness: () => ConsoleTestStack,
  openParty: ReturnType<typeof useCallPartyPages>,
) {
  return async (
    customerName: string,
    beforeLoad?: (page: Page) => Promise<void>,
  ): Promise<CallSetup> => {
    const { agentConsole: agent } = await harness().signedInConsole('Ada Agent', beforeLoad);
    const customer = await harness().customer('gold', customerName);
    await customer.requestOk('chat.request');
    await agent.startChatButton().click();
    await agent.chatPanel(customerName).getByText('In conversation').waitFor();
    const { conversationId } = await customer.waitFor(
      'customer.state',
      (state) => state.state === 'inConversation',
    );
    if (conversationId === null) throw new Error('no conversation');
    const party = await openParty(harness().browser, harness().url, customer.token);
    return { agent, customer, party, conversationId };
  };
}

describe('calls in the agent console', () => {
  const harness = useConsoleTestStack({ browserArgs });
  const openParty = useCallPartyPages();
  const inConversation = callSetup(harness, openParty);

  it('rings for the customer’s call; Accept connects audio both ways; Mute; Hang up', async () => {
    const { agent, party, conversationId } = await inConversation('Carol Caller');
    await expect.poll(() => agent.callButton().isDisabled()).toBe(false);

    await party.start(conversationId);
    const incoming = agent.incomingCall();
    await incoming.filter({ hasText: 'Carol Caller is calling' }).waitFor(LONG_WAIT);
    await agent.page.screenshot({ path: '/tmp/console-incoming.png' });
    // Keyboard reachable: Accept takes focus and answers with Enter.
    const accept = incoming.getByRole('button', { name: 'Accept' });
    await accept.focus();
    await agent.page.keyboard.press('Enter');

    const bar = agent.callBar();
    await bar
      .filter({ hasText: 'Carol Caller' })
      .filter({ hasText: 'In a call' })
      .waitFor(LONG_WAIT);
    await party.waitForCallState('established');
    expect(await agent.callButton().getAttribute('title')).toBe('A call is already on.');

    // The time runs from the answer.
    const timer = bar.getByRole('timer', { name: 'Call time' });
    await timer.filter({ hasText: /^\d\d:\d\d$/ }).waitFor();
    const shown = await timer.innerText();
    await timer.filter({ hasNotText: shown }).waitFor(LONG_WAIT);

    // The console's tone reaches the customer; the customer's plays in the console.
    const heard = await party.hears(2_000, 0.01);
    await expect.poll(() => playsCallAudio(agent.page), LONG_WAIT).toBe(true);
    await agent.page.screenshot({ path: '/tmp/console-in-call.png' });
    await expectAccessible(agent.page, 'in a call');

    // Mute: the customer hears silence; unmute: the tone again.
    const mute = bar.getByRole('button', { name: 'Mute' });
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
    await mute.click();
    expect(await mute.getAttribute('aria-pressed')).toBe('true');
    await bar.getByText('In a call · your microphone is muted').waitFor();
    await party.hearsSilence();
    await mute.click();
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
    await party.hears(heard.inboundBytes, 0.01);

    // Hang up: ended for the customer too, as a hang-up.
    await bar.getByRole('button', { name: 'Hang up' }).click();
    await party.waitForCallState('ended');
    expect(await party.endReason()).toBe('hangup');
    await bar.filter({ hasText: 'Call ended — you hung up.' }).waitFor(LONG_WAIT);
    await expect.poll(() => hasNoCallAudio(agent.page), LONG_WAIT).toBe(true);

    // The transcript has the call's events as lines of their own, not messages.
    await agent.callEvents().filter({ hasText: 'Voice call from Carol Caller' }).waitFor();
    await agent.callEvents().filter({ hasText: 'Call answered' }).waitFor();
    await agent
      .callEvents()
      .filter({ hasText: /Call ended · \d+:\d\d/ })
      .waitFor(LONG_WAIT);
    expect(await agent.conversationMessages().count()).toBe(0);
    await agent.page.screenshot({ path: '/tmp/console-call-ended.png' });

    // Nothing awaits a reply; the inbox shows how the call ended.
    await agent.showInbox('All');
    await agent.inboxItems().filter({ hasText: '📞 Call ended ·' }).waitFor();
    await agent.showInbox('Awaiting reply');
    await agent.inbox().getByText('No customer is waiting for a reply.').waitFor();

    // Dismissed, the note goes; the agent can call again.
    await bar.getByRole('button', { name: 'Dismiss' }).click();
    await bar.waitFor({ state: 'detached' });
    await expect.poll(() => agent.callButton().isDisabled()).toBe(false);
  });

  it('calls the customer, who declines', async () => {
    const { agent, customer } = await inConversation('Dora Decliner');
    const ringing = customer.waitFor('call.state', (call) => call.state === 'ringing');
    await agent.callButton().click();
    const bar = agent.callBar();
    await bar.filter({ hasText: 'Calling Dora Decliner…' }).waitFor(LONG_WAIT);
    await expect.poll(() => agent.callButton().isDisabled()).toBe(true);

    const { callId } = await ringing;
    await customer.requestOk('call.decline', { callId });
    await bar.filter({ hasText: 'Call ended — Dora Decliner declined.' }).waitFor(LONG_WAIT);
    await agent.callEvents().filter({ hasText: 'Call declined' }).waitFor(LONG_WAIT);
    await agent.callEvents().filter({ hasText: 'Voice call from Ada Agent' }).waitFor();

    // The next call replaces the note.
    await expect.poll(() => agent.callButton().isDisabled()).toBe(false);
    await agent.callButton().click();
    await bar.filter({ hasText: 'Calling Dora Decliner…' }).waitFor(LONG_WAIT);
    expect(await bar.filter({ hasText: 'Call ended' }).count()).toBe(0);
  });

  it('shows the end when the customer hangs up the agent’s call', async () => {
    const { agent, customer, party } = await inConversation('Hal Hangup');
    const ringing = customer.waitFor('call.state', (call) => call.state === 'ringing');
    await agent.callButton().click();
    const { callId } = await ringing;
    await party.accept(callId);
    const bar = agent.callBar();
    await bar.filter({ hasText: 'Hal Hangup' }).filter({ hasText: 'In a call' }).waitFor(LONG_WAIT);
    // The console placed the call (it offers): its tone reaches the customer.
    await party.hears(2_000, 0.01);

    await party.hangUp();
    await bar.filter({ hasText: 'Call ended — Hal Hangup hung up.' }).waitFor(LONG_WAIT);
    await agent
      .callEvents()
      .filter({ hasText: /Call ended · \d+:\d\d/ })
      .waitFor(LONG_WAIT);
    await expect.poll(() => hasNoCallAudio(agent.page), LONG_WAIT).toBe(true);
  });

  it('says plainly when the agent’s microphone is blocked', async () => {
    const { agent, party, conversationId } = await inConversation(
      'Mia Microphone',
      async (page) => {
        await page.addInitScript(() => {
          navigator.mediaDevices.getUserMedia = () =>
            Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        });
      },
    );
    await party.start(conversationId);
    await agent.incomingCall().getByRole('button', { name: 'Accept' }).click(LONG_WAIT);
    await agent
      .callBar()
      .filter({ hasText: 'Call ended — Your microphone is blocked or missing.' })
      .waitFor(LONG_WAIT);
    await party.waitForCallState('ended');
    expect(await party.endReason()).toBe('no_microphone');
    await agent
      .callEvents()
      .filter({ hasText: /Call ended.*\(no microphone\)/ })
      .waitFor(LONG_WAIT);
  });
});

describe('calls nobody answers', () => {
  const harness = useConsoleTestStack({ browserArgs, config: { callRingTimeoutMs: 1_500 } });
  const openParty = useCallPartyPages();
  const inConversation = callSetup(harness, openParty);

  it('ends the agent’s unanswered call as missed', async () => {
    const { agent } = await inConversation('Nina Noanswer');
    await agent.callButton().click();
    await agent
      .callBar()
      .filter({ hasText: 'Call ended — Nina Noanswer did not answer.' })
      .waitFor(LONG_WAIT);
    await agent.callEvents().filter({ hasText: 'Missed call' }).waitFor(LONG_WAIT);
  });

  it('shows the customer’s unanswered call as missed, in the transcript and the inbox', async () => {
    const { agent, party, conversationId } = await inConversation('Otto Often');
    await party.start(conversationId);
    await agent
      .callBar()
      .filter({ hasText: 'Call ended — missed call from Otto Often.' })
      .waitFor(LONG_WAIT);
    await agent.callEvents().filter({ hasText: 'Missed call' }).waitFor(LONG_WAIT);
    await agent.showInbox('All');
    await agent.inboxItems().filter({ hasText: '📞 Missed call' }).waitFor();
    await agent.showInbox('Awaiting reply');
    await agent.inbox().getByText('No customer is waiting for a reply.').waitFor();
  });
});
