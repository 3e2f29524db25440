import { assign, fromCallback, fromPromise, sendTo } from 'xstate';
import type { ActorRef, EventObject, Snapshot } from 'xstate';
import type { Role } from '../domain';
import type {
  ErrorBody,
  LoginRequest,
  LoginResponse,
  SessionRevoked,
  User,
} from '../protocol/index';
import { clientAction, notProvided, revokedError, toErrorBody } from './sessionBasics';
import type { ConnectionStatus, LogoutInput, Session } from './sessionBasics';
import { callMachine, type CallInput } from './callMachine';
export { serverStateRegion } from './serverStateRegion';

// The part both roles share: login, resume, logout, revocation, token expiry, and the re-sync
// after every (re)connection, retried while the link stays up. A role machine is this part with
// its own server-confirmed state, its `conversation` region and its intents plugged in, each
// typed by the role's own `setup()`:
//   setup({ types, actors: { ...sessionActors(), <role's> }, actions: <role's>, delays: sessionDelays })
//     .extend({ actions: sessionActions(...), guards: sessionGuards(...) })
//     .createMachine(sessionMachineConfig({ id, context, on, conversation, intents, syncDone }))

/** What the user asked for; each role adds its own kinds to these two. */
export type SessionIntent = { kind: 'login' } | { kind: 'logout' };

/** What every session machine's context holds; each role adds its server-confirmed state. */
export interface SessionContext<TUser extends User, TIntent extends { kind: string }> {
  session: Session<TUser> | null;
  connection: ConnectionStatus;
  /** The last failed intent or sync; cleared when the next intent starts. */
  error: ErrorBody | null;
  /** An intent is in flight; further intents are ignored. */
  busy: boolean;
  /**
   * The intent in flight, or the last one; kept after it ends so its refusal can be explained
   * ("Dana was just taken"). Forgotten with the session.
   */
  intent: TIntent | null;
}

/** Params of `notifyError`. */
export interface ErrorNotice<TIntent> {
  error: ErrorBody;
  /** The intent that failed; `null` when the failure is the re-sync, which retries by itself. */
  intent: TIntent | null;
}

/**
 * What a session machine tells its outbox, the child actor that sends what the user wrote
 * (`actors.outbox`, provided by the app: how to send and keep messages is the client's). The
 * outbox runs while logged in and is stopped when the session ends. `outbox.ready`: connected
 * and synced, so sending now is in order with what the server has; send what waits.
 * `outbox.hold`: the link dropped; keep what waits until the next `outbox.ready`.
 */
export type OutboxCommand = { type: 'outbox.ready' } | { type: 'outbox.hold' };

/** What the outbox is started with: whose messages it sends (the signed-in user). */
export interface OutboxInput {
  userId: string;
}

/** Events every session machine accepts. */
export type SessionEvent<TUser extends User> =
  | { type: 'auth.login'; login: string; password: string }
  /** Continue a session stored by `persistSession` (e.g. after a reload), without a new login. */
  | { type: 'auth.resume'; session: Session<TUser> }
  | { type: 'auth.logout' }
  | { type: 'server.revoked'; reason?: SessionRevoked['reason'] }
  | { type: 'connection.up' }
  | { type: 'connection.down' };

/** setTimeout's limit (about 24.8 days); a token living longer is left to the server to end. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waited past the expiry: a timer may fire early by the time its event loop took before
 * scheduling it (a busy machine), and one that fires before the token expired does nothing.
 */
const EXPIRY_SLACK_MS = 250;

function untilExpiry(session: Session | null): number {
  if (session === null) return MAX_TIMER_MS;
  const remaining = Date.parse(session.expiresAt) - Date.now();
  if (Number.isNaN(remaining)) return MAX_TIMER_MS;
  return Math.min(Math.max(remaining, 0) + EXPIRY_SLACK_MS, MAX_TIMER_MS);
}

