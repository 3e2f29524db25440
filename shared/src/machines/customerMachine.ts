import { assertEvent, assign, fromPromise, setup } from 'xstate';
import { CUSTOMER_STATES } from '../domain';
import type { CustomerStateName } from '../domain';
import type {
  CustomerState,
  CustomerUser,
  ErrorBody,
  LoginRequest,
  LoginResponse,
  SessionRevoked,
} from '../protocol/index';
import { clientAction, notProvided, reportError, reportRejection, revokedError } from './session';
import type { ConnectionStatus, LogoutInput, Session } from './session';

/** A logged-in customer's token and account. */
export type CustomerSession = Session<CustomerUser>;

/** Everything the customer machine knows; the UI renders from this and the state value. */
export interface CustomerContext {
  session: CustomerSession | null;
  /**
   * The server's last word on this customer; `null` until the first confirmation after login.
   * A confirmation with a lower `version` never replaces it.
   */
  customerState: CustomerState | null;
  connection: ConnectionStatus;
  /** The last failed intent or sync; cleared when the next intent starts. */
  error: ErrorBody | null;
  /** An intent (login, request, end, exit, logout) is in flight; further intents are ignored. */
  busy: boolean;
}

/** Events the customer machine accepts: user intents, server pushes and connection changes. */
export type CustomerEvent =
  | { type: 'auth.login'; login: string; password: string }
  /** Continue a session stored by `persistSession` (e.g. after a reload), without a new login. */
  | { type: 'auth.resume'; session: CustomerSession }
  | { type: 'auth.logout' }
  | { type: 'chat.request' }
  | { type: 'chat.end' }
  | { type: 'session.exit' }
  | { type: 'server.customerState'; state: CustomerState }
  | { type: 'server.revoked'; reason?: SessionRevoked['reason'] }
  | { type: 'connection.up' }
  | { type: 'connection.down' };

const initialContext: CustomerContext = {
  session: null,
  customerState: null,
  connection: 'offline',
  error: null,
  busy: false,
};

const wrongAccountError: ErrorBody = {
  code: 'forbidden',
  message: 'this account is not a customer account',
};

// Before the first confirmation the machine sits in `notConnected`, which is also what a fresh
// login is on the server unless another device already asked for a chat.
function shownStateName(context: CustomerContext): CustomerStateName {
  return context.customerState?.state ?? 'notConnected';
}

/**
 * A push and an ack can arrive in either order: a state older than the one held is stale.
 * Equal versions are accepted: the same state twice changes nothing (a position refresh keeps
 * the version).
 */
function isCurrentState(held: CustomerState | null, incoming: CustomerState): boolean {
  return held === null || incoming.version >= held.version;
}

function customerSessionFrom(response: LoginResponse): CustomerSession | null {
  const { user } = response;
  return user.role === 'customer'
    ? { token: response.token, expiresAt: response.expiresAt, user }
    : null;
}

// The conversation region is a projection of `context.customerState`: every state leaves for
// whichever state the server last confirmed, so no transition can move it on the client's say-so.
function followServer(current: CustomerStateName) {
  return CUSTOMER_STATES.filter((name) => name !== current).map((name) => ({
    guard: { type: 'serverSays' as const, params: { state: name } },
    target: name,
  }));
}

/**
 * The customer session (R1, R3, R6, R7): login, request a chat, end it, exit. The server is
 * authoritative: the `conversation` region only follows server-confirmed `CustomerState`s, and
 * only the newest of them: one whose `version` is lower than the held state's is ignored.
 * Provide the actors (`login`, `logout`, `requestChat`, `endChat`, `exitSession`,
 * `syncSession`) and the client actions with `.provide()`.
 */
