import { assertEvent, assign, enqueueActions, fromPromise, setup } from 'xstate';
import { AGENT_STATES } from '../domain';
import type { AgentStateName } from '../domain';
import type {
  AgentState,
  AgentUser,
  ChatMessage,
  ChatStartResult,
  CustomerInfo,
  ErrorBody,
  LoginRequest,
  LoginResponse,
  QueueSnapshot,
  SessionRevoked,
} from '../protocol/index';
import { clientAction, notProvided, reportError, reportRejection, revokedError } from './session';
import type { ConnectionStatus, LogoutInput, Session } from './session';

/** A logged-in agent's token and account. */
export type AgentSession = Session<AgentUser>;

/** Everything the agent machine knows; the console renders from this and the state value. */
export interface AgentContext {
  session: AgentSession | null;
  /**
   * The server's last word on this agent; `null` until the first confirmation after login.
   * A confirmation with a lower `version` never replaces it.
   */
  agentState: AgentState | null;
  /** The newest queue snapshot seen (R2); older versions never replace it. */
  queue: QueueSnapshot | null;
  connection: ConnectionStatus;
  /** The last failed intent or sync; cleared when the next intent starts. */
  error: ErrorBody | null;
  /** An intent (login, start, take, end, logout) is in flight; further intents are ignored. */
  busy: boolean;
}

/** Events the agent machine accepts: user intents, server pushes and connection changes. */
export type AgentEvent =
  | { type: 'auth.login'; login: string; password: string }
  /** Continue a session stored by `persistSession` (e.g. after a reload), without a new login. */
  | { type: 'auth.resume'; session: AgentSession }
  | { type: 'auth.logout' }
  /** Take the top of the queue (R4). */
  | { type: 'chat.start' }
  /** Take one specific waiting customer (R4, R5). */
  | { type: 'chat.take'; requestId: string }
  | { type: 'chat.end' }
  | { type: 'server.agentState'; state: AgentState }
  | { type: 'server.queueSnapshot'; snapshot: QueueSnapshot }
  | { type: 'server.revoked'; reason?: SessionRevoked['reason'] }
  | { type: 'connection.up' }
  | { type: 'connection.down' };

/** Params of the `showConversation` action: what the chat and Customer Info panels show. */
export interface ShowConversationParams {
  conversationId: string;
  customer: CustomerInfo | null;
  /**
   * What the customer wrote while queued, when the server sent it with the take (R4). Empty
   * when the conversation arrived by a push (R9, another console) or a re-sync: the client's
   * message store already holds or replays those.
   */
  messages: ChatMessage[];
}

/** Output of the agent's `syncSession` actor: the `session.sync` ack's `state` and `queue`. */
export interface AgentSyncResult {
  state: AgentState;
  queue: QueueSnapshot;
}

/** A server-confirmed agent state, with the take's answer when it came from one. */
interface AgentStateUpdate {
  state: AgentState;
  opening?: ChatStartResult;
}

// The actions `storeAgentState` may enqueue, spelled out: inside `setup` an action cannot have
// the machine's own action map inferred for it.
type PanelAction =
  | { type: 'clearChatPanel'; params: undefined }
  | { type: 'showConversation'; params: ShowConversationParams };

/** Input of the `takeChat` actor. */
export interface TakeChatInput {
  requestId: string;
}

/** Input of the `endChat` actor: the agent's `chat.end` names its conversation. */
export interface AgentEndChatInput {
  conversationId: string;
}

const initialContext: AgentContext = {
  session: null,
  agentState: null,
  queue: null,
  connection: 'offline',
  error: null,
  busy: false,
};

const wrongAccountError: ErrorBody = {
  code: 'forbidden',
  message: 'this account is not an agent account',
};

function shownStateName(context: AgentContext): AgentStateName {
  return context.agentState?.state ?? 'monitoring';
}

function agentSessionFrom(response: LoginResponse): AgentSession | null {
  const { user } = response;
  return user.role === 'agent'
    ? { token: response.token, expiresAt: response.expiresAt, user }
    : null;
}

/** Equal versions are accepted: the same snapshot twice changes nothing. */
function isCurrentSnapshot(held: QueueSnapshot | null, incoming: QueueSnapshot): boolean {
  return held === null || incoming.version >= held.version;
}

/**
 * Likewise for the agent's own state: a push and an ack can arrive in either order, and a state
 * older than the one held is stale. Equal versions are accepted: the same state twice.
 */
function isCurrentState(held: AgentState | null, incoming: AgentState): boolean {
  return held === null || incoming.version >= held.version;
}

// R4: a conversation is new when the server puts the agent in one it was not already showing;
// a re-sync that confirms the same conversation must not wipe the panel.
function opensConversation(
  previous: AgentState | null,
  next: AgentState,
): next is AgentState & { conversationId: string } {
  if (next.state !== 'inConversation' || next.conversationId === null) return false;
  return !(previous?.state === 'inConversation' && previous.conversationId === next.conversationId);
}

