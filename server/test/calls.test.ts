// Voice calls: who may call whom, one call per conversation, the first accept wins, signals go
// between the two devices in the call and nowhere else, and no call is left ringing or
// established once a party, the conversation or the time to answer is gone.
import { describe, expect, it, vi } from 'vitest';
import type { CallSignal, CallState } from '@callcenter/shared';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';

const RING_TIMEOUT_MS = 1_000;
const RECONNECT_GRACE_MS = 1_500;
const suite = useTestStack({
  config: { callRingTimeoutMs: RING_TIMEOUT_MS, callReconnectGraceMs: RECONNECT_GRACE_MS },
});

const offer: CallSignal = { kind: 'description', type: 'offer', sdp: 'v=0 offer' };
const answer: CallSignal = { kind: 'description', type: 'answer', sdp: 'v=0 answer' };

/** An agent in an active conversation with a customer; the customer on two devices. */
async function conversation(): Promise<{
  agent: TestClient;
  phone: TestClient;
  laptop: TestClient;
  conversationId: string;
}> {
  const { stack } = suite;
  const agent = await suite.loginNew('agent');
  const customerAccount = await stack.createCustomer();
  const phone = suite.track(await TestClient.login(stack, customerAccount));
  const laptop = suite.track(await TestClient.login(stack, customerAccount));
  await phone.requestOk('chat.request');
  const taken = await agent.requestOk('chat.start');
  const conversationId = taken.conversation.id;
  return { agent, phone, laptop, conversationId };
}

function callIn(client: TestClient, callId: string, state: CallState['state'], from = 0) {
  return client.waitFor(
    'call.state',
    (call) => call.callId === callId && call.state === state,
    from,
  );
}

