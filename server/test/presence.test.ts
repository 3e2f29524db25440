// R7 and R11: a dropped connection keeps the request's place; a customer offline past the
// grace period loses it; connections of a node that stops heartbeating leave presence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { TestClient, TestStack } from '@callcenter/devstack/testing';

let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start({
    mongodbUrl: inject('mongodbUrl'),
    config: { queueOfflineGraceSeconds: 2, presence: { heartbeatMs: 200, deadAfterMs: 1_000 } },
  });
});

afterAll(async () => {
  await stack.stop();
});

describe('offline customers (R7)', () => {
  it('a dropped connection keeps its place within the grace period; past it, the request is withdrawn', async () => {
    const agent = await TestClient.login(stack, await stack.createAgent());
    const returning = await stack.createCustomer();
    const leaving = await stack.createCustomer();
    const returningClient = await TestClient.login(stack, returning);
    const leavingClient = await TestClient.login(stack, leaving);
    await returningClient.requestOk('chat.request');
    await leavingClient.requestOk('chat.request');
    await agent.waitFor('queue.snapshot', (s) => s.total === 2);

    // Both drop; the queue shows them offline, in their places.
    const from = agent.mark();
    returningClient.close();
    leavingClient.close();
    const offline = await agent.waitFor(
      'queue.snapshot',
      (s) => s.total === 2 && s.entries.every((e) => !e.online),
      from,
    );
    expect(offline.entries.map((e) => e.customerId)).toEqual([returning.id, leaving.id]);

    // One comes back within the grace period and keeps its request.
    const back = await TestClient.connect(stack.url, returningClient.token, returning);
    const sync = await back.requestOk('session.sync', {});
    expect(sync.state).toMatchObject({ state: 'requestSent', position: 1 });

    // The other stays away past the grace period and loses its place; the first keeps it.
    const expired = await agent.waitFor('queue.snapshot', (s) => s.total === 1, from, 15_000);
    expect(expired.entries.map((e) => [e.customerId, e.online])).toEqual([[returning.id, true]]);
    const leavingBack = await TestClient.connect(stack.url, leavingClient.token, leaving);
    const leftState = await leavingBack.requestOk('session.sync', {});
    expect(leftState.state.state).toBe('notConnected');
    for (const client of [back, leavingBack, agent]) client.close();
  });
});
