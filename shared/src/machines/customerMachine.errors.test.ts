import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it, vi } from 'vitest';
import { customerMachine } from './customerMachine';
import { customerState, protocolError, customerSession } from './testFixtures';

// A failed intent leaves the state as it was and puts the server's error in context.error.

describe('customerMachine errors', () => {
  it('keeps the state and records the error when a request is refused', async () => {
    const actor = createActor(
      customerMachine.provide({
        actors: { requestChat: fromPromise(() => Promise.reject(protocolError('rate_limited'))) },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'server.customerState', state: customerState('conversationEnded') });
    actor.send({ type: 'chat.request' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);

    const snapshot = actor.getSnapshot();
    expect(
      snapshot.matches({ loggedIn: { conversation: 'conversationEnded', intent: 'idle' } }),
    ).toBe(true);
    expect(snapshot.context.error?.code).toBe('rate_limited');
    expect(snapshot.context.customerState).toEqual(customerState('conversationEnded'));
  });

  it('clears the previous error when the next intent starts', async () => {
    const requestChat = vi
      .fn<() => Promise<ReturnType<typeof customerState>>>()
      .mockRejectedValueOnce(protocolError('internal'))
      .mockResolvedValueOnce(customerState('requestSent'));
    const actor = createActor(
      customerMachine.provide({ actors: { requestChat: fromPromise(requestChat) } }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'chat.request' });
    await waitFor(actor, (snapshot) => snapshot.context.error !== null);
    actor.send({ type: 'chat.request' });
    expect(actor.getSnapshot().context.error).toBeNull();
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(actor.getSnapshot().matches({ loggedIn: { conversation: 'requestSent' } })).toBe(true);
  });

  it('stays in the conversation when ending it fails', async () => {
    const actor = createActor(
      customerMachine.provide({
        actors: { endChat: fromPromise(() => Promise.reject(protocolError('unavailable'))) },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'server.customerState', state: customerState('inConversation') });
    actor.send({ type: 'chat.end' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(actor.getSnapshot().matches({ loggedIn: { conversation: 'inConversation' } })).toBe(
      true,
    );
    expect(actor.getSnapshot().context.error?.code).toBe('unavailable');
  });

  it('stays logged in when exit fails, and reports a non-protocol failure as internal', async () => {
    const clearSession = vi.fn();
    const actor = createActor(
      customerMachine.provide({
        actors: { exitSession: fromPromise(() => Promise.reject(new TypeError('fetch failed'))) },
        actions: { clearSession },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'server.customerState', state: customerState('requestSent') });
    actor.send({ type: 'session.exit' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(actor.getSnapshot().matches({ loggedIn: { conversation: 'requestSent' } })).toBe(true);
    expect(actor.getSnapshot().context.error).toEqual({
      code: 'internal',
      message: 'fetch failed',
    });
    expect(clearSession).not.toHaveBeenCalled();
  });
});
