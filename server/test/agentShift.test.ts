// Issue 14, points 1-3: an agent's availability, its capacity (checked inside the take's Lua
// script) and transfers (atomic like a take), against the real server, Redis and storage.
import { Emitter } from '@socket.io/redis-emitter';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import type { AgentState, ErrorCode } from '@callcenter/shared';
import { asAgentSync, TestClient, useTestStack } from '@callcenter/devstack/testing';
import { AccountAdmin } from '../src/admin/accountAdmin';
import { AGENT_CHANGED, SOCKET_IO_KEY } from '../src/socket/channels';
import { AccountsRepository } from '../src/store/accounts';

const suite = useTestStack();
const RACE_ROUNDS = 20;

async function agentWithCapacity(capacity: number, name?: string): Promise<TestClient> {
  const stack = suite.stack;
  const account = await stack.createAgent(name);
  await stack.server.mongo.collections.agents.updateOne(
    { _id: account.id },
    { $set: { capacity } },
  );
  const client = suite.track(await TestClient.login(stack, account));
  // The sync brings the live state in line with the account.
  const synced = asAgentSync(await client.requestOk('session.sync', {}));
  expect(synced.state.capacity).toBe(capacity);
  return client;
}

async function queuedCustomers(count: number): Promise<TestClient[]> {
  const customers: TestClient[] = [];
  for (let i = 0; i < count; i += 1) {
    const customer = await suite.loginNew('customer');
    await customer.requestOk('chat.request');
    customers.push(customer);
  }
  return customers;
}

function codeOf(answer: { ok: boolean; error?: { code: ErrorCode } }): ErrorCode | 'ok' {
  return answer.ok ? 'ok' : answer.error!.code;
}

async function stateOf(agent: TestClient): Promise<AgentState> {
  return asAgentSync(await agent.requestOk('session.sync', {})).state;
}

describe('availability', () => {
  it('an away agent takes nothing new, keeps its chats, and every session and colleague sees it', async () => {
    const stack = suite.stack;
    const agent = await suite.loginNew('agent');
    const secondDevice = suite.track(await TestClient.login(stack, agent.account!));
    const colleague = await suite.loginNew('agent');
    const [first, second] = await queuedCustomers(2);
    const held = await agent.requestOk('chat.start');
    expect(held.customer.id).toBe(first!.account!.id);

    const teamMark = colleague.mark();
    const away = await agent.requestOk('agent.status', { status: 'away' });
    expect(away.state.status).toBe('away');
    await secondDevice.waitFor('agent.state', (s) => s.status === 'away');
    const team = await colleague.waitFor(
      'team.snapshot',
      (t) => t.agents.some((a) => a.id === agent.account!.id && a.status === 'away'),
      teamMark,
    );
    expect(team.agents.find((a) => a.id === agent.account!.id)).toMatchObject({
      online: true,
      active: 1,
      capacity: 1,
    });

    // Its running chat goes on; nothing new comes in.
    await agent.requestOk('message.send', {
      customerId: first!.account!.id,
      clientMsgId: 'still-here',
      text: 'Still with you',
    });
    await agent.requestOk('chat.end', { conversationId: held.conversation.id });
    expect(codeOf(await agent.request('chat.start'))).toBe('agent_away');
    const top = asAgentSync(await agent.requestOk('session.sync', {})).queue.entries[0]!;
    expect(codeOf(await agent.request('chat.take', { requestId: top.requestId }))).toBe(
      'agent_away',
    );
    const refused = await agent.request('message.send', {
      customerId: second!.account!.id,
      clientMsgId: 'not-while-away',
      text: 'Hello',
    });
    expect(codeOf(refused)).toBe('agent_away');
    expect(await second!.requestOk('session.sync', {})).toMatchObject({
      state: { state: 'requestSent' },
    });

    // Kept across a new login, then Available takes again.
    agent.close();
    secondDevice.close();
    const again = suite.track(await TestClient.login(stack, agent.account!));
    expect((await stateOf(again)).status).toBe('away');
    await again.requestOk('agent.status', { status: 'available' });
    const taken = await again.requestOk('chat.start');
    expect(taken.customer.id).toBe(second!.account!.id);
  });

  it('refuses a status that is not available or away', async () => {
    const agent = await suite.loginNew('agent');
    const answer = await agent.requestRaw('agent.status', { status: 'offline' });
    expect(codeOf(answer as never)).toBe('invalid_payload');
    expect((await stateOf(agent)).status).toBe('available');
  });
});

