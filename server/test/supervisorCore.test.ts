// Supervisors (issue 15): a role of its own that only watches and acts on conversations.
// Agents and customers are refused every supervisor event and API; supervisors every chat
// party's event. The wallboard's numbers follow what the test does; watching is read-only
// and live; ending and transferring are the agent's own actions, decided once, and audited.
import { describe, expect, it } from 'vitest';
import type { WallboardSnapshot } from '@callcenter/shared';
import { useTestStack, type TestClient } from '@callcenter/devstack/testing';

// The suite's own node samples the charts once an hour: only the nodes a test adds sample.
const suite = useTestStack({
  config: { wallboard: { timeZone: 'UTC', sampleSeconds: 3600, historyHours: 1 } },
});

const SUPERVISOR_EVENTS: [string, object][] = [
  ['wallboard.sync', {}],
  ['supervisor.watch', { conversationId: 'c1' }],
  ['supervisor.unwatch', { conversationId: 'c1' }],
  ['supervisor.end', { conversationId: 'c1' }],
  ['supervisor.transfer', { conversationId: 'c1' }],
];

/** The first wallboard push that satisfies `check`; on a timeout, says what the last one showed. */
async function wallboardWhere(
  supervisor: TestClient,
  check: (snapshot: WallboardSnapshot) => boolean,
): Promise<WallboardSnapshot> {
  try {
    return await supervisor.waitFor('wallboard.snapshot', check);
  } catch (error) {
    const last = supervisor.received('wallboard.snapshot').at(-1);
    throw new Error(`${String(error)}; the last wallboard: ${JSON.stringify(last)}`, {
      cause: error,
    });
  }
}

async function chatting(supervisorView?: TestClient) {
  const agent = await suite.loginNew('agent');
  const customer = await suite.loginNew('customer', 'gold');
  await customer.requestOk('chat.request');
  const taken = await agent.requestOk('chat.start');
  if (supervisorView) {
    await wallboardWhere(supervisorView, (s) =>
      s.agents.some((a) => a.conversations.some((c) => c.conversationId === taken.conversation.id)),
    );
  }
  return { agent, customer, conversationId: taken.conversation.id };
}

describe('the supervisor role', () => {
  it('refuses agents and customers every supervisor event, and supervisors every party event', async () => {
    const agent = await suite.loginNew('agent');
    const customer = await suite.loginNew('customer');
    const supervisor = await suite.loginNew('supervisor');
    for (const client of [agent, customer]) {
      for (const [event, payload] of SUPERVISOR_EVENTS) {
        const answer = await client.request(event as never, payload as never);
        expect(answer, `${event} by a party`).toMatchObject({
          ok: false,
          error: { code: 'forbidden' },
        });
      }
    }
    for (const [event, payload] of [
      ['chat.start', {}],
      ['chat.request', {}],
      ['message.send', { clientMsgId: 'm1', text: 'hi' }],
      ['session.sync', {}],
      ['canned.list', {}],
      ['agent.status', { status: 'away' }],
    ] as const) {
      const answer = await supervisor.request(event, payload);
      expect(answer, `${event} by a supervisor`).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
  });

  it('answers /api/supervisor/me only to supervisors', async () => {
    const { stack } = suite;
    const supervisorAccount = await stack.createSupervisor({ admin: true });
    const agentAccount = await stack.createAgent();
    const me = (token: string | null) =>
      fetch(`${stack.url}/api/supervisor/me`, {
        headers: token === null ? {} : { authorization: `Bearer ${token}` },
      });
    expect((await me(null)).status).toBe(401);
    expect((await me('not-a-token')).status).toBe(401);
    const agentAnswer = await me((await stack.login(agentAccount)).token);
    expect(agentAnswer.status).toBe(403);
    expect(await agentAnswer.json()).toMatchObject({ error: { code: 'forbidden' } });
    const answer = await me((await stack.login(supervisorAccount)).token);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      user: { role: 'supervisor', id: supervisorAccount.id, profile: { admin: true } },
    });
  });
});