describe('voice calls', () => {
  it('rings every device of the customer; the first accept wins; signals go between the two devices only', async () => {
    const { agent, phone, laptop, conversationId } = await conversation();
    const { call } = await agent.requestOk('call.start', { conversationId });
    expect(call).toMatchObject({
      conversationId,
      state: 'ringing',
      direction: 'agent_to_customer',
      from: { role: 'agent', id: agent.account?.id },
      answeredAt: null,
    });
    await Promise.all([
      callIn(phone, call.callId, 'ringing'),
      callIn(laptop, call.callId, 'ringing'),
    ]);

    // Both devices accept at once: exactly one gets the call.
    const answers = await Promise.all([
      phone.request('call.accept', { callId: call.callId }),
      laptop.request('call.accept', { callId: call.callId }),
    ]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok && a.error.code === 'already_claimed')).toHaveLength(1);
    const [inCall, other] = answers[0].ok ? [phone, laptop] : [laptop, phone];
    const established = await callIn(agent, call.callId, 'established');
    expect(established.answeredAt).not.toBeNull();
    await callIn(other, call.callId, 'established');

    // The agent's offer reaches the device that accepted, and only it; its answer comes back.
    const otherMark = other.mark();
    await agent.requestOk('call.signal', { callId: call.callId, signal: offer });
    expect(await inCall.waitFor('call.signal')).toEqual({ callId: call.callId, signal: offer });
    await inCall.requestOk('call.signal', { callId: call.callId, signal: answer });
    expect(await agent.waitFor('call.signal')).toEqual({ callId: call.callId, signal: answer });
    const refused = await other.request('call.signal', { callId: call.callId, signal: answer });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // Anyone else is told there is no such call, and their signal goes nowhere.
    const stranger = await suite.loginNew('agent');
    const strangerSignal = await stranger.request('call.signal', {
      callId: call.callId,
      signal: offer,
    });
    expect(strangerSignal).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(agent.received('call.signal')).toHaveLength(1);

    // The customer hangs up: every session of both parties hears it, with the reason.
    const { call: ended } = await inCall.requestOk('call.end', { callId: call.callId });
    expect(ended).toMatchObject({ state: 'ended', reason: 'hangup' });
    await Promise.all([agent, phone, laptop].map((c) => callIn(c, call.callId, 'ended')));
    expect(other.received('call.signal', otherMark)).toEqual([]);
  });

  it('a re-sync gives each party the call ringing or established in its conversation', async () => {
    const { agent, phone, conversationId } = await conversation();
    expect((await phone.requestOk('session.sync', {})).call).toBeNull();
    const { call } = await agent.requestOk('call.start', { conversationId });
    expect((await phone.requestOk('session.sync', {})).call).toMatchObject({
      callId: call.callId,
      state: 'ringing',
    });
    await phone.requestOk('call.accept', { callId: call.callId });
    expect((await agent.requestOk('session.sync', {})).call).toMatchObject({
      callId: call.callId,
      state: 'established',
    });
    await agent.requestOk('call.end', { callId: call.callId });
    expect((await agent.requestOk('session.sync', {})).call).toBeNull();
  });

  it('only the parties of an active conversation may call, and a caller cannot answer itself', async () => {
    const { agent, phone, conversationId } = await conversation();
    const stranger = await suite.loginNew('customer');
    expect(await stranger.request('call.start', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await agent.request('call.start', { conversationId: 'no-such-chat' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const { call } = await phone.requestOk('call.start', { conversationId });
    expect(call.direction).toBe('customer_to_agent');
    expect(await phone.request('call.accept', { callId: call.callId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // Pressing Call again gives the same call back, not a second one.
    expect((await phone.requestOk('call.start', { conversationId })).call.callId).toBe(call.callId);
    // Signals wait for the call to connect.
    expect(
      await phone.request('call.signal', { callId: call.callId, signal: offer }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('both pressing Call at once gives one call, established', async () => {
    const { agent, phone, conversationId } = await conversation();
    const [fromAgent, fromCustomer] = await Promise.all([
      agent.requestOk('call.start', { conversationId }),
      phone.requestOk('call.start', { conversationId }),
    ]);
    expect(fromAgent.call.callId).toBe(fromCustomer.call.callId);
    const states = [fromAgent.call.state, fromCustomer.call.state].sort();
    expect(states).toEqual(['established', 'ringing']);
    await callIn(agent, fromAgent.call.callId, 'established');
  });

  it('ends as declined, as missed when nobody answers, and with the conversation', async () => {
    const { agent, phone, conversationId } = await conversation();
    const first = (await agent.requestOk('call.start', { conversationId })).call;
    const declined = await phone.requestOk('call.decline', { callId: first.callId });
    expect(declined.call).toMatchObject({ state: 'ended', reason: 'declined' });
    await callIn(agent, first.callId, 'ended');

    const second = (await phone.requestOk('call.start', { conversationId })).call;
    const missed = await callIn(agent, second.callId, 'ended', 0);
    expect(missed.reason).toBe('missed');
    expect(Date.parse(missed.endedAt ?? '') - Date.parse(missed.startedAt)).toBeGreaterThanOrEqual(
      RING_TIMEOUT_MS,
    );

    const third = (await agent.requestOk('call.start', { conversationId })).call;
    await phone.requestOk('call.accept', { callId: third.callId });
    await phone.requestOk('chat.end');
    const ended = await callIn(agent, third.callId, 'ended');
    expect(ended.reason).toBe('conversation_ended');
    expect(await agent.request('call.start', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'not_in_chat' },
    });
  });

  it('waits for a device that went away, then ends the call for the other party', async () => {
    const { agent, phone, conversationId } = await conversation();
    const { call } = await agent.requestOk('call.start', { conversationId });
    await phone.requestOk('call.accept', { callId: call.callId });
    const closedAt = Date.now();
    phone.close();
    const ended = await callIn(agent, call.callId, 'ended');
    expect(ended.reason).toBe('disconnected');
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(RECONNECT_GRACE_MS);
    const redis = suite.stack.server.redis;
    expect(await redis.keys('cc:callsock:*')).toEqual([]);
    expect(await redis.keys('cc:callsess:*')).toEqual([]);
    expect(await redis.zcard('cc:calls:gone')).toBe(0);
    expect(await redis.hget(`cc:conv:${conversationId}`, 'callId')).toBeNull();
  });

  it('keeps the call for a device that comes back in time: its new connection gets the signals', async () => {
    const { agent, phone, conversationId } = await conversation();
    const { call } = await agent.requestOk('call.start', { conversationId });
    await phone.requestOk('call.accept', { callId: call.callId });
    phone.close();
    // The same login session connects again (a phone that changed networks).
    const back = suite.track(await TestClient.connect(suite.stack.url, phone.token, phone.account));
    expect((await back.requestOk('session.sync', {})).call?.state).toBe('established');
    const restart: CallSignal = { kind: 'description', type: 'offer', sdp: 'v=0 restart' };
    await vi.waitFor(async () => {
      await agent.requestOk('call.signal', { callId: call.callId, signal: restart });
      expect(back.received('call.signal').length).toBeGreaterThan(0);
    });
    await back.requestOk('call.signal', { callId: call.callId, signal: answer });
    await agent.waitFor('call.signal', (push) => push.signal.kind === 'description');

    // The call no longer waits for the old connection: the new one is its device.
    const redis = suite.stack.server.redis;
    expect(await redis.zcard('cc:calls:gone')).toBe(0);
    expect(await redis.get(`cc:callsock:${back.socket.id ?? ''}`)).toBe(call.callId);
    expect(agent.received('call.state').filter((c) => c.state === 'ended')).toEqual([]);
    // Then the device leaves for good.
    back.close();
    expect((await callIn(agent, call.callId, 'ended')).reason).toBe('disconnected');
  });
  it("records each call's events in the conversation's history, delivered and replayed like messages", async () => {
    const { agent, phone, conversationId } = await conversation();
    const mark = phone.mark();
    const callEvents = (client: TestClient, callId: string) =>
      client
        .received('message.new', mark)
        .filter((message) => message.call?.callId === callId)
        .map((message) => message.call?.event);

    // Answered, then hung up: started, answered, ended with its length and reason.
    const { call } = await phone.requestOk('call.start', { conversationId });
    await agent.requestOk('call.accept', { callId: call.callId });
    await agent.requestOk('call.end', { callId: call.callId });
    const ended = await agent.waitFor(
      'message.new',
      (message) => message.call?.callId === call.callId && message.call.event === 'ended',
    );
    expect(ended).toMatchObject({
      conversationId,
      customerId: phone.account?.id,
      sender: { role: 'customer', id: phone.account?.id },
      call: { event: 'ended', direction: 'customer_to_agent', reason: 'hangup' },
    });
    expect(ended.call?.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(ended.text).toMatch(/^Voice call ended after \d+:\d\d \(hung up\)$/);
    await phone.waitFor('message.new', (message) => message.id === ended.id, mark);
    expect(callEvents(phone, call.callId)).toEqual(['started', 'answered', 'ended']);

    // Declined: no length.
    const { call: declined } = await agent.requestOk('call.start', { conversationId });
    await phone.requestOk('call.decline', { callId: declined.callId });
    const declinedEnd = await phone.waitFor(
      'message.new',
      (message) => message.call?.callId === declined.callId && message.call.event === 'ended',
      mark,
    );
    expect(declinedEnd.call).toMatchObject({ reason: 'declined', durationSeconds: null });
    expect(declinedEnd.text).toBe('Voice call declined');

    // Missed: the sweeper's end is recorded too, once.
    const { call: missed } = await agent.requestOk('call.start', { conversationId });
    await callIn(agent, missed.callId, 'ended');
    const missedEnd = await phone.waitFor(
      'message.new',
      (message) => message.call?.callId === missed.callId && message.call.event === 'ended',
      mark,
    );
    expect(missedEnd.call).toMatchObject({ reason: 'missed', durationSeconds: null });

    // A re-sync replays them in order with the messages, for both parties.
    const customerSync = await phone.requestOk('session.sync', {});
    const replayed = customerSync.messages.filter((m) => m.call !== undefined);
    expect(replayed.map((m) => [m.call?.callId, m.call?.event])).toEqual([
      [call.callId, 'started'],
      [call.callId, 'answered'],
      [call.callId, 'ended'],
      [declined.callId, 'started'],
      [declined.callId, 'ended'],
      [missed.callId, 'started'],
      [missed.callId, 'ended'],
    ]);
    const agentSync = await agent.requestOk('session.sync', { since: 0 });
    const agentReplayed = agentSync.messages.filter((m) => m.conversationId === conversationId);
    expect(agentReplayed.map((m) => m.id)).toEqual(replayed.map((m) => m.id));
  });
});