describe('capacity', () => {
  it('an agent holds up to its capacity, then gets agent_busy until one ends', async () => {
    const agent = await agentWithCapacity(2);
    await queuedCustomers(3);
    const one = await agent.requestOk('chat.start');
    const two = await agent.requestOk('chat.start');
    expect(two.state.conversations.map((c) => c.conversationId)).toEqual([
      one.conversation.id,
      two.conversation.id,
    ]);
    expect(two.state).toMatchObject({
      state: 'inConversation',
      conversationId: two.conversation.id,
    });
    expect(codeOf(await agent.request('chat.start'))).toBe('agent_busy');

    const ended = await agent.requestOk('chat.end', { conversationId: one.conversation.id });
    // Still in the other conversation: the requirements' state follows the newest one held.
    expect(ended.state).toMatchObject({
      state: 'inConversation',
      conversationId: two.conversation.id,
    });
    expect((ended.state as AgentState).conversations).toHaveLength(1);
    const three = await agent.requestOk('chat.start');
    expect(three.state.conversations).toHaveLength(2);
  });

  it("an admin's change of capacity reaches the agent's running session and the team at once", async () => {
    const stack = suite.stack;
    const agent = await suite.loginNew('agent');
    const colleague = await suite.loginNew('agent');
    await agent.requestOk('session.sync', {});
    const [agentMark, teamMark] = [agent.mark(), colleague.mark()];
    // The admin tool's way to the nodes: an emitter on their Redis (see admin/cli.ts).
    const adminRedis = new Redis(stack.redis.url);
    try {
      const emitter = new Emitter(adminRedis, { key: SOCKET_IO_KEY });
      const admin = new AccountAdmin(new AccountsRepository(stack.server.mongo.collections), {
        revokeSessions: () => Promise.resolve(),
        customerChanged: () => Promise.resolve(),
        agentChanged: (agentId) => {
          emitter.serverSideEmit(AGENT_CHANGED, agentId);
          return Promise.resolve();
        },
      });
      await expect(admin.update('agent', agent.account!.login, { capacity: 0 })).rejects.toThrow(
        /capacity must be at least 1/,
      );
      await expect(admin.update('agent', agent.account!.login, { capacity: 11 })).rejects.toThrow(
        /capacity is at most 10/,
      );
      await admin.update('agent', agent.account!.login, { capacity: 3 });
      await agent.waitFor('agent.state', (s) => s.capacity === 3, agentMark);
      await colleague.waitFor(
        'team.snapshot',
        (t) => t.agents.some((a) => a.id === agent.account!.id && a.capacity === 3),
        teamMark,
      );
    } finally {
      adminRedis.disconnect();
    }
  });

  it('an agent with two chats takes one call at a time', async () => {
    const agent = await agentWithCapacity(2);
    const [first, second] = await queuedCustomers(2);
    const one = await agent.requestOk('chat.start');
    const two = await agent.requestOk('chat.start');
    const ringing = await first!.requestOk('call.start', { conversationId: one.conversation.id });
    const refused = await second!.request('call.start', { conversationId: two.conversation.id });
    expect(codeOf(refused)).toBe('agent_busy');
    expect(codeOf(await agent.request('call.start', { conversationId: two.conversation.id }))).toBe(
      'agent_busy',
    );
    // The agent's re-sync finds the call, whichever conversation it is in.
    const synced = asAgentSync(await agent.requestOk('session.sync', {}));
    expect(synced.call?.callId).toBe(ringing.call.callId);
    await first!.requestOk('call.end', { callId: ringing.call.callId });
    await second!.requestOk('call.start', { conversationId: two.conversation.id });
  });

  it('capacity 1 keeps one conversation at a time (R9 as before)', async () => {
    const agent = await suite.loginNew('agent');
    const [, second] = await queuedCustomers(2);
    await agent.requestOk('chat.start');
    const refused = await agent.request('message.send', {
      customerId: second!.account!.id,
      clientMsgId: 'second-customer',
      text: 'Hi',
    });
    expect(codeOf(refused)).toBe('agent_busy');
  });

  it(`an agent with capacity 2 racing for 5 customers gets exactly 2, ${RACE_ROUNDS} rounds`, async () => {
    const stack = suite.stack;
    const agent = await agentWithCapacity(2);
    // Its second device races too: the capacity is the agent's, not a session's.
    const otherDevice = suite.track(await TestClient.login(stack, agent.account!));
    const customers = await queuedCustomers(5);
    // The customers' own answers give the requests (the agent's re-sync is a heavy event: 40 of
    // them in 20 rounds would eat the agent's rate budget).
    const requestIds = new Map<string, string>();
    for (const customer of customers) {
      const synced = await customer.requestOk('session.sync', {});
      const requestId = 'requestId' in synced.state ? synced.state.requestId : null;
      requestIds.set(customer.account!.id, requestId!);
    }
    for (let round = 0; round < RACE_ROUNDS; round += 1) {
      expect(await stack.server.redis.zcard('cc:queue')).toBe(5);
      const answers = await Promise.all([
        ...[...requestIds.values()].map((requestId, i) =>
          (i % 2 === 0 ? agent : otherDevice).request('chat.take', { requestId }),
        ),
        agent.request('chat.start'),
        otherDevice.request('chat.start'),
      ]);
      const codes = answers.map(codeOf);
      expect(codes.filter((c) => c === 'ok')).toHaveLength(2);
      expect(
        codes.filter((c) => c !== 'ok' && c !== 'agent_busy' && c !== 'already_claimed'),
      ).toEqual([]);
      const won = answers.flatMap((a) => (a.ok && 'customer' in a ? [a.customer.id] : []));
      expect(new Set(won).size).toBe(2);
      expect(await stack.server.redis.zcard('cc:queue')).toBe(3);
      expect(await stack.server.redis.zcard(`cc:agentconvs:${agent.account!.id}`)).toBe(2);
      // Put the two back in the queue for the next round.
      for (const customerId of won) {
        const customer = customers.find((c) => c.account!.id === customerId)!;
        await customer.requestOk('chat.end');
        const again = await customer.requestOk('chat.request');
        const requestId = 'requestId' in again.state ? again.state.requestId : null;
        requestIds.set(customerId, requestId!);
      }
    }
  });
});

