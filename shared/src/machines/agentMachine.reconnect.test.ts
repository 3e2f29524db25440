import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it, vi } from 'vitest';
import type { LoginRequest, LoginResponse } from '../protocol/index';
import { agentMachine } from './agentMachine';
import type { AgentSyncResult } from './agentMachine';
import {
  agentInConversation,
  agentSession,
  agentUser,
  loginResponse,
  monitoring,
  queueSnapshot,
} from './testFixtures';

// Login, re-sync after (re)connection, and the ways a session ends.

describe('agentMachine session and re-sync', () => {
  it('logs in as an agent, opens the connection and adopts the synced state and queue', async () => {
    const login = vi.fn<(args: { input: LoginRequest }) => Promise<LoginResponse>>(() =>
      Promise.resolve(loginResponse(agentUser)),
    );
    const openConnection = vi.fn();
    const syncSession = vi.fn((): Promise<AgentSyncResult> =>
      Promise.resolve({ state: agentInConversation('conv-3'), queue: queueSnapshot(12, 4) }),
    );
    const actor = createActor(
      agentMachine.provide({
        actors: { login: fromPromise(login), syncSession: fromPromise(syncSession) },
        actions: { openConnection },
      }),
    ).start();
    actor.send({ type: 'auth.login', login: 'bob', password: 'pw' });
    await waitFor(actor, (snapshot) => snapshot.matches('loggedIn'));
    expect(login.mock.calls[0]?.[0].input).toEqual({ role: 'agent', login: 'bob', password: 'pw' });
    expect(openConnection).toHaveBeenCalledTimes(1);
    expect(actor.getSnapshot().matches({ loggedIn: { conversation: 'monitoring' } })).toBe(true);

    actor.send({ type: 'connection.up' });
    expect(actor.getSnapshot().context.connection).toBe('connecting');
    await waitFor(actor, (snapshot) => snapshot.context.connection === 'online');
    expect(actor.getSnapshot().matches({ loggedIn: { conversation: 'inConversation' } })).toBe(
      true,
    );
    expect(actor.getSnapshot().context.queue?.version).toBe(12);
  });

  it('shows offline on a drop and re-syncs to what happened meanwhile', async () => {
    const syncSession = vi
      .fn<() => Promise<AgentSyncResult>>()
      .mockResolvedValueOnce({ state: agentInConversation('conv-3'), queue: queueSnapshot(1) })
      .mockResolvedValueOnce({ state: monitoring, queue: queueSnapshot(2) });
    const actor = createActor(
      agentMachine.provide({ actors: { syncSession: fromPromise(syncSession) } }),
    ).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'connection.up' });
    await waitFor(actor, (snapshot) => snapshot.context.connection === 'online');
    actor.send({ type: 'connection.down' });
    expect(actor.getSnapshot().context.connection).toBe('offline');
    expect(actor.getSnapshot().matches({ loggedIn: { conversation: 'inConversation' } })).toBe(
      true,
    );

    actor.send({ type: 'connection.up' });
    await waitFor(actor, (snapshot) => snapshot.context.connection === 'online');
    expect(actor.getSnapshot().matches({ loggedIn: { conversation: 'monitoring' } })).toBe(true);
  });

  it('goes to loggedOut on server.revoked and forgets the session and queue', () => {
    const calls: string[] = [];
    const actor = createActor(
      agentMachine.provide({
        actions: {
          closeConnection: () => {
            calls.push('closeConnection');
          },
          clearSession: () => {
            calls.push('clearSession');
          },
        },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'server.queueSnapshot', snapshot: queueSnapshot(3) });
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-1') });
    actor.send({ type: 'server.revoked', reason: 'disabled' });

    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toEqual({ loggedOut: 'idle' });
    expect(calls).toEqual(['closeConnection', 'clearSession']);
    expect(snapshot.context).toMatchObject({
      session: null,
      agentState: null,
      queue: null,
      busy: false,
      error: { code: 'unauthorized' },
    });
  });

  it('logs out with the session token', async () => {
    const logout = vi.fn<(args: { input: { token: string } }) => Promise<void>>(() =>
      Promise.resolve(),
    );
    const clearSession = vi.fn();
    const actor = createActor(
      agentMachine.provide({ actors: { logout: fromPromise(logout) }, actions: { clearSession } }),
    ).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'auth.logout' });
    await waitFor(actor, (snapshot) => snapshot.matches('loggedOut'));
    expect(logout.mock.calls[0]?.[0].input).toEqual({ token: 'token-a' });
    expect(clearSession).toHaveBeenCalledTimes(1);
  });
});
