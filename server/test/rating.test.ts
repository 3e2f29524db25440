// Satisfaction (issue 15): a customer rates its ended conversation once (1-5, optional
// comment) or skips it; the answer is stored with the conversation, every device stops asking,
// and the day's figures for the wallboard count each score.
import { describe, expect, it } from 'vitest';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';
import { LiveRedis } from '../src/live/liveRedis';
import { RatingStats, ratingDay } from '../src/live/ratingStats';

const suite = useTestStack();

/** A customer (on `devices` devices) whose conversation with a new agent has ended. */
async function endedConversation(devices = 1) {
  const agent = await suite.loginNew('agent');
  const account = await suite.stack.createCustomer();
  const customers: TestClient[] = [];
  for (let i = 0; i < devices; i += 1) {
    customers.push(suite.track(await TestClient.login(suite.stack, account)));
  }
  const [customer] = customers;
  if (!customer) throw new Error('no device');
  await customer.requestOk('chat.request');
  const taken = await agent.requestOk('chat.start');
  const conversationId = taken.conversation.id;
  await agent.requestOk('chat.end', { conversationId });
  return { agent, customer, customers, conversationId };
}

// A rating reaches the conversation's record just after the ack when the record of its start is
// still on its way there (it is then written again in the background): poll for it.
const stored = (conversationId: string) =>
  suite.stack.server.mongo.collections.conversations.findOne({ _id: conversationId });