describe('transfer', () => {
  it('to a colleague: the transcript, the customer and the record go with it', async () => {
    const stack = suite.stack;
    const from = await suite.loginNew('agent');
    const to = await suite.loginNew('agent');
    const [customer] = await queuedCustomers(1);
    await customer!.requestOk('message.send', { clientMsgId: 'help', text: 'My order is late' });
    const taken = await from.requestOk('chat.start');
    const conversationId = taken.conversation.id;

    const toMark = to.mark();
    const customerMark = customer!.mark();
    const answer = await from.requestOk('chat.transfer', {
      conversationId,
      toAgentId: to.account!.id,
    });
    expect(answer.state).toMatchObject({ state: 'monitoring', conversationId: null });
    expect(answer.state.conversations).toEqual([]);

    const received = await to.waitFor(
      'agent.state',
      (s) => s.conversations.some((c) => c.conversationId === conversationId),
      toMark,
    );
    expect(received).toMatchObject({ state: 'inConversation', conversationId });
    expect(received.conversations[0]!.transferredFrom).toEqual({
      id: from.account!.id,
      displayName: from.account!.displayName,
    });
    const customerState = await customer!.waitFor(
      'customer.state',
      (s) => s.agent?.id === to.account!.id,
      customerMark,
    );
    expect(customerState).toMatchObject({ state: 'inConversation', conversationId });
    const notice = await customer!.waitFor(
      'message.new',
      (m) => m.notice !== undefined,
      customerMark,
    );
    expect(notice).toMatchObject({
      conversationId,
      notice: {
        kind: 'transferred',
        from: { id: from.account!.id },
        to: { id: to.account!.id, displayName: to.account!.displayName },
      },
    });

    // The new agent writes; the old one no longer may.
    await to.requestOk('message.send', {
      customerId: customer!.account!.id,
      clientMsgId: 'hello-from-new',
      text: 'I am taking over',
    });
    const old = await from.request('message.send', {
      customerId: customer!.account!.id,
      clientMsgId: 'too-late',
      text: 'Me again',
    });
    expect(codeOf(old)).toBe('assigned_to_other');

    // The stored record shows who had it when.
    await vi.waitFor(async () => {
      const doc = await stack.server.mongo.collections.conversations.findOne({
        _id: conversationId,
      });
      expect(doc).toMatchObject({
        agentId: to.account!.id,
        handovers: [{ from: from.account!.id, to: to.account!.id }],
      });
    });
  });

  it('back to the queue: at its front, with the original request time, then taken with its history', async () => {
    const stack = suite.stack;
    const agent = await suite.loginNew('agent');
    const [first, waiting] = await queuedCustomers(2);
    const requestedAt = asAgentSync(await agent.requestOk('session.sync', {})).queue.entries[0]!
      .requestedAt;
    await first!.requestOk('message.send', { clientMsgId: 'q1', text: 'Can someone help?' });
    const taken = await agent.requestOk('chat.start');
    expect(taken.customer.id).toBe(first!.account!.id);

    const mark = first!.mark();
    await agent.requestOk('chat.transfer', { conversationId: taken.conversation.id });
    const back = await first!.waitFor('customer.state', (s) => s.state === 'requestSent', mark);
    expect(back).toMatchObject({ position: 1, conversationId: taken.conversation.id, agent: null });
    const queue = asAgentSync(await agent.requestOk('session.sync', {})).queue;
    expect(queue.entries.map((e) => e.customerId)).toEqual([
      first!.account!.id,
      waiting!.account!.id,
    ]);
    expect(queue.entries[0]!.requestedAt).toBe(requestedAt);

    const colleague = await suite.loginNew('agent');
    const again = await colleague.requestOk('chat.start');
    expect(again.conversation.id).toBe(taken.conversation.id);
    expect(again.messages.map((m) => m.text)).toContain('Can someone help?');
    expect(again.messages.some((m) => m.notice?.kind === 'transferred')).toBe(true);
    await vi.waitFor(async () => {
      const doc = await stack.server.mongo.collections.conversations.findOne({
        _id: taken.conversation.id,
      });
      expect(doc).toMatchObject({ status: 'active', agentId: colleague.account!.id });
      // Both hand-overs, each with its time (they are written independently).
      expect(doc?.handovers).toHaveLength(2);
      expect(doc?.handovers).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ from: agent.account!.id, to: null }),
          expect.objectContaining({ from: null, to: colleague.account!.id }),
        ]),
      );
    });
  });

  it('is refused to an away, offline or full colleague, to a stranger, and by a non-owner', async () => {
    const stack = suite.stack;
    const owner = await suite.loginNew('agent');
    const away = await suite.loginNew('agent');
    await away.requestOk('agent.status', { status: 'away' });
    const full = await suite.loginNew('agent');
    const offline = await stack.createAgent('Offline Olga');
    const [customer, other] = await queuedCustomers(2);
    const taken = await owner.requestOk('chat.start');
    await full.requestOk('chat.start');
    const conversationId = taken.conversation.id;
    const attempt = (by: TestClient, toAgentId?: string) =>
      by.request(
        'chat.transfer',
        toAgentId === undefined ? { conversationId } : { conversationId, toAgentId },
      );

    expect(codeOf(await attempt(owner, away.account!.id))).toBe('agent_away');
    expect(codeOf(await attempt(owner, offline.id))).toBe('agent_away');
    expect(codeOf(await attempt(owner, full.account!.id))).toBe('agent_busy');
    expect(codeOf(await attempt(owner, 'no-such-agent'))).toBe('not_found');
    expect(codeOf(await attempt(owner, owner.account!.id))).toBe('invalid_payload');
    expect(codeOf(await attempt(full, owner.account!.id))).toBe('forbidden');
    // Nothing moved.
    expect((await stateOf(owner)).conversations.map((c) => c.conversationId)).toEqual([
      conversationId,
    ]);
    expect(await customer!.requestOk('session.sync', {})).toMatchObject({
      state: { state: 'inConversation', agent: { id: owner.account!.id } },
    });
    expect(other).toBeDefined();
  });
});