/**
 * The session's named delays; apps and tests replace them with `.provide({ delays })`.
 * `syncRetry`: wait before asking `session.sync` again after it failed on a link that stayed
 * up (a timeout, a server hiccup). `sessionExpiry`: until the token expires; the session then
 * ends as if the server had revoked it (the server would only notice at the next event).
 */
export const sessionDelays = {
  syncRetry: 2_000,
  sessionExpiry: ({ context }: { context: { session: Session | null } }) =>
    untilExpiry(context.session),
};

/** Any role's context: its session, and its own intents and server-confirmed state. */
type AnySessionContext = SessionContext<User, { kind: string }>;

/** The actors every session machine invokes; a role adds its intents' actors. */
export function sessionActors<TSyncResult>() {
  return {
    /** `POST /api/auth/login`; rejects with `{ code, message }` (e.g. `invalid_credentials`). */
    login: fromPromise<LoginResponse, LoginRequest>(notProvided('login')),
    /**
     * `POST /api/auth/logout` with the token as bearer. Resolves with nothing: typed `void` so
     * a client's `fromPromise(async ({ input }) => { ... })` fits as written.
     */
    // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
    logout: fromPromise<void, LogoutInput>(notProvided('logout')),
    /** The `session.sync` ack (the role's part of it), asked after every (re)connection. */
    syncSession: fromPromise<TSyncResult>(notProvided('syncSession')),
    /** See `OutboxCommand`. The default sends nothing: a client that never writes. */
    outbox: fromCallback<OutboxCommand, OutboxInput>(() => undefined),
    /** The voice call (`callMachine`); provide it with its own actors to place and answer calls. */
    call: callMachine,
  };
}

/**
 * The actions every session machine runs. `initialContext` is the role's whole context before
 * login: forgetting the session goes back to it. Typed by the role's own context and events:
 * an action's arguments carry the machine itself, so a base context would not fit.
 */
export function sessionActions<TContext extends AnySessionContext, TEvent extends EventObject>(
  initialContext: TContext,
) {
  type Update<TParams> = (args: unknown, params: TParams) => Partial<AnySessionContext>;
  // The session part writes its own fields (and, forgetting a session, the role's back to their
  // start), which `TContext` has whatever the role adds; TypeScript cannot see that for a generic.
  const update = <TParams = undefined>(assigner: Update<TParams>) =>
    assign<TContext, TEvent, TParams, TEvent, never>(
      assigner as (args: unknown, params: TParams) => Partial<TContext>,
    );
  const mark = (connection: ConnectionStatus) => update(() => ({ connection }));
  const tellOutbox = (command: OutboxCommand) =>
    sendTo<TContext, TEvent, undefined, ActorRef<Snapshot<unknown>, OutboxCommand>, TEvent>(
      'outbox',
      command,
    );
  return {
    /** Client: store `context.session` so a reload can send `auth.resume`. */
    persistSession: clientAction(),
    /** Client: forget the stored session (logout, exit, revocation, expiry). */
    clearSession: clientAction(),
    /** Client: open the socket with `context.session.token`; report `connection.up/down`. */
    openConnection: clientAction(),
    /** Client: close the socket. */
    closeConnection: clientAction(),
    /** Client: show an error (toast, banner). `context.error` holds it too. */
    notifyError: clientAction<ErrorNotice<NonNullable<TContext['intent']>>>(),
    storeSession: update<{ session: TContext['session'] }>((_, params) => ({
      session: params.session,
    })),
    forgetSession: update(() => initialContext),
    storeError: update<{ error: ErrorBody }>((_, params) => ({ error: params.error })),
    startIntent: update<{ intent: NonNullable<TContext['intent']> }>((_, params) => ({
      busy: true,
      error: null,
      intent: params.intent,
    })),
    finishIntent: update(() => ({ busy: false })),
    markConnecting: mark('connecting'),
    markOnline: mark('online'),
    markOffline: mark('offline'),
    readyOutbox: tellOutbox({ type: 'outbox.ready' }),
    holdOutbox: tellOutbox({ type: 'outbox.hold' }),
  };
}

