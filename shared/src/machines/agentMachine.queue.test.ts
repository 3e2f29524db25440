import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { agentMachine } from './agentMachine';
import { agentSession, chatStartResult, monitoring, queueSnapshot } from './testFixtures';

// R2: the queue panel keeps the newest snapshot; an older version never replaces it.

function queueVersion(actor: {
  getSnapshot: () => { context: { queue: { version: number } | null } };
}) {
  return actor.getSnapshot().context.queue?.version;
}

describe('agentMachine queue snapshots', () => {
  it('takes newer snapshots and ignores older ones', () => {
    const actor = createActor(agentMachine).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    expect(actor.getSnapshot().context.queue).toBeNull();

    actor.send({ type: 'server.queueSnapshot', snapshot: queueSnapshot(5, 3) });
    expect(queueVersion(actor)).toBe(5);
    expect(actor.getSnapshot().context.queue?.total).toBe(3);

    const before = actor.getSnapshot();
    actor.send({ type: 'server.queueSnapshot', snapshot: queueSnapshot(4, 9) });
    expect(actor.getSnapshot()).toBe(before);
    expect(
      actor.getSnapshot().can({ type: 'server.queueSnapshot', snapshot: queueSnapshot(4) }),
    ).toBe(false);
    expect(actor.getSnapshot().context.queue?.total).toBe(3);

    actor.send({ type: 'server.queueSnapshot', snapshot: queueSnapshot(6, 0) });
    expect(queueVersion(actor)).toBe(6);
    expect(actor.getSnapshot().context.queue?.total).toBe(0);
  });

  it('forgets the queue with the session: the next login takes any version', () => {
    const actor = createActor(agentMachine).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'server.queueSnapshot', snapshot: queueSnapshot(9) });
    actor.send({ type: 'server.revoked', reason: 'disabled' });
    expect(actor.getSnapshot().context.queue).toBeNull();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'server.queueSnapshot', snapshot: queueSnapshot(1) });
    expect(queueVersion(actor)).toBe(1);
  });

  it('accepts the same version again (a re-delivered snapshot)', () => {
    const actor = createActor(agentMachine).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'server.queueSnapshot', snapshot: queueSnapshot(2, 1) });
    actor.send({ type: 'server.queueSnapshot', snapshot: queueSnapshot(2, 1) });
    expect(queueVersion(actor)).toBe(2);
  });

  it('keeps a newer pushed snapshot over an older one carried by a late sync', async () => {
    const actor = createActor(
      agentMachine.provide({
        actors: {
          syncSession: fromPromise(() =>
            Promise.resolve({ state: monitoring, queue: queueSnapshot(3, 7) }),
          ),
        },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'connection.up' });
    actor.send({ type: 'server.queueSnapshot', snapshot: queueSnapshot(4, 2) });
    await waitFor(actor, (snapshot) => snapshot.context.connection === 'online');
    expect(queueVersion(actor)).toBe(4);
    expect(actor.getSnapshot().context.queue?.total).toBe(2);
  });

  it('keeps following the queue during a conversation (collapsed panel, R2)', async () => {
    const actor = createActor(
      agentMachine.provide({
        actors: { startChat: fromPromise(() => Promise.resolve(chatStartResult('conv-1'))) },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'chat.start' });
    await waitFor(actor, (snapshot) =>
      snapshot.matches({ loggedIn: { conversation: 'inConversation' } }),
    );
    actor.send({ type: 'server.queueSnapshot', snapshot: queueSnapshot(8, 4) });
    expect(queueVersion(actor)).toBe(8);
  });
});