describe('the wallboard', () => {
  it('counts the queue by tier, the agents, answers and ends as the test makes them', async () => {
    const supervisor = await suite.loginNew('supervisor');
    const first = await supervisor.requestOk('wallboard.sync', {});
    expect(first.snapshot.tiers.gold).toMatchObject({ waiting: 0, answered: 0 });
    const agent = await suite.loginNew('agent');
    const customers = await Promise.all([
      suite.loginNew('customer', 'gold'),
      suite.loginNew('customer', 'gold'),
      suite.loginNew('customer', 'platinum'),
    ]);
    for (const customer of customers) await customer.requestOk('chat.request');
    const queued = await wallboardWhere(
      supervisor,
      (s) => s.tiers.gold.waiting === 2 && s.tiers.platinum.waiting === 1,
    );
    expect(queued.tiers.standard.waiting).toBe(0);
    expect(Date.parse(queued.tiers.gold.oldestRequestedAt ?? '')).toBeLessThanOrEqual(Date.now());
    expect(queued.agents.find((a) => a.id === agent.account!.id)).toMatchObject({
      online: true,
      status: 'available',
      conversations: [],
    });

    // The queue is first come, first served (R2): the first gold customer; within its 60 s.
    const taken = await agent.requestOk('chat.start');
    expect(taken.customer.id).toBe(customers[0].account!.id);
    const after = await wallboardWhere(supervisor, (s) => s.tiers.gold.answered === 1);
    expect(after.tiers.gold).toMatchObject({ waiting: 1, answered: 1, answeredWithinTarget: 1 });
    expect(after.tiers.platinum).toMatchObject({ waiting: 1, answered: 0 });
    expect(after.agents.find((a) => a.id === agent.account!.id)?.conversations).toEqual([
      expect.objectContaining({ conversationId: taken.conversation.id }),
    ]);

    await agent.requestOk('chat.end', { conversationId: taken.conversation.id });
    const ended = await wallboardWhere(supervisor, (s) => s.today.handled === 1);
    expect(ended.today.averageHandleSeconds).not.toBeNull();
    expect(ended.agents.find((a) => a.id === agent.account!.id)).toMatchObject({
      handledToday: 1,
      conversations: [],
    });
  });

  it("shows customers' ratings per agent and overall as they come", async () => {
    const supervisor = await suite.loginNew('supervisor');
    await supervisor.requestOk('wallboard.sync', {});
    const rated = [];
    for (const score of [5, 2]) {
      const { agent, customer, conversationId } = await chatting();
      await agent.requestOk('chat.end', { conversationId });
      await customer.requestOk('chat.rate', { conversationId, score });
      rated.push(agent.account!.id);
    }
    const shown = await wallboardWhere(supervisor, (s) => s.ratings.overall.count === 2);
    expect(shown.ratings.overall.average).toBe(3.5);
    expect(shown.ratings.byAgent[rated[0]!]).toEqual({ count: 1, average: 5 });
    expect(shown.ratings.byAgent[rated[1]!]).toEqual({ count: 1, average: 2 });
  });

  it('gives one picture from several nodes', async () => {
    const { stack } = suite;
    const second = await stack.addNode();
    const supervisorAccount = await stack.createSupervisor();
    const { TestClient } = await import('@callcenter/devstack/testing');
    const supervisor = suite.track(await TestClient.login(stack, supervisorAccount, second.url));
    await supervisor.requestOk('wallboard.sync', {});
    const customer = await suite.loginNew('customer', 'platinum');
    await customer.requestOk('chat.request');
    await wallboardWhere(supervisor, (s) => s.tiers.platinum.waiting === 1);
  });
});

describe("the charts' history", () => {
  it('is sampled by one node per interval and survives a restart of the nodes', async () => {
    const { stack } = suite;
    const config = { wallboard: { timeZone: 'UTC', sampleSeconds: 1, historyHours: 1 } };
    const first = await stack.addNode(config);
    const second = await stack.addNode(config);
    const customer = await suite.loginNew('customer', 'gold');
    await customer.requestOk('chat.request');
    const { TestClient } = await import('@callcenter/devstack/testing');
    const supervisor = suite.track(
      await TestClient.login(stack, await stack.createSupervisor(), first.url),
    );
    const sample = await supervisor.waitFor('wallboard.sample', (s) => s.waiting.gold === 1);
    // Two nodes sampling every second: one sample per second, not two.
    const sync = await supervisor.requestOk('wallboard.sync', {});
    const seconds = sync.history.samples.map((s) => Math.floor(Date.parse(s.at) / 1000));
    expect(new Set(seconds).size).toBe(seconds.length);
    supervisor.close();
    await Promise.all([first.stop(), second.stop()]);
    const again = await stack.addNode(config);
    const later = suite.track(
      await TestClient.login(stack, await stack.createSupervisor(), again.url),
    );
    const kept = await later.requestOk('wallboard.sync', {});
    expect(kept.history.samples.map((s) => s.at)).toContain(sample.at);
  });
});