/**
 * Whether a server confirmation (a state, a queue snapshot) replaces the one held: a push and
 * an ack can arrive in either order, and one older than the held one is stale. Equal versions
 * are accepted: the same confirmation twice changes nothing.
 */
export function isCurrentVersion(
  held: { version: number } | null,
  incoming: { version: number },
): boolean {
  return held === null || incoming.version >= held.version;
}

/**
 * The guards every session machine checks. `role` is the only role's accounts it logs in;
 * `heldState` is the role's server-confirmed state in context.
 */
export function sessionGuards<TContext, TState extends { version: number; state: string }>(
  role: Role,
  heldState: (context: TContext) => TState | null,
) {
  return {
    isRoleAccount: (_: unknown, params: { response: LoginResponse }) =>
      sessionFromLogin(params.response, role) !== null,
    /** The expiry timer can fire early: `setTimeout` cannot wait past `MAX_TIMER_MS`. */
    sessionExpired: ({ context }: { context: { session: Session | null } }) =>
      context.session !== null && Date.parse(context.session.expiresAt) <= Date.now(),
    serverSays: ({ context }: { context: TContext }, params: { state: TState['state'] }) =>
      heldState(context)?.state === params.state,
    isCurrentState: ({ context }: { context: TContext }, params: { state: TState }) =>
      isCurrentVersion(heldState(context), params.state),
  };
}

/** A role's account. */
export type RoleUser<TRole extends Role> = Extract<User, { role: TRole }>;

/** A login response as `role`'s session, or `null` for another role's account. */
export function sessionFromLogin<TRole extends Role>(
  response: LoginResponse,
  role: TRole,
): Session<RoleUser<TRole>> | null {
  const { user } = response;
  // The role is the union's tag: this account is `RoleUser<TRole>`.
  if (user.role !== role) return null;
  return { token: response.token, expiresAt: response.expiresAt, user: user as RoleUser<TRole> };
}

/** The session fields of a role's context before login. */
export const loggedOutSession = {
  session: null,
  connection: 'offline',
  error: null,
  busy: false,
  intent: null,
} as const satisfies AnySessionContext;

// Every failure is both kept (`context.error`, for the UI) and announced (`notifyError`, for
// the client), with the intent it ended.
function reportFailure<TArgs, TNotice extends { error: ErrorBody }>(
  notice: (args: TArgs) => TNotice,
) {
  return [
    { type: 'storeError' as const, params: (args: TArgs) => ({ error: notice(args).error }) },
    { type: 'notifyError' as const, params: notice },
  ];
}

/**
 * Reports an intent's rejected actor. `TIntent` is the context's `intent` as a whole (the role's
 * intents or `null`), so the report fits every intent state of that role.
 */
export function reportRejection<TIntent>() {
  return reportFailure(
    ({ context, event }: { context: { intent: TIntent }; event: { error: unknown } }) => ({
      error: toErrorBody(event.error),
      intent: context.intent,
    }),
  );
}

function reportIntentError<TIntent>(error: ErrorBody) {
  return reportFailure(({ context }: { context: { intent: TIntent } }) => ({
    error,
    intent: context.intent,
  }));
}

/**
 * Builds a role's intent states: `intentState(intent, invoke)` marks the machine busy with
 * `intent` (or what it makes of the event that started it) while `invoke` runs, and reports a
 * rejection, back in `idle`. `invoke` says where its answer leads. `TIntent` is the role's whole
 * intent type.
 */