export const customerMachine = setup({
  types: {
    context: {} as CustomerContext,
    events: {} as CustomerEvent,
  },
  actors: {
    /** `POST /api/auth/login`; rejects with `{ code, message }` (e.g. `invalid_credentials`). */
    login: fromPromise<LoginResponse, LoginRequest>(notProvided('login')),
    /**
     * `POST /api/auth/logout` with the token as bearer. Resolves with nothing: typed `void` so
     * a client's `fromPromise(async ({ input }) => { ... })` fits as written.
     */
    // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
    logout: fromPromise<void, LogoutInput>(notProvided('logout')),
    /** `chat.request` ack: the customer's state after the request (R3). */
    requestChat: fromPromise<CustomerState>(notProvided('requestChat')),
    /** `chat.end` ack: the state after ending or withdrawing (R6). */
    endChat: fromPromise<CustomerState>(notProvided('endChat')),
    /** `session.exit` ack (R7): the server withdraws or ends, then logs this session out. */
    // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- see `logout`
    exitSession: fromPromise<void>(notProvided('exitSession')),
    /** `session.sync` ack's `state`, asked after every (re)connection. */
    syncSession: fromPromise<CustomerState>(notProvided('syncSession')),
  },
  actions: {
    /** Client: store `context.session` so a reload can send `auth.resume`. */
    persistSession: clientAction(),
    /** Client: forget the stored session (logout, exit, revocation). */
    clearSession: clientAction(),
    /** Client: open the socket with `context.session.token`; report `connection.up/down`. */
    openConnection: clientAction(),
    /** Client: close the socket. */
    closeConnection: clientAction(),
    /** Client: show an error (toast, banner). `context.error` holds it too. */
    notifyError: clientAction<{ error: ErrorBody }>(),
    storeSession: assign((_, params: { session: CustomerSession | null }) => ({
      session: params.session,
    })),
    forgetSession: assign(() => ({ ...initialContext })),
    storeCustomerState: assign(({ context }, params: { state: CustomerState }) => ({
      customerState: isCurrentState(context.customerState, params.state)
        ? params.state
        : context.customerState,
    })),
    storeError: assign((_, params: { error: ErrorBody }) => ({ error: params.error })),
    startIntent: assign({ busy: true, error: null }),
    finishIntent: assign({ busy: false }),
    markConnecting: assign({ connection: 'connecting' as const }),
    markOnline: assign({ connection: 'online' as const }),
    markOffline: assign({ connection: 'offline' as const }),
  },
  guards: {
    serverSays: ({ context }, params: { state: CustomerStateName }) =>
      context.customerState?.state === params.state,
    isCurrentState: ({ context }, params: { state: CustomerState }) =>
      isCurrentState(context.customerState, params.state),
    isCustomerAccount: (_, params: { response: LoginResponse }) =>
      customerSessionFrom(params.response) !== null,
    canRequestChat: ({ context }) =>
      shownStateName(context) === 'notConnected' || shownStateName(context) === 'conversationEnded',
    canEndChat: ({ context }) =>
      shownStateName(context) === 'requestSent' || shownStateName(context) === 'inConversation',
  },
}).createMachine({
  id: 'customer',
  context: initialContext,
  initial: 'loggedOut',
  states: {
    loggedOut: {
      initial: 'idle',
      states: {
        idle: {
          on: {
            'auth.login': { target: 'loggingIn' },
            'auth.resume': {
              target: '#customer.loggedIn',
              actions: {
                type: 'storeSession',
                params: ({ event }) => ({ session: event.session }),
              },
            },
          },
        },
        loggingIn: {
          entry: 'startIntent',
          exit: 'finishIntent',
          invoke: {
            id: 'login',
            src: 'login',
            input: ({ event }) => {
              assertEvent(event, 'auth.login');
              return { role: 'customer' as const, login: event.login, password: event.password };
            },
            onDone: [
              {
                guard: {
                  type: 'isCustomerAccount',
                  params: ({ event }) => ({ response: event.output }),
                },
                target: '#customer.loggedIn',
                actions: [
                  {
                    type: 'storeSession',
                    params: ({ event }) => ({ session: customerSessionFrom(event.output) }),
                  },
                  'persistSession',
                ],
              },
              {
                target: 'idle',
                actions: reportError(wrongAccountError),
              },
            ],
            onError: {
              target: 'idle',
              actions: reportRejection(),
            },
          },
        },
      },
    },
    // Parallel so a push can move `conversation` while an `intent` or a `sync` is in flight:
    // `intent` runs at most one user intent, `sync` re-reads the server after each connection.
    loggedIn: {
      type: 'parallel',
      entry: ['markConnecting', 'openConnection'],
      exit: 'closeConnection',
      on: {
        // An older push is not taken at all; an ack or a sync answer that is older still ends
        // its intent or sync, but `storeCustomerState` keeps the newer state held.
        'server.customerState': {
          guard: { type: 'isCurrentState', params: ({ event }) => ({ state: event.state }) },
          actions: { type: 'storeCustomerState', params: ({ event }) => ({ state: event.state }) },
        },
        'server.revoked': {
          target: 'loggedOut',
          actions: [
            'clearSession',
            'forgetSession',
            { type: 'storeError', params: ({ event }) => ({ error: revokedError(event.reason) }) },
          ],
        },
      },
      states: {
        conversation: {
          initial: 'notConnected',
          // Voice-call states (e.g. `inCall`) slot in here as further server-confirmed states.
          states: {
            notConnected: { always: followServer('notConnected') },
            requestSent: { always: followServer('requestSent') },
            inConversation: { always: followServer('inConversation') },
            conversationEnded: { always: followServer('conversationEnded') },
          },
        },
        intent: {
          initial: 'idle',
          states: {
            idle: {
              on: {
                'chat.request': { guard: 'canRequestChat', target: 'requestingChat' },
                'chat.end': { guard: 'canEndChat', target: 'endingChat' },
                'session.exit': { target: 'exiting' },
                'auth.logout': { target: 'loggingOut' },
              },
            },
            requestingChat: {
              entry: 'startIntent',
              exit: 'finishIntent',
              invoke: {
                id: 'requestChat',
                src: 'requestChat',
                onDone: {
                  target: 'idle',
                  actions: {
                    type: 'storeCustomerState',
                    params: ({ event }) => ({ state: event.output }),
                  },
                },
                onError: {
                  target: 'idle',
                  actions: reportRejection(),
                },
              },
            },
            endingChat: {
              entry: 'startIntent',
              exit: 'finishIntent',
              invoke: {
                id: 'endChat',
                src: 'endChat',
                onDone: {
                  target: 'idle',
                  actions: {
                    type: 'storeCustomerState',
                    params: ({ event }) => ({ state: event.output }),
                  },
                },
                onError: {
                  target: 'idle',
                  actions: reportRejection(),
                },
              },
            },
            exiting: {
              entry: 'startIntent',
              exit: 'finishIntent',
              invoke: {
                id: 'exitSession',
                src: 'exitSession',
                onDone: {
                  target: '#customer.loggedOut',
                  actions: ['clearSession', 'forgetSession'],
                },
                onError: {
                  target: 'idle',
                  actions: reportRejection(),
                },
              },
            },
            loggingOut: {
              entry: 'startIntent',
              exit: 'finishIntent',
              invoke: {
                id: 'logout',
                src: 'logout',
                input: ({ context }) => ({ token: context.session?.token ?? '' }),
                onDone: {
                  target: '#customer.loggedOut',
                  actions: ['clearSession', 'forgetSession'],
                },
                onError: {
                  target: 'idle',
                  actions: reportRejection(),
                },
              },
            },
          },
        },
        sync: {
          initial: 'idle',
          states: {
            idle: {
              on: {
                'connection.up': { target: 'syncing' },
                'connection.down': { actions: 'markOffline' },
              },
            },
            syncing: {
              entry: 'markConnecting',
              on: {
                // A newer connection makes the running sync's answer stale: ask again.
                'connection.up': { target: 'syncing', reenter: true },
                'connection.down': { target: 'idle', actions: 'markOffline' },
              },
              invoke: {
                id: 'syncSession',
                src: 'syncSession',
                onDone: {
                  target: 'idle',
                  actions: [
                    {
                      type: 'storeCustomerState',
                      params: ({ event }) => ({ state: event.output }),
                    },
                    'markOnline',
                  ],
                },
                onError: {
                  target: 'idle',
                  actions: reportRejection(),
                },
              },
            },
          },
        },
      },
    },
  },
});