describe('watching a conversation', () => {
  it('shows its history and then its new messages, read-only', async () => {
    const supervisor = await suite.loginNew('supervisor');
    await supervisor.requestOk('wallboard.sync', {});
    const { agent, customer, conversationId } = await chatting(supervisor);
    await customer.requestOk('message.send', { clientMsgId: 'before', text: 'Before watching' });
    const watched = await supervisor.requestOk('supervisor.watch', { conversationId });
    expect(watched.view).toMatchObject({ conversationId, status: 'active' });
    expect(watched.messages.map((m) => m.text)).toContain('Before watching');
    await agent.requestOk('message.send', {
      customerId: customer.account!.id,
      clientMsgId: 'after',
      text: 'After watching',
    });
    await supervisor.waitFor('message.new', (m) => m.text === 'After watching');
    // Read-only: a supervisor cannot write into it.
    const write = await supervisor.request('message.send', {
      customerId: customer.account!.id,
      clientMsgId: 'x',
      text: 'hi',
    });
    expect(write).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await supervisor.requestOk('supervisor.unwatch', { conversationId });
  });

  it('ends it for both sides, once, with a notice and an audit entry', async () => {
    const supervisor = await suite.loginNew('supervisor');
    await supervisor.requestOk('wallboard.sync', {});
    const { agent, customer, conversationId } = await chatting(supervisor);
    const [mine, theirs] = await Promise.all([
      supervisor.request('supervisor.end', { conversationId }),
      agent.request('chat.end', { conversationId }),
    ]);
    // The agent's own End Chat of an ended one is a no-op; the supervisor's loses with not_in_chat.
    expect(theirs.ok).toBe(true);
    if (!mine.ok) expect(mine.error.code).toBe('not_in_chat');
    await customer.waitFor('customer.state', (s) => s.state === 'conversationEnded');
    const record = suite.stack.server.mongo.collections;
    if (mine.ok) {
      await customer.waitFor('message.new', (m) => m.notice?.kind === 'closed');
      await expect
        .poll(() => record.conversations.findOne({ _id: conversationId }))
        .toMatchObject({ status: 'ended', endReason: 'supervisor' });
      const entry = await record.auditLog.findOne({ 'target.id': conversationId });
      expect(entry).toMatchObject({
        action: 'conversation.end',
        actor: { id: supervisor.account!.id },
      });
    }
  });

  it('hands it to another agent or the queue, recorded with who and when', async () => {
    const supervisor = await suite.loginNew('supervisor');
    await supervisor.requestOk('wallboard.sync', {});
    const { customer, conversationId } = await chatting(supervisor);
    const colleague = await suite.loginNew('agent');
    const moved = await supervisor.requestOk('supervisor.transfer', {
      conversationId,
      toAgentId: colleague.account!.id,
    });
    expect(moved.view.agent).toMatchObject({ id: colleague.account!.id });
    await colleague.waitFor('agent.state', (s) =>
      s.conversations.some((c) => c.conversationId === conversationId),
    );
    await customer.waitFor('customer.state', (s) => s.agent?.id === colleague.account!.id);
    const back = await supervisor.requestOk('supervisor.transfer', { conversationId });
    expect(back.view.agent).toBeNull();
    const entries = await suite.stack.server.mongo.collections.auditLog
      .find({ 'target.id': conversationId, action: 'conversation.transfer' })
      .toArray();
    expect(entries).toHaveLength(2);
    expect(
      entries.every((e) => e.actor.id === supervisor.account!.id && e.at instanceof Date),
    ).toBe(true);
  });
});
