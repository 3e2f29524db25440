// R3's estimated wait: from the recent take rate, the same figure for the queued customer and
// in the agents' queue, against the real server, a private Redis and the store.
import { describe, expect, it } from 'vitest';
import { estimateWait, WAIT_ESTIMATE_MIN_TAKES } from '@callcenter/shared';
import { useTestStack, type TestClient } from '@callcenter/devstack/testing';

const suite = useTestStack();
const { loginNew } = suite;
/** The test stack's window: 30 minutes. */
const WINDOW_SECONDS = 1800;

/** One customer queued, taken and let go by `agent`. */
async function takeOne(agent: TestClient): Promise<void> {
  const customer = await loginNew('customer');
  await customer.requestOk('chat.request');
  const started = await agent.requestOk('chat.start');
  await agent.requestOk('chat.end', { conversationId: started.conversation.id });
  customer.close();
}

describe('Estimated wait', () => {
  it('is given only after enough takes, as a range, the same to the customer and the agents', async () => {
    const agent = await loginNew('agent');
    await agent.requestOk('session.sync', {});

    // No takes yet: nothing to estimate from.
    const early = await loginNew('customer');
    const { state: earlyState } = await early.requestOk('chat.request');
    expect(earlyState.position).toBe(1);
    expect(earlyState.estimatedWait).toBeNull();
    const started = await agent.requestOk('chat.start');
    await agent.requestOk('chat.end', { conversationId: started.conversation.id });
    for (let i = 1; i < WAIT_ESTIMATE_MIN_TAKES; i += 1) await takeOne(agent);

    // Three takes in the window: the next in line waits 6 to 24 minutes (1800 s / (3 ± √3)).
    const rate = { takes: WAIT_ESTIMATE_MIN_TAKES, windowSeconds: WINDOW_SECONDS };
    const first = await loginNew('customer');
    const second = await loginNew('customer');
    const from = agent.mark();
    const { state: firstState } = await first.requestOk('chat.request');
    const { state: secondState } = await second.requestOk('chat.request');
    expect(firstState).toMatchObject({
      position: 1,
      estimatedWait: { minSeconds: 360, maxSeconds: 1440 },
    });
    expect(secondState.position).toBe(2);
    expect(secondState.estimatedWait).toEqual(estimateWait(2, rate));
    expect(secondState.estimatedWait!.minSeconds).toBeGreaterThan(
      firstState.estimatedWait!.minSeconds,
    );

    const snapshot = await agent.waitFor('queue.snapshot', (s) => s.total === 2, from);
    expect(snapshot.entries.map((e) => [e.customerId, e.estimatedWait])).toEqual([
      [first.account!.id, firstState.estimatedWait],
      [second.account!.id, secondState.estimatedWait],
    ]);

    // The first is taken: the second moves up, and its estimate with it.
    const moved = second.mark();
    const taken = await agent.requestOk('chat.start');
    expect(taken.customer.id).toBe(first.account!.id);
    const update = await second.waitFor('customer.state', (s) => s.position === 1, moved);
    expect(update.estimatedWait).toEqual(
      estimateWait(1, { takes: WAIT_ESTIMATE_MIN_TAKES + 1, windowSeconds: WINDOW_SECONDS }),
    );
    // In a conversation there is no wait to estimate.
    const inConversation = await first.waitFor(
      'customer.state',
      (s) => s.state === 'inConversation',
    );
    expect(inConversation.estimatedWait).toBeNull();
  });
});
