import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { CustomerState } from '../protocol/index';
import { customerMachine } from './customerMachine';
import { customerSession, customerState, deferred } from './testFixtures';

// State versions: a push and an ack can arrive in either order, so a server-confirmed state
// older than the one held is ignored; the same version again is applied (it changes nothing).

function conversationOf(actor: { getSnapshot: () => { value: unknown } }): unknown {
  const value = actor.getSnapshot().value as { loggedIn?: { conversation: string } };
  return value.loggedIn?.conversation;
}

function loggedIn(actors: Parameters<typeof customerMachine.provide>[0]['actors'] = {}) {
  const actor = createActor(customerMachine.provide({ actors })).start();
  actor.send({ type: 'auth.resume', session: customerSession });
  return actor;
}

describe('customerMachine state versions', () => {
  it('ignores an older push after a newer ack', async () => {
    const ack = customerState('requestSent', 5);
    const actor = loggedIn({ requestChat: fromPromise(() => Promise.resolve(ack)) });
    actor.send({ type: 'chat.request' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(conversationOf(actor)).toBe('requestSent');

    // Sent before the request, delivered after its ack.
    const stale = {
      type: 'server.customerState' as const,
      state: customerState('notConnected', 4),
    };
    const before = actor.getSnapshot();
    expect(before.can(stale)).toBe(false);
    actor.send(stale);
    expect(actor.getSnapshot()).toBe(before);
    expect(actor.getSnapshot().context.customerState).toBe(ack);
  });

  it('ignores an older ack after a newer push, and still ends the intent', async () => {
    const answer = deferred<CustomerState>();
    const actor = loggedIn({ requestChat: fromPromise(() => answer.promise) });
    actor.send({ type: 'chat.request' });

    // An agent took the request before this session's ack arrived.
    const taken = customerState('inConversation', 6);
    actor.send({ type: 'server.customerState', state: taken });
    expect(conversationOf(actor)).toBe('inConversation');

    answer.resolve(customerState('requestSent', 5));
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(conversationOf(actor)).toBe('inConversation');
    expect(actor.getSnapshot().context.customerState).toBe(taken);
    expect(actor.getSnapshot().context.error).toBeNull();
    expect(actor.getSnapshot().can({ type: 'chat.end' })).toBe(true);
  });

  it('ignores an older end ack after a newer push', async () => {
    const answer = deferred<CustomerState>();
    const actor = loggedIn({ endChat: fromPromise(() => answer.promise) });
    actor.send({ type: 'server.customerState', state: customerState('requestSent', 3) });
    actor.send({ type: 'chat.end' });
    // The withdrawal (4), then a new request from another device (5), both pushed first.
    actor.send({ type: 'server.customerState', state: customerState('notConnected', 4) });
    const requestedElsewhere = customerState('requestSent', 5);
    actor.send({ type: 'server.customerState', state: requestedElsewhere });

    answer.resolve(customerState('notConnected', 4));
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(conversationOf(actor)).toBe('requestSent');
    expect(actor.getSnapshot().context.customerState).toBe(requestedElsewhere);
  });

  it('ignores an older sync answer after a newer push, and still goes online', async () => {
    const answer = deferred<CustomerState>();
    const actor = loggedIn({ syncSession: fromPromise(() => answer.promise) });
    actor.send({ type: 'connection.up' });
    const ended = customerState('conversationEnded', 9);
    actor.send({ type: 'server.customerState', state: ended });

    answer.resolve(customerState('inConversation', 8));
    await waitFor(actor, (snapshot) => snapshot.context.connection === 'online');
    expect(conversationOf(actor)).toBe('conversationEnded');
    expect(actor.getSnapshot().context.customerState).toBe(ended);
  });

  it('applies an equal version: the same state again, or a position refresh', () => {
    const actor = loggedIn();
    actor.send({ type: 'server.customerState', state: customerState('requestSent', 7) });
    const again = customerState('requestSent', 7);
    actor.send({ type: 'server.customerState', state: again });
    expect(conversationOf(actor)).toBe('requestSent');
    expect(actor.getSnapshot().context.customerState).toBe(again);

    // The queue ahead moved: same version, new position.
    const moved = { ...customerState('requestSent', 7), position: 1 };
    actor.send({ type: 'server.customerState', state: moved });
    expect(actor.getSnapshot().context.customerState?.position).toBe(1);
  });

  it('applies an equal-version ack after its own push', async () => {
    const answer = deferred<CustomerState>();
    const actor = loggedIn({ endChat: fromPromise(() => answer.promise) });
    actor.send({ type: 'server.customerState', state: customerState('inConversation', 2) });
    actor.send({ type: 'chat.end' });
    actor.send({ type: 'server.customerState', state: customerState('conversationEnded', 3) });
    const ack = customerState('conversationEnded', 3);
    answer.resolve(ack);
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(conversationOf(actor)).toBe('conversationEnded');
    expect(actor.getSnapshot().context.customerState).toBe(ack);
  });

  it('takes version 0 (a fresh account) when nothing is held, then newer ones', () => {
    const actor = loggedIn();
    actor.send({ type: 'server.customerState', state: customerState('notConnected', 0) });
    expect(actor.getSnapshot().context.customerState?.version).toBe(0);
    actor.send({ type: 'server.customerState', state: customerState('requestSent', 1) });
    expect(conversationOf(actor)).toBe('requestSent');
  });

  it('forgets the held version with the session: the next login starts afresh', () => {
    const actor = loggedIn();
    actor.send({ type: 'server.customerState', state: customerState('inConversation', 40) });
    actor.send({ type: 'server.revoked', reason: 'logout' });
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'server.customerState', state: customerState('requestSent', 3) });
    expect(conversationOf(actor)).toBe('requestSent');
  });
});