describe('chat.rate', () => {
  it('stores a rating once, says so on every device, and refuses a second one', async () => {
    const { customer, customers, conversationId } = await endedConversation(2);
    const other = customers[1];
    if (!other) throw new Error('no second device');
    const before = await customer.requestOk('session.sync', {});
    expect(before.state).toMatchObject({ state: 'conversationEnded', ratingPending: true });
    const mark = other.mark();
    const answer = await customer.requestOk('chat.rate', {
      conversationId,
      score: 4,
      comment: '  Quick and kind.  ',
    });
    expect(answer.rating).toMatchObject({
      conversationId,
      skipped: false,
      score: 4,
      comment: 'Quick and kind.',
    });
    await other.waitFor('customer.state', (s) => !s.ratingPending, mark);
    await expect
      .poll(() => stored(conversationId))
      .toMatchObject({
        rating: { score: 4, comment: 'Quick and kind.' },
      });
    const again = await other.request('chat.rate', { conversationId, score: 1 });
    expect(again).toMatchObject({ ok: false, error: { code: 'already_rated' } });
    const skip = await other.request('chat.rate', { conversationId, skip: true });
    expect(skip).toMatchObject({ ok: false, error: { code: 'already_rated' } });
    await expect.poll(() => stored(conversationId)).toMatchObject({ rating: { score: 4 } });
  });

  it('keeps exactly one answer when two devices rate at once (20 rounds)', async () => {
    for (let round = 0; round < 20; round += 1) {
      const { customers, conversationId } = await endedConversation(2);
      const answers = await Promise.all(
        customers.map((device, i) =>
          device.request('chat.rate', { conversationId, score: i + 2, comment: `device ${i}` }),
        ),
      );
      const won = answers.filter((a) => a.ok);
      expect(won).toHaveLength(1);
      expect(answers.filter((a) => !a.ok && a.error.code === 'already_rated')).toHaveLength(1);
      const winner = won[0];
      if (!winner?.ok || winner.rating.skipped) throw new Error('no rating won');
      await expect
        .poll(() => stored(conversationId))
        .toMatchObject({
          rating: { score: winner.rating.score, comment: winner.rating.comment },
        });
    }
  }, 120_000);

  it("refuses another customer's conversation and a conversation still going on", async () => {
    const { conversationId } = await endedConversation();
    const stranger = await suite.loginNew('customer');
    expect(await stranger.request('chat.rate', { conversationId, score: 5 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const agent = await suite.loginNew('agent');
    const customer = await suite.loginNew('customer');
    await customer.requestOk('chat.request');
    const taken = await agent.requestOk('chat.start');
    const active = taken.conversation.id;
    const sync = await customer.requestOk('session.sync', {});
    expect(sync.state).toMatchObject({ state: 'inConversation', ratingPending: false });
    expect(await customer.request('chat.rate', { conversationId: active, score: 5 })).toMatchObject(
      { ok: false, error: { code: 'not_ended' } },
    );
    expect(
      await customer.request('chat.rate', { conversationId: 'no-such-conversation', score: 5 }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await stored(active)).not.toHaveProperty('rating');
    expect(await stored(conversationId)).not.toHaveProperty('rating');
  });

  it('refuses a bad score or comment with a clear reason, and stores nothing', async () => {
    const { customer, conversationId } = await endedConversation();
    const bad: [unknown, RegExp][] = [
      [{ conversationId, score: 0 }, /at least 1/],
      [{ conversationId, score: 6 }, /at most 5/],
      [{ conversationId, score: 3.5 }, /whole number/],
      [{ conversationId, score: '4' }, /score/],
      [{ conversationId }, /needs a score/],
      [{ conversationId, score: 4, comment: 'x'.repeat(1001) }, /at most 1000 characters/],
      [{ conversationId, score: 4, comment: 'bad\u0007bell' }, /control characters/],
      [{ conversationId, skip: false }, /skip is true/],
      [{ conversationId, skip: true, score: 3 }, /a skip has no score/],
      [{ conversationId, score: 4, extra: true }, /extra/i],
    ];
    for (const [payload, reason] of bad) {
      const answer = await customer.requestRaw('chat.rate', payload);
      expect(answer, JSON.stringify(payload)).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload' },
      });
      if (!answer.ok) expect(answer.error.message, JSON.stringify(payload)).toMatch(reason);
    }
    // 1000 characters after trimming are fine; a blank comment is none.
    const answer = await customer.requestOk('chat.rate', {
      conversationId,
      score: 2,
      comment: ` ${'y'.repeat(1000)} `,
    });
    expect(answer.rating).toMatchObject({ score: 2, comment: 'y'.repeat(1000) });
  });

  it('records a skip, then refuses a rating, and a reload no longer asks', async () => {
    const { customer, conversationId } = await endedConversation();
    const answer = await customer.requestOk('chat.rate', { conversationId, skip: true });
    expect(answer.rating).toMatchObject({ conversationId, skipped: true });
    await expect.poll(() => stored(conversationId)).toMatchObject({ rating: { skipped: true } });
    expect(await customer.request('chat.rate', { conversationId, score: 5 })).toMatchObject({
      ok: false,
      error: { code: 'already_rated' },
    });
    const account = customer.account;
    if (!account) throw new Error('no account');
    const reloaded = suite.track(await TestClient.login(suite.stack, account));
    const sync = await reloaded.requestOk('session.sync', {});
    expect(sync.state).toMatchObject({
      state: 'conversationEnded',
      conversationId,
      ratingPending: false,
    });
  });

  it("a new request's states do not ask; the next ended conversation asks again", async () => {
    const { customer, conversationId } = await endedConversation();
    await customer.requestOk('chat.rate', { conversationId, score: 5 });
    const request = await customer.requestOk('chat.request');
    expect(request.state).toMatchObject({ state: 'requestSent', ratingPending: false });
    const agent = await suite.loginNew('agent');
    const taken = await agent.requestOk('chat.start');
    const mark = customer.mark();
    await agent.requestOk('chat.end', { conversationId: taken.conversation.id });
    const ended = await customer.waitFor(
      'customer.state',
      (s) => s.state === 'conversationEnded',
      mark,
    );
    expect(ended).toMatchObject({ conversationId: taken.conversation.id, ratingPending: true });
  });
});

describe('RatingStats', () => {
  it("sums each day's ratings overall and per agent, counting only stored ratings", async () => {
    const stats = new RatingStats(new LiveRedis(suite.stack.server.redis));
    const today = ratingDay(new Date());
    const first = await suite.loginNew('agent');
    const second = await suite.loginNew('agent');
    const plan: [TestClient, number | 'skip'][] = [
      [first, 5],
      [first, 4],
      [second, 2],
      [second, 'skip'],
      [first, 3],
    ];
    const agentIds = new Map<TestClient, string>();
    for (const [agent, score] of plan) {
      const customer = await suite.loginNew('customer');
      await customer.requestOk('chat.request');
      const taken = await agent.requestOk('chat.start');
      agentIds.set(agent, taken.conversation.agentId);
      await agent.requestOk('chat.end', { conversationId: taken.conversation.id });
      const conversationId = taken.conversation.id;
      await customer.requestOk(
        'chat.rate',
        score === 'skip' ? { conversationId, skip: true } : { conversationId, score },
      );
      // A refused repeat is not counted.
      await customer.request('chat.rate', { conversationId, score: 1 });
    }
    const summary = await stats.summary(today);
    expect(summary.overall).toEqual({ count: 4, average: (5 + 4 + 2 + 3) / 4 });
    expect(summary.byAgent).toEqual({
      [agentIds.get(first) ?? 'first']: { count: 3, average: 4 },
      [agentIds.get(second) ?? 'second']: { count: 1, average: 2 },
    });
    const key = `cc:stats:ratings:${today}`;
    const ttl = await suite.stack.server.redis.ttl(key);
    expect(ttl).toBeGreaterThan(7 * 24 * 3600);
    expect(ttl).toBeLessThanOrEqual(8 * 24 * 3600);
    expect(await stats.summary('2001-01-01')).toEqual({
      overall: { count: 0, average: null },
      byAgent: {},
    });
    await expect(stats.summary('yesterday')).rejects.toThrow(/not a day/);
  });
});