describe(`transfer races, ${RACE_ROUNDS} rounds each`, () => {
  it('two transfers of one conversation, and a transfer racing End Chat, give exactly one outcome', async () => {
    const owner = await suite.loginNew('agent');
    const b = await suite.loginNew('agent');
    const c = await suite.loginNew('agent');
    const [customer] = await queuedCustomers(1);
    for (let round = 0; round < RACE_ROUNDS; round += 1) {
      const taken = await owner.requestOk('chat.start');
      const conversationId = taken.conversation.id;
      const racers = [
        owner.request('chat.transfer', { conversationId, toAgentId: b.account!.id }),
        owner.request('chat.transfer', { conversationId, toAgentId: c.account!.id }),
        round % 2 === 0
          ? owner.request('chat.end', { conversationId })
          : owner.request('chat.transfer', { conversationId }),
      ];
      const customerEnd = round % 4 === 1 ? customer!.request('chat.end') : null;
      const codes = (await Promise.all(racers)).map(codeOf);
      await customerEnd;
      // chat.end of an ended conversation is a no-op (ok), so count the transfers that won.
      const transfersWon =
        codes.slice(0, 2).filter((code) => code === 'ok').length +
        (round % 2 === 1 && codes[2] === 'ok' ? 1 : 0);
      expect(transfersWon).toBeLessThanOrEqual(1);

      const [stateB, stateC, stateOwner] = await Promise.all([
        stateOf(b),
        stateOf(c),
        stateOf(owner),
      ]);
      const holders = [stateB, stateC, stateOwner].filter((s) =>
        s.conversations.some((h) => h.conversationId === conversationId),
      );
      const customerState = (await customer!.requestOk('session.sync', {})).state;
      if (holders.length === 1) {
        expect(customerState).toMatchObject({ state: 'inConversation', conversationId });
        expect(transfersWon).toBe(1);
      } else {
        expect(holders).toHaveLength(0);
        // Ended, or back in the queue: never both, never with an agent.
        expect(['conversationEnded', 'requestSent', 'notConnected']).toContain(customerState.state);
      }
      // Clean up for the next round: everyone free, the customer queued again.
      await customer!.requestOk('chat.end');
      for (const agent of [owner, b, c]) {
        for (const held of (await stateOf(agent)).conversations) {
          await agent.requestOk('chat.end', { conversationId: held.conversationId });
        }
      }
      await customer!.requestOk('chat.end');
      await customer!.requestOk('chat.request');
    }
  });

  it('a transfer to a colleague who just went away either lands before or is refused', async () => {
    const owner = await suite.loginNew('agent');
    const colleague = await suite.loginNew('agent');
    const [customer] = await queuedCustomers(1);
    for (let round = 0; round < RACE_ROUNDS; round += 1) {
      await colleague.requestOk('agent.status', { status: 'available' });
      const taken = await owner.requestOk('chat.start');
      const conversationId = taken.conversation.id;
      const [transfer] = await Promise.all([
        owner.request('chat.transfer', { conversationId, toAgentId: colleague.account!.id }),
        colleague.request('agent.status', { status: 'away' }),
      ]);
      const code = codeOf(transfer);
      expect(['ok', 'agent_away']).toContain(code);
      const holder = code === 'ok' ? colleague : owner;
      const held = await stateOf(holder);
      expect(held.conversations.map((h) => h.conversationId)).toEqual([conversationId]);
      expect((await customer!.requestOk('session.sync', {})).state).toMatchObject({
        state: 'inConversation',
        agent: { id: holder.account!.id },
      });
      await holder.requestOk('chat.end', { conversationId });
      await customer!.requestOk('chat.request');
    }
  });
});
