// A call's audio between two Chromium pages, each running the client core's CallAudio as the
// apps do, with a fake microphone playing a tone: both reach established, audio flows both
// ways (bytes and level rising on each side), Mute silences one side, and hanging up ends it
// for the other. Media goes through a private coturn with the server's credentials.
import { describe, expect, it } from 'vitest';
import { TestClient } from '@callcenter/devstack/testing';
import { useRelayedCalls } from '../../support/relayedCalls';
import { useCallParties } from './callParties';

const relay = useRelayedCalls();
const { suite } = relay;
const { party, audio, hears } = useCallParties(relay);

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
