import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it, vi } from 'vitest';
import type { CustomerState } from '../protocol/index';
import { customerMachine } from './customerMachine';
import { customerState, customerUser, loginResponse, customerSession } from './testFixtures';

// Revocation, exit (R7) and logout (R1) all end in loggedOut with the stored session cleared.

function spies() {
  const calls: string[] = [];
  return {
    calls,
    actions: {
      clearSession: () => calls.push('clearSession'),
      closeConnection: () => calls.push('closeConnection'),
    },
  };
}

describe('customerMachine session end', () => {
  it('goes to loggedOut on server.revoked, whatever is in flight', () => {
    const { calls, actions } = spies();
    const actor = createActor(
      customerMachine.provide({
        actors: { requestChat: fromPromise(() => new Promise<CustomerState>(() => undefined)) },
        actions,
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'server.customerState', state: customerState('conversationEnded') });
    actor.send({ type: 'chat.request' });
    actor.send({ type: 'server.revoked', reason: 'expired' });

    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toEqual({ loggedOut: 'idle' });
    expect(calls).toEqual(['closeConnection', 'clearSession']);
    expect(snapshot.context).toMatchObject({
      session: null,
      customerState: null,
      connection: 'offline',
      busy: false,
      error: { code: 'unauthorized' },
    });
    expect(snapshot.context.error?.message).toContain('expired');
  });

  it('goes to loggedOut after a confirmed exit (R7)', async () => {
    const { calls, actions } = spies();
    const exitSession = vi.fn(() => Promise.resolve());
    const actor = createActor(
      customerMachine.provide({ actors: { exitSession: fromPromise(exitSession) }, actions }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'server.customerState', state: customerState('inConversation') });
    actor.send({ type: 'session.exit' });
    expect(actor.getSnapshot().matches('loggedIn')).toBe(true);
    await waitFor(actor, (snapshot) => snapshot.matches('loggedOut'));
    expect(exitSession).toHaveBeenCalledTimes(1);
    expect(calls).toEqual(['closeConnection', 'clearSession']);
    expect(actor.getSnapshot().context.error).toBeNull();
  });

  it('logs out with the session token and can log in again', async () => {
    const logout = vi.fn<(args: { input: { token: string } }) => Promise<void>>(() =>
      Promise.resolve(),
    );
    const actor = createActor(
      customerMachine.provide({
        actors: {
          logout: fromPromise(logout),
          login: fromPromise(() => Promise.resolve(loginResponse(customerUser))),
        },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'auth.logout' });
    await waitFor(actor, (snapshot) => snapshot.matches('loggedOut'));
    expect(logout.mock.calls[0]?.[0].input).toEqual({ token: 'token-c' });

    actor.send({ type: 'auth.login', login: 'ada', password: 'pw' });
    await waitFor(actor, (snapshot) => snapshot.matches('loggedIn'));
    expect(actor.getSnapshot().context.session?.user.id).toBe('cust-1');
  });
});
