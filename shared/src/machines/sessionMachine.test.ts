import { createActor, fromCallback, fromPromise, waitFor } from 'xstate';
import type { AnyActorRef, AnyStateMachine, EventObject } from 'xstate';
import { describe, expect, it, vi } from 'vitest';
import { ProtocolError } from '../protocol/index';
import type { LoginRequest, LoginResponse, User } from '../protocol/index';
import { agentMachine } from './agentMachine';
import { customerMachine } from './customerMachine';
import type { Session } from './sessionBasics';
import type { ErrorNotice, OutboxCommand, OutboxInput, SessionContext } from './sessionMachine';
import {
  agentInConversation,
  agentSession,
  agentUser,
  customerSession,
  customerState,
  customerUser,
  deferred,
  loginResponse,
  monitoring,
  queueSnapshot,
} from './testFixtures';

// The session part (login, re-sync after (re)connection and its retry, the ways a session ends),
// run against both machines. Role behaviour has its own tests beside each machine.

interface SessionRole {
  id: 'agent' | 'customer';
  machine: AnyStateMachine;
  user: User;
  otherUser: User;
  session: Session;
  /** Two different `session.sync` answers, with the conversation state each one leads to. */
  synced: readonly [SyncedState, SyncedState];
  /** The role's server-confirmed state held in context. */
  held: (context: unknown) => unknown;
  /** An intent the role can start right after login, and the actor that answers it. */
  intent: { event: EventObject; actor: string };
}

interface SyncedState {
  answer: unknown;
  state: string;
}

const ROLES: SessionRole[] = [
  {
    id: 'agent',
    machine: agentMachine,
    user: agentUser,
    otherUser: customerUser,
    session: agentSession,
    synced: [
      {
        answer: { state: agentInConversation('conv-3'), queue: queueSnapshot(12, 4) },
        state: 'inConversation',
      },
      { answer: { state: monitoring, queue: queueSnapshot(13) }, state: 'monitoring' },
    ],
    held: (context) => (context as { agentState: unknown }).agentState,
    intent: { event: { type: 'chat.start' }, actor: 'startChat' },
  },
  {
    id: 'customer',
    machine: customerMachine,
    user: customerUser,
    otherUser: agentUser,
    session: customerSession,
    synced: [
      { answer: customerState('requestSent'), state: 'requestSent' },
      { answer: customerState('inConversation'), state: 'inConversation' },
    ],
    held: (context) => (context as { customerState: unknown }).customerState,
    intent: { event: { type: 'chat.request' }, actor: 'requestChat' },
  },
];

type Context = SessionContext<User, { kind: string }>;

function contextOf(actor: { getSnapshot: () => { context: unknown } }): Context {
  return actor.getSnapshot().context as Context;
}

function context(snapshot: { context: unknown }): Context {
  return snapshot.context as Context;
}

function inConversationState(
  actor: { getSnapshot: () => { matches: (value: object) => boolean } },
  state: string,
): boolean {
  return actor.getSnapshot().matches({ loggedIn: { conversation: state } });
}

const never = () => new Promise<never>(() => undefined);