export function intentStates<TIntent extends { kind: string }>() {
  return function intentState<const TInvoke extends object, TArgs = unknown>(
    intent: TIntent | ((args: TArgs) => TIntent),
    invoke: TInvoke,
  ) {
    return {
      entry: {
        type: 'startIntent' as const,
        params: (args: TArgs) => ({ intent: typeof intent === 'function' ? intent(args) : intent }),
      },
      exit: 'finishIntent' as const,
      invoke: {
        ...invoke,
        onError: { target: 'idle' as const, actions: reportRejection<TIntent | null>() },
      },
    };
  };
}

type LoginEvent = Extract<SessionEvent<User>, { type: 'auth.login' }>;

function isLogin(event: EventObject): event is LoginEvent {
  return event.type === 'auth.login';
}

const endSession = ['clearSession', 'forgetSession'] as const;

/** What a role plugs into the session: its id, its state, its regions and its sync answer. */
export interface RolePart<
  TRole extends Role,
  TContext extends AnySessionContext,
  TOn,
  TConversation,
  TIntentOn,
  TIntentStates,
  TSyncDone,
> {
  /** The machine's id and the role it logs in as; states are addressed as `#<id>.loggedIn`. */
  id: TRole;
  /** The whole context before login. */
  context: TContext;
  /** Server pushes of the role's state, handled in every logged-in state. */
  on: TOn;
  /** The role's projection of its server-confirmed state. */
  conversation: TConversation;
  /** The role's intents: how `intent.idle` starts them, and their states. */
  intents: { on: TIntentOn; states: TIntentStates };
  /** Actions that store a `session.sync` answer (`xstate.done.actor.syncSession`). */
  syncDone: TSyncDone;
}

/**
 * The config of a role's session machine: `loggedOut` (login, resume) and `loggedIn`, a parallel
 * state whose `conversation` region follows the server, `intent` runs at most one user intent
 * (the role's, and logout) and `sync` re-reads the server after each connection, again after
 * `syncRetry` when that fails while the link is up. Revocation and token expiry end the session.
 */
export function sessionMachineConfig<
  TRole extends Role,
  TContext extends AnySessionContext,
  const TOn extends object,
  const TConversation extends object,
  const TIntentOn extends object,
  const TIntentStates extends object,
  const TSyncDone extends readonly unknown[],