// The conversation region is a projection of `context.agentState`: every state leaves for
// whichever state the server last confirmed, so no transition can move it on the client's say-so.
function followServer(current: AgentStateName) {
  return AGENT_STATES.filter((name) => name !== current).map((name) => ({
    guard: { type: 'serverSays' as const, params: { state: name } },
    target: name,
  }));
}

/**
 * The agent console session (R1, R2, R4-R6, R9): login, watch the queue, take the top or a
 * specific customer, end the chat. The server is authoritative: the `conversation` region only
 * follows server-confirmed `AgentState`s, including a conversation opened by messaging a
 * customer (R9), which arrives as a `server.agentState` push. Like queue snapshots, a state whose
 * `version` is lower than the held state's is ignored.
 */
export const agentMachine = setup({
  types: {
    context: {} as AgentContext,
    events: {} as AgentEvent,
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
    /** `chat.start` ack; rejects with `not_found` when the queue is empty (R5). */
    startChat: fromPromise<ChatStartResult>(notProvided('startChat')),
    /** `chat.take` ack; rejects with `already_claimed` / `not_found` (R5). */
    takeChat: fromPromise<ChatStartResult, TakeChatInput>(notProvided('takeChat')),
    /** Agent `chat.end` ack (R6). */
    endChat: fromPromise<AgentState, AgentEndChatInput>(notProvided('endChat')),
    /** `session.sync` ack's `state` and `queue`, asked after every (re)connection. */
    syncSession: fromPromise<AgentSyncResult>(notProvided('syncSession')),
  },
  actions: {
    /** Client: store `context.session` so a reload can send `auth.resume`. */
    persistSession: clientAction(),
    /** Client: forget the stored session (logout, revocation). */
    clearSession: clientAction(),
    /** Client: open the socket with `context.session.token`; report `connection.up/down`. */
    openConnection: clientAction(),
    /** Client: close the socket. */
    closeConnection: clientAction(),
    /** Client: show an error (toast, banner). `context.error` holds it too. */
    notifyError: clientAction<{ error: ErrorBody }>(),
    /** Client: empty the chat panel of the previous conversation (R4), before `showConversation`. */
    clearChatPanel: clientAction(),
    /**
     * Client: show the conversation and its customer's info (R4, R9). Can come twice for one
     * conversation (push, then the take's ack of the same version with the queued messages):
     * merge by message id. An ack older than the state held shows nothing.
     */
    showConversation: clientAction<ShowConversationParams>(),
    storeSession: assign((_, params: { session: AgentSession | null }) => ({
      session: params.session,
    })),
    forgetSession: assign(() => ({ ...initialContext })),
    storeAgentState: enqueueActions<
      AgentContext,
      AgentEvent,
      AgentStateUpdate,
      AgentEvent,
      never,
      PanelAction,
      never
    >(({ context, enqueue }, params) => {
      const { state, opening } = params;
      // Older than what is held: a newer state (and its panel actions) already came, so this
      // one changes nothing, not even the take's queued messages (the newer state may be
      // another conversation, or this one ended).
      if (!isCurrentState(context.agentState, state)) return;
      enqueue.assign({ agentState: state });
      if (opensConversation(context.agentState, state)) {
        enqueue('clearChatPanel');
        enqueue({
          type: 'showConversation',
          params: {
            conversationId: state.conversationId,
            customer: opening?.customer ?? state.customer,
            messages: opening?.messages ?? [],
          },
        });
      } else if (opening) {
        // The `agent.state` push for this take beat its ack: the panel is already this
        // conversation's, so only add what the customer wrote while queued.
        enqueue({
          type: 'showConversation',
          params: {
            conversationId: opening.conversation.id,
            customer: opening.customer,
            messages: opening.messages,
          },
        });
      }
    }),
    storeQueue: assign(({ context }, params: { snapshot: QueueSnapshot }) => ({
      queue: isCurrentSnapshot(context.queue, params.snapshot) ? params.snapshot : context.queue,
    })),
    storeError: assign((_, params: { error: ErrorBody }) => ({ error: params.error })),
    startIntent: assign({ busy: true, error: null }),
    finishIntent: assign({ busy: false }),
    markConnecting: assign({ connection: 'connecting' as const }),
    markOnline: assign({ connection: 'online' as const }),
    markOffline: assign({ connection: 'offline' as const }),
  },
  guards: {
    serverSays: ({ context }, params: { state: AgentStateName }) =>
      context.agentState?.state === params.state,
    isCurrentState: ({ context }, params: { state: AgentState }) =>
      isCurrentState(context.agentState, params.state),
    isAgentAccount: (_, params: { response: LoginResponse }) =>
      agentSessionFrom(params.response) !== null,
    isCurrentSnapshot: ({ context }, params: { snapshot: QueueSnapshot }) =>
      isCurrentSnapshot(context.queue, params.snapshot),
    canStartChat: ({ context }) =>
      shownStateName(context) === 'monitoring' || shownStateName(context) === 'conversationEnded',
    canEndChat: ({ context }) =>
      context.agentState?.state === 'inConversation' && context.agentState.conversationId !== null,
  },
}).createMachine({
  id: 'agent',
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
              target: '#agent.loggedIn',
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
              return { role: 'agent' as const, login: event.login, password: event.password };
            },
            onDone: [
              {
                guard: {
                  type: 'isAgentAccount',
                  params: ({ event }) => ({ response: event.output }),
                },
                target: '#agent.loggedIn',
                actions: [
                  {
                    type: 'storeSession',
                    params: ({ event }) => ({ session: agentSessionFrom(event.output) }),
                  },
                  'persistSession',
                ],
              },
              { target: 'idle', actions: reportError(wrongAccountError) },
            ],
            onError: { target: 'idle', actions: reportRejection() },
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
        // its intent or sync, but `storeAgentState` keeps the newer state held.
        'server.agentState': {
          guard: { type: 'isCurrentState', params: ({ event }) => ({ state: event.state }) },
          actions: { type: 'storeAgentState', params: ({ event }) => ({ state: event.state }) },
        },
        'server.queueSnapshot': {
          guard: {
            type: 'isCurrentSnapshot',
            params: ({ event }) => ({ snapshot: event.snapshot }),
          },
          actions: { type: 'storeQueue', params: ({ event }) => ({ snapshot: event.snapshot }) },
        },
        'server.revoked': {
          target: 'loggedOut',
          actions: [
            'clearSession',
            'forgetSession',
            {
              type: 'storeError',
              params: ({ event }) => ({ error: revokedError(event.reason) }),
            },
          ],
        },
      },
      states: {
        conversation: {
          initial: 'monitoring',
          // Voice-call states (e.g. `inCall`) slot in here as further server-confirmed states.
          states: {
            monitoring: { always: followServer('monitoring') },
            inConversation: { always: followServer('inConversation') },
            conversationEnded: { always: followServer('conversationEnded') },
          },
        },
        intent: {
          initial: 'idle',
          states: {
            idle: {
              on: {
                'chat.start': { guard: 'canStartChat', target: 'startingChat' },
                'chat.take': { guard: 'canStartChat', target: 'takingChat' },
                'chat.end': { guard: 'canEndChat', target: 'endingChat' },
                'auth.logout': { target: 'loggingOut' },
              },
            },
            startingChat: {
              entry: 'startIntent',
              exit: 'finishIntent',
              invoke: {
                id: 'startChat',
                src: 'startChat',
                onDone: {
                  target: 'idle',
                  actions: {
                    type: 'storeAgentState',
                    params: ({ event }) => ({ state: event.output.state, opening: event.output }),
                  },
                },
                onError: { target: 'idle', actions: reportRejection() },
              },
            },
            takingChat: {
              entry: 'startIntent',
              exit: 'finishIntent',
              invoke: {
                id: 'takeChat',
                src: 'takeChat',
                input: ({ event }) => {
                  assertEvent(event, 'chat.take');
                  return { requestId: event.requestId };
                },
                onDone: {
                  target: 'idle',
                  actions: {
                    type: 'storeAgentState',
                    params: ({ event }) => ({ state: event.output.state, opening: event.output }),
                  },
                },
                onError: { target: 'idle', actions: reportRejection() },
              },
            },
            endingChat: {
              entry: 'startIntent',
              exit: 'finishIntent',
              invoke: {
                id: 'endChat',
                src: 'endChat',
                // `canEndChat` let us in only with a conversation id.
                input: ({ context }) => ({
                  conversationId: context.agentState?.conversationId ?? '',
                }),
                onDone: {
                  target: 'idle',
                  actions: {
                    type: 'storeAgentState',
                    params: ({ event }) => ({ state: event.output }),
                  },
                },
                onError: { target: 'idle', actions: reportRejection() },
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
                  target: '#agent.loggedOut',
                  actions: ['clearSession', 'forgetSession'],
                },
                onError: { target: 'idle', actions: reportRejection() },
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
                      type: 'storeAgentState',
                      params: ({ event }) => ({ state: event.output.state }),
                    },
                    {
                      type: 'storeQueue',
                      params: ({ event }) => ({ snapshot: event.output.queue }),
                    },
                    'markOnline',
                  ],
                },
                onError: { target: 'idle', actions: reportRejection() },
              },
            },
          },
        },
      },
    },
  },
});
