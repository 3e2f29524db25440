import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it, vi } from 'vitest';
import { customerMachine } from './customerMachine';
import { customerSession, customerState } from './testFixtures';

// Exit (R7) ends the session like a logout; revocation and logout are in the session tests.

describe('customerMachine exit', () => {
  it('goes to loggedOut after a confirmed exit (R7)', async () => {
    const calls: string[] = [];
    const exitSession = vi.fn(() => Promise.resolve());
    const actor = createActor(
      customerMachine.provide({
        actors: { exitSession: fromPromise(exitSession) },
        actions: {
          clearSession: () => calls.push('clearSession'),
          closeConnection: () => calls.push('closeConnection'),
        },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: customerSession });
    actor.send({ type: 'server.customerState', state: customerState('inConversation') });
    actor.send({ type: 'session.exit' });
    expect(actor.getSnapshot().matches('loggedIn')).toBe(true);
    expect(actor.getSnapshot().context.intent).toEqual({ kind: 'exit' });
    await waitFor(actor, (snapshot) => snapshot.matches('loggedOut'));
    expect(exitSession).toHaveBeenCalledTimes(1);
    expect(calls).toEqual(['closeConnection', 'clearSession']);
    expect(actor.getSnapshot().context.error).toBeNull();
  });
});