>(role: RolePart<TRole, TContext, TOn, TConversation, TIntentOn, TIntentStates, TSyncDone>) {
  type Intent = TContext['intent'];
  const { id } = role;
  const revoke = <TArgs>(reason: (args: TArgs) => SessionRevoked['reason'] | undefined) => [
    ...endSession,
    {
      type: 'storeError' as const,
      params: (args: TArgs) => ({ error: revokedError(reason(args)) }),
    },
  ];
  return {
    id,
    context: role.context,
    initial: 'loggedOut' as const,
    states: {
      loggedOut: {
        initial: 'idle' as const,
        states: {
          idle: {
            on: {
              'auth.login': { target: 'loggingIn' as const },
              'auth.resume': {
                target: `#${id}.loggedIn` as const,
                actions: {
                  type: 'storeSession' as const,
                  params: ({ event }: { event: { session: TContext['session'] } }) => ({
                    session: event.session,
                  }),
                },
              },
            },
          },
          loggingIn: {
            entry: { type: 'startIntent' as const, params: { intent: { kind: 'login' as const } } },
            exit: 'finishIntent' as const,
            invoke: {
              id: 'login' as const,
              src: 'login' as const,
              input: ({ event }: { event: EventObject }): LoginRequest => {
                if (!isLogin(event)) throw new Error(`login started by ${event.type}`);
                return { role: id, login: event.login, password: event.password };
              },
              onDone: [
                {
                  guard: {
                    type: 'isRoleAccount' as const,
                    params: ({ event }: { event: { output: LoginResponse } }) => ({
                      response: event.output,
                    }),
                  },
                  target: `#${id}.loggedIn` as const,
                  actions: [
                    {
                      type: 'storeSession' as const,
                      params: ({ event }: { event: { output: LoginResponse } }) => ({
                        session: sessionFromLogin(event.output, id),
                      }),
                    },
                    'persistSession' as const,
                  ],
                },
                {
                  target: 'idle' as const,
                  actions: reportIntentError<Intent>({
                    code: 'forbidden',
                    message: `this account is not ${id === 'agent' ? 'an agent' : 'a customer'} account`,
                  }),
                },
              ],
              onError: { target: 'idle' as const, actions: reportRejection<Intent>() },
            },
          },
        },
      },
      // Parallel so a push can move `conversation` while an `intent` or a `sync` is in flight.
      loggedIn: {
        type: 'parallel' as const,
        entry: ['markConnecting', 'openConnection'] as const,
        exit: 'closeConnection' as const,
        // `loggedIn` is only entered with a session.
        invoke: [
          {
            id: 'outbox' as const,
            src: 'outbox' as const,
            input: ({ context }: { context: AnySessionContext }): OutboxInput => ({
              userId: context.session?.user.id ?? '',
            }),
          },
          {
            // The app reaches it as `snapshot.children.call`: pushes and the user's asks.
            id: 'call' as const,
            src: 'call' as const,
            input: ({ context }: { context: AnySessionContext }): CallInput => ({
              role: id,
              userId: context.session?.user.id ?? '',
            }),
          },
        ],
        on: {
          ...role.on,
          'server.revoked': {
            target: 'loggedOut' as const,
            actions: revoke(
              ({ event }: { event: { reason?: SessionRevoked['reason'] } }) => event.reason,
            ),
          },
        },
        after: {
          sessionExpiry: {
            guard: 'sessionExpired' as const,
            target: 'loggedOut' as const,
            actions: revoke(() => 'expired' as const),
          },
        },
        states: {
          conversation: role.conversation,
          intent: {
            initial: 'idle' as const,
            states: {
              idle: {
                on: { ...role.intents.on, 'auth.logout': { target: 'loggingOut' as const } },
              },
              ...role.intents.states,
              loggingOut: {
                entry: {
                  type: 'startIntent' as const,
                  params: { intent: { kind: 'logout' as const } },
                },
                exit: 'finishIntent' as const,
                invoke: {
                  id: 'logout' as const,
                  src: 'logout' as const,
                  input: ({ context }: { context: { session: Session | null } }) => ({
                    token: context.session?.token ?? '',
                  }),
                  onDone: { target: `#${id}.loggedOut` as const, actions: endSession },
                  onError: { target: 'idle' as const, actions: reportRejection<Intent>() },
                },
              },
            },
          },
          sync: {
            initial: 'idle' as const,
            states: {
              idle: {
                on: {
                  'connection.up': { target: 'syncing' as const },
                  'connection.down': { actions: ['markOffline', 'holdOutbox'] as const },
                },
              },
              syncing: {
                entry: 'markConnecting' as const,
                on: {
                  // A newer connection makes the running sync's answer stale: ask again.
                  'connection.up': { target: 'syncing' as const, reenter: true },
                  'connection.down': {
                    target: 'idle' as const,
                    actions: ['markOffline', 'holdOutbox'] as const,
                  },
                },
                invoke: {
                  id: 'syncSession' as const,
                  src: 'syncSession' as const,
                  onDone: {
                    target: 'idle' as const,
                    actions: [...role.syncDone, 'markOnline' as const, 'readyOutbox' as const],
                  },
                  onError: {
                    target: 'retrying' as const,
                    actions: reportFailure(({ event }: { event: { error: unknown } }) => ({
                      error: toErrorBody(event.error),
                      intent: null,
                    })),
                  },
                },
              },
              // Still `connecting`: the shown state may be stale until a sync answers.
              retrying: {
                after: { syncRetry: { target: 'syncing' as const } },
                on: {
                  'connection.up': { target: 'syncing' as const },
                  'connection.down': {
                    target: 'idle' as const,
                    actions: ['markOffline', 'holdOutbox'] as const,
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
