import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it, vi } from 'vitest';
import type { CustomerState } from '../protocol/index';
import { customerMachine } from './customerMachine';
import { customerState, deferred, customerSession } from './testFixtures';

// R3/R6: the customer's conversation state moves only on what the server confirmed, never on
// the intent alone.

function conversationOf(actor: { getSnapshot: () => { value: unknown } }): unknown {
  const value = actor.getSnapshot().value as { loggedIn?: { conversation: string } };
  return value.loggedIn?.conversation;
}

describe('customerMachine follows the server', () => {
  it('stays put while a chat request is in flight and moves on the ack', async () => {
    const answer = deferred<CustomerState>();
    const actor = createActor(
      customerMachine.provide({ actors: { requestChat: fromPromise(() => answer.promise) } }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });

    actor.send({ type: 'chat.request' });
    expect(conversationOf(actor)).toBe('notConnected');
    expect(actor.getSnapshot().context.busy).toBe(true);

    answer.resolve(customerState('requestSent'));
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(conversationOf(actor)).toBe('requestSent');
    expect(actor.getSnapshot().context.customerState).toEqual(customerState('requestSent'));
  });

  it('lands where the ack says, e.g. an existing conversation from another device (R3)', async () => {
    const actor = createActor(
      customerMachine.provide({
        actors: {
          requestChat: fromPromise(() => Promise.resolve(customerState('inConversation'))),
        },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'chat.request' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(conversationOf(actor)).toBe('inConversation');
  });

  it('follows pushes with no intent of its own (agent took the request, agent ended)', () => {
    const actor = createActor(customerMachine).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'server.customerState', state: customerState('requestSent') });
    expect(conversationOf(actor)).toBe('requestSent');
    actor.send({ type: 'server.customerState', state: customerState('inConversation') });
    expect(conversationOf(actor)).toBe('inConversation');
    expect(actor.getSnapshot().context.customerState?.agent?.displayName).toBe('Bob');
    actor.send({ type: 'server.customerState', state: customerState('conversationEnded') });
    expect(conversationOf(actor)).toBe('conversationEnded');
  });

  it('ends on the ack: a queued request is withdrawn back to notConnected (R6)', async () => {
    const endChat = vi.fn(() => Promise.resolve(customerState('notConnected')));
    const actor = createActor(
      customerMachine.provide({ actors: { endChat: fromPromise(endChat) } }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'server.customerState', state: customerState('requestSent') });
    actor.send({ type: 'chat.end' });
    expect(conversationOf(actor)).toBe('requestSent');
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(endChat).toHaveBeenCalledTimes(1);
    expect(conversationOf(actor)).toBe('notConnected');
  });

  it('ignores further intents while one is in flight', async () => {
    const answer = deferred<CustomerState>();
    const requestChat = vi.fn(() => answer.promise);
    const exitSession = vi.fn(() => Promise.resolve());
    const logout = vi.fn(() => Promise.resolve());
    const actor = createActor(
      customerMachine.provide({
        actors: {
          requestChat: fromPromise(requestChat),
          exitSession: fromPromise(exitSession),
          logout: fromPromise(logout),
        },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'chat.request' });
    actor.send({ type: 'chat.request' });
    actor.send({ type: 'session.exit' });
    actor.send({ type: 'auth.logout' });
    answer.resolve(customerState('requestSent'));
    await waitFor(actor, (snapshot) => !snapshot.context.busy);

    expect(requestChat).toHaveBeenCalledTimes(1);
    expect(exitSession).not.toHaveBeenCalled();
    expect(logout).not.toHaveBeenCalled();
    expect(conversationOf(actor)).toBe('requestSent');
  });

  it('refuses intents that make no sense in the current state', () => {
    const requestChat = vi.fn(() => Promise.resolve(customerState('requestSent')));
    const endChat = vi.fn(() => Promise.resolve(customerState('notConnected')));
    const actor = createActor(
      customerMachine.provide({
        actors: { requestChat: fromPromise(requestChat), endChat: fromPromise(endChat) },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    expect(actor.getSnapshot().can({ type: 'chat.end' })).toBe(false);
    actor.send({ type: 'chat.end' });

    actor.send({ type: 'server.customerState', state: customerState('inConversation') });
    expect(actor.getSnapshot().can({ type: 'chat.request' })).toBe(false);
    actor.send({ type: 'chat.request' });

    expect(requestChat).not.toHaveBeenCalled();
    expect(endChat).not.toHaveBeenCalled();
    expect(actor.getSnapshot().context.busy).toBe(false);
  });
});
