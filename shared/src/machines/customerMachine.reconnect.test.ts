import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it, vi } from 'vitest';
import { ProtocolError } from '../protocol/index';
import type { CustomerState } from '../protocol/index';
import { customerMachine } from './customerMachine';
import {
  customerState,
  customerUser,
  deferred,
  loginResponse,
  customerSession,
} from './testFixtures';

// A (re)connection re-syncs the machine from the server; a dropped connection is not an exit.

describe('customerMachine connection and re-sync', () => {
  it('opens the connection after login and adopts the synced state', async () => {
    const openConnection = vi.fn();
    const persistSession = vi.fn();
    const syncSession = vi.fn(() => Promise.resolve(customerState('requestSent')));
    const actor = createActor(
      customerMachine.provide({
        actors: {
          login: fromPromise(() => Promise.resolve(loginResponse(customerUser))),
          syncSession: fromPromise(syncSession),
        },
        actions: { openConnection, persistSession },
      }),
    ).start();
    actor.send({ type: 'auth.login', login: 'ada', password: 'pw' });
    await waitFor(actor, (snapshot) => snapshot.matches('loggedIn'));
    expect(persistSession).toHaveBeenCalledTimes(1);
    expect(openConnection).toHaveBeenCalledTimes(1);
    expect(actor.getSnapshot().context.session?.token).toBe('token-cust-1');
    expect(actor.getSnapshot().context.connection).toBe('connecting');
    expect(actor.getSnapshot().context.customerState).toBeNull();

    actor.send({ type: 'connection.up' });
    await waitFor(actor, (snapshot) => snapshot.context.connection === 'online');
    expect(syncSession).toHaveBeenCalledTimes(1);
    expect(actor.getSnapshot().matches({ loggedIn: { conversation: 'requestSent' } })).toBe(true);
  });

  it('re-syncs after a drop and moves to what happened meanwhile', async () => {
    const syncSession = vi
      .fn<() => Promise<CustomerState>>()
      .mockResolvedValueOnce(customerState('requestSent'))
      .mockResolvedValueOnce(customerState('inConversation'));
    const actor = createActor(
      customerMachine.provide({ actors: { syncSession: fromPromise(syncSession) } }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'connection.up' });
    await waitFor(actor, (snapshot) => snapshot.context.connection === 'online');

    actor.send({ type: 'connection.down' });
    expect(actor.getSnapshot().context.connection).toBe('offline');
    // Offline is not an exit: the state stays until the server says otherwise (R7).
    expect(actor.getSnapshot().matches({ loggedIn: { conversation: 'requestSent' } })).toBe(true);

    actor.send({ type: 'connection.up' });
    expect(actor.getSnapshot().context.connection).toBe('connecting');
    await waitFor(actor, (snapshot) => snapshot.context.connection === 'online');
    expect(syncSession).toHaveBeenCalledTimes(2);
    expect(actor.getSnapshot().matches({ loggedIn: { conversation: 'inConversation' } })).toBe(
      true,
    );
  });

  it.each([
    ['up, down, up', ['connection.up', 'connection.down', 'connection.up'] as const],
    ['up, up', ['connection.up', 'connection.up'] as const],
  ])('drops the answer of a sync overtaken by a newer connection (%s)', async (_, events) => {
    const first = deferred<CustomerState>();
    const second = deferred<CustomerState>();
    const syncSession = vi
      .fn<() => Promise<CustomerState>>()
      .mockReturnValueOnce(first.promise)
      .mockReturnValueOnce(second.promise);
    const actor = createActor(
      customerMachine.provide({ actors: { syncSession: fromPromise(syncSession) } }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    for (const type of events) actor.send({ type });

    second.resolve(customerState('conversationEnded'));
    await waitFor(actor, (snapshot) => snapshot.context.connection === 'online');
    first.resolve(customerState('requestSent'));
    await first.promise;
    await Promise.resolve();

    expect(syncSession).toHaveBeenCalledTimes(2);
    expect(actor.getSnapshot().matches({ loggedIn: { conversation: 'conversationEnded' } })).toBe(
      true,
    );
  });

  it('keeps the shown state and the error when the sync fails', async () => {
    const actor = createActor(
      customerMachine.provide({
        actors: {
          syncSession: fromPromise(() =>
            Promise.reject(new ProtocolError('internal', 'sync failed')),
          ),
        },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'server.customerState', state: customerState('requestSent') });
    actor.send({ type: 'connection.up' });
    await waitFor(actor, (snapshot) => snapshot.context.error !== null);
    expect(actor.getSnapshot().context.error).toEqual({ code: 'internal', message: 'sync failed' });
    expect(actor.getSnapshot().context.connection).toBe('connecting');
    expect(actor.getSnapshot().matches({ loggedIn: { conversation: 'requestSent' } })).toBe(true);
  });
});