describe.each(ROLES)('$id session', (role) => {
  const [first, second] = role.synced;

  it('logs in with its role, keeps the session, opens the connection and adopts the sync', async () => {
    const login = vi.fn<(args: { input: LoginRequest }) => Promise<LoginResponse>>(() =>
      Promise.resolve(loginResponse(role.user)),
    );
    const persistSession = vi.fn();
    const openConnection = vi.fn();
    const syncSession = vi.fn(() => Promise.resolve(first.answer));
    const actor = createActor(
      role.machine.provide({
        actors: { login: fromPromise(login), syncSession: fromPromise(syncSession) },
        actions: { persistSession, openConnection },
      }),
    ).start();
    actor.send({ type: 'auth.login', login: role.user.login, password: 'pw' });
    await waitFor(actor, (snapshot) => snapshot.matches('loggedIn'));
    expect(login.mock.calls[0]?.[0].input).toEqual({
      role: role.id,
      login: role.user.login,
      password: 'pw',
    });
    expect(persistSession).toHaveBeenCalledTimes(1);
    expect(openConnection).toHaveBeenCalledTimes(1);
    expect(contextOf(actor).session?.token).toBe(`token-${role.user.id}`);
    expect(contextOf(actor).connection).toBe('connecting');
    expect(role.held(contextOf(actor))).toBeNull();

    actor.send({ type: 'connection.up' });
    expect(contextOf(actor).connection).toBe('connecting');
    await waitFor(actor, (snapshot) => context(snapshot).connection === 'online');
    expect(syncSession).toHaveBeenCalledTimes(1);
    expect(inConversationState(actor, first.state)).toBe(true);
  });

  it('refuses an account of the other role', async () => {
    const notifyError = vi.fn();
    const actor = createActor(
      role.machine.provide({
        actors: { login: fromPromise(() => Promise.resolve(loginResponse(role.otherUser))) },
        actions: {
          notifyError: (_: unknown, notice: ErrorNotice<{ kind: string }>) => {
            notifyError(notice);
          },
        },
      }),
    ).start();
    actor.send({ type: 'auth.login', login: role.otherUser.login, password: 'pw' });
    await waitFor(actor, (snapshot) => !context(snapshot).busy);
    expect(actor.getSnapshot().value).toEqual({ loggedOut: 'idle' });
    expect(contextOf(actor).error?.code).toBe('forbidden');
    expect(contextOf(actor).session).toBeNull();
    expect(notifyError).toHaveBeenCalledWith({
      error: contextOf(actor).error,
      intent: { kind: 'login' },
    });
  });

  it('stays logged out with the error after a failed login', async () => {
    const notifyError = vi.fn();
    const persistSession = vi.fn();
    const actor = createActor(
      role.machine.provide({
        actors: {
          login: fromPromise(() =>
            Promise.reject(new ProtocolError('invalid_credentials', 'wrong password')),
          ),
        },
        actions: {
          notifyError: (_: unknown, notice: ErrorNotice<{ kind: string }>) => {
            notifyError(notice);
          },
          persistSession,
        },
      }),
    ).start();
    actor.send({ type: 'auth.login', login: role.user.login, password: 'wrong' });
    await waitFor(actor, (snapshot) => !context(snapshot).busy);

    expect(actor.getSnapshot().value).toEqual({ loggedOut: 'idle' });
    const error = { code: 'invalid_credentials', message: 'wrong password' };
    expect(contextOf(actor).error).toEqual(error);
    expect(contextOf(actor).session).toBeNull();
    expect(notifyError).toHaveBeenCalledWith({ error, intent: { kind: 'login' } });
    expect(persistSession).not.toHaveBeenCalled();
  });

  it('shows offline on a drop, keeps the state (not an exit, R7) and re-syncs', async () => {
    const syncSession = vi
      .fn<() => Promise<unknown>>()
      .mockResolvedValueOnce(first.answer)
      .mockResolvedValueOnce(second.answer);
    const actor = createActor(
      role.machine.provide({ actors: { syncSession: fromPromise(syncSession) } }),
    ).start();
    actor.send({ type: 'auth.resume', session: role.session });
    actor.send({ type: 'connection.up' });
    await waitFor(actor, (snapshot) => context(snapshot).connection === 'online');

    actor.send({ type: 'connection.down' });
    expect(contextOf(actor).connection).toBe('offline');
    expect(inConversationState(actor, first.state)).toBe(true);

    actor.send({ type: 'connection.up' });
    expect(contextOf(actor).connection).toBe('connecting');
    await waitFor(actor, (snapshot) => context(snapshot).connection === 'online');
    expect(syncSession).toHaveBeenCalledTimes(2);
    expect(inConversationState(actor, second.state)).toBe(true);
  });

  it.each([
    ['up, down, up', ['connection.up', 'connection.down', 'connection.up']],
    ['up, up', ['connection.up', 'connection.up']],
  ])('drops the answer of a sync overtaken by a newer connection (%s)', async (_, events) => {
    const overtaken = deferred<unknown>();
    const newer = deferred<unknown>();
    const syncSession = vi
      .fn<() => Promise<unknown>>()
      .mockReturnValueOnce(overtaken.promise)
      .mockReturnValueOnce(newer.promise);
    const actor = createActor(
      role.machine.provide({ actors: { syncSession: fromPromise(syncSession) } }),
    ).start();
    actor.send({ type: 'auth.resume', session: role.session });
    for (const type of events) actor.send({ type });

    newer.resolve(second.answer);
    await waitFor(actor, (snapshot) => context(snapshot).connection === 'online');
    overtaken.resolve(first.answer);
    await overtaken.promise;
    await Promise.resolve();

    expect(syncSession).toHaveBeenCalledTimes(2);
    expect(inConversationState(actor, second.state)).toBe(true);
  });

  it('keeps the shown state when the sync fails, and asks again after syncRetry', async () => {
    const notices: ErrorNotice<{ kind: string }>[] = [];
    const syncSession = vi
      .fn<() => Promise<unknown>>()
      .mockRejectedValueOnce(new ProtocolError('internal', 'sync failed'))
      .mockResolvedValueOnce(second.answer);
    const actor = createActor(
      role.machine.provide({
        actors: { syncSession: fromPromise(syncSession) },
        actions: {
          notifyError: (_: unknown, notice: ErrorNotice<{ kind: string }>) => {
            notices.push(notice);
          },
        },
        delays: { syncRetry: 20 },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: role.session });
    actor.send({ type: 'connection.up' });
    await waitFor(actor, (snapshot) => context(snapshot).error !== null);
    const error = { code: 'internal', message: 'sync failed' };
    expect(contextOf(actor).error).toEqual(error);
    expect(notices).toEqual([{ error, intent: null }]);
    expect(contextOf(actor).connection).toBe('connecting');
    expect(actor.getSnapshot().matches({ loggedIn: { sync: 'retrying' } })).toBe(true);

    await waitFor(actor, (snapshot) => context(snapshot).connection === 'online');
    expect(syncSession).toHaveBeenCalledTimes(2);
    expect(inConversationState(actor, second.state)).toBe(true);
  });

  it('does not retry a failed sync once the link is down, and syncs on the next connection', async () => {
    const syncSession = vi
      .fn<() => Promise<unknown>>()
      .mockRejectedValueOnce(new ProtocolError('unavailable', 'no answer'))
      .mockResolvedValueOnce(first.answer);
    const actor = createActor(
      role.machine.provide({
        actors: { syncSession: fromPromise(syncSession) },
        delays: { syncRetry: 10 },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: role.session });
    actor.send({ type: 'connection.up' });
    await waitFor(actor, (snapshot) => snapshot.matches({ loggedIn: { sync: 'retrying' } }));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    actor.send({ type: 'connection.down' });
    await vi.advanceTimersByTimeAsync(30);
    vi.useRealTimers();
    expect(syncSession).toHaveBeenCalledTimes(1);
    expect(contextOf(actor).connection).toBe('offline');

    actor.send({ type: 'connection.up' });
    await waitFor(actor, (snapshot) => context(snapshot).connection === 'online');
    expect(syncSession).toHaveBeenCalledTimes(2);
  });

  it('runs its outbox for the signed-in user: ready once synced, on hold while the link is down', async () => {
    const told: string[] = [];
    const outbox = fromCallback<OutboxCommand, OutboxInput>(({ receive, input }) => {
      told.push(`started for ${input.userId}`);
      receive((command) => told.push(command.type));
      return () => told.push('stopped');
    });
    const actor = createActor(
      role.machine.provide({
        actors: { outbox, syncSession: fromPromise(() => Promise.resolve(first.answer)) },
      }),
    ).start();
    expect(told).toEqual([]);
    actor.send({ type: 'auth.resume', session: role.session });
    actor.send({ type: 'connection.up' });
    const started = `started for ${role.session.user.id}`;
    expect(told).toEqual([started]);
    await waitFor(actor, (snapshot) => context(snapshot).connection === 'online');
    expect(told).toEqual([started, 'outbox.ready']);

    actor.send({ type: 'connection.down' });
    expect(told).toEqual([started, 'outbox.ready', 'outbox.hold']);
    actor.send({ type: 'server.revoked', reason: 'logout' });
    expect(told).toEqual([started, 'outbox.ready', 'outbox.hold', 'stopped']);
  });

  it('runs a call machine for the signed-in user while logged in, and stops it at the end', () => {
    const actor = createActor(role.machine).start();
    const callChild = (): AnyActorRef | undefined =>
      (actor.getSnapshot().children as Record<string, AnyActorRef | undefined>).call;
    expect(callChild()).toBeUndefined();
    actor.send({ type: 'auth.resume', session: role.session });
    const call = callChild();
    const snapshot = call?.getSnapshot() as { context: unknown; status: string } | undefined;
    expect(snapshot?.context).toMatchObject({
      role: role.id,
      userId: role.session.user.id,
      call: null,
    });
    actor.send({ type: 'server.revoked', reason: 'logout' });
    expect(callChild()).toBeUndefined();
    expect((call?.getSnapshot() as { status: string } | undefined)?.status).toBe('stopped');
  });

  it('goes to loggedOut on server.revoked, whatever is in flight, forgetting everything', () => {
    const calls: string[] = [];
    const actor = createActor(
      role.machine.provide({
        actors: { [role.intent.actor]: fromPromise(never) },
        actions: {
          closeConnection: () => calls.push('closeConnection'),
          clearSession: () => calls.push('clearSession'),
        },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: role.session });
    actor.send(role.intent.event);
    expect(contextOf(actor).busy).toBe(true);
    actor.send({ type: 'server.revoked', reason: 'disabled' });

    expect(actor.getSnapshot().value).toEqual({ loggedOut: 'idle' });
    expect(calls).toEqual(['closeConnection', 'clearSession']);
    expect(contextOf(actor)).toMatchObject({
      session: null,
      connection: 'offline',
      busy: false,
      intent: null,
      error: { code: 'unauthorized', message: 'session revoked (disabled)' },
    });
    expect(role.held(contextOf(actor))).toBeNull();
  });

  it('ends the session when its token expires, as if revoked', async () => {
    const clearSession = vi.fn();
    const actor = createActor(role.machine.provide({ actions: { clearSession } })).start();
    const expiresAt = new Date(Date.now() + 30).toISOString();
    actor.send({ type: 'auth.resume', session: { ...role.session, expiresAt } });
    expect(actor.getSnapshot().matches('loggedIn')).toBe(true);
    await waitFor(actor, (snapshot) => snapshot.matches('loggedOut'));
    expect(clearSession).toHaveBeenCalledTimes(1);
    expect(contextOf(actor).error).toEqual({
      code: 'unauthorized',
      message: 'session revoked (expired)',
    });
  });

  it('keeps a session whose expiry timer fired before the token expired', async () => {
    // `setTimeout` cannot wait more than about 24.8 days: the timer may end early.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const actor = createActor(role.machine.provide({ delays: { sessionExpiry: 5 } })).start();
    actor.send({ type: 'auth.resume', session: role.session });
    await vi.advanceTimersByTimeAsync(20);
    vi.useRealTimers();
    expect(actor.getSnapshot().matches('loggedIn')).toBe(true);
  });

  it('logs out with the session token and can log in again', async () => {
    const logout = vi.fn<(args: { input: { token: string } }) => Promise<void>>(() =>
      Promise.resolve(),
    );
    const clearSession = vi.fn();
    const actor = createActor(
      role.machine.provide({
        actors: {
          logout: fromPromise(logout),
          login: fromPromise(() => Promise.resolve(loginResponse(role.user))),
        },
        actions: { clearSession },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: role.session });
    actor.send({ type: 'auth.logout' });
    expect(contextOf(actor).intent).toEqual({ kind: 'logout' });
    await waitFor(actor, (snapshot) => snapshot.matches('loggedOut'));
    expect(logout.mock.calls[0]?.[0].input).toEqual({ token: role.session.token });
    expect(clearSession).toHaveBeenCalledTimes(1);
    expect(contextOf(actor).error).toBeNull();

    actor.send({ type: 'auth.login', login: role.user.login, password: 'pw' });
    await waitFor(actor, (snapshot) => snapshot.matches('loggedIn'));
    expect(contextOf(actor).session?.user.id).toBe(role.user.id);
  });

  it('stays logged in with the error when logout fails', async () => {
    const notices: ErrorNotice<{ kind: string }>[] = [];
    const actor = createActor(
      role.machine.provide({
        actors: { logout: fromPromise(() => Promise.reject(new TypeError('fetch failed'))) },
        actions: {
          notifyError: (_: unknown, notice: ErrorNotice<{ kind: string }>) => {
            notices.push(notice);
          },
        },
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: role.session });
    actor.send({ type: 'auth.logout' });
    await waitFor(actor, (snapshot) => !context(snapshot).busy);
    expect(actor.getSnapshot().matches({ loggedIn: { intent: 'idle' } })).toBe(true);
    // Anything but a protocol error is reported as `internal`, keeping its message.
    const error = { code: 'internal', message: 'fetch failed' };
    expect(notices).toEqual([{ error, intent: { kind: 'logout' } }]);
  });
});
