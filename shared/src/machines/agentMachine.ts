import { assertEvent, assign, enqueueActions, fromPromise, setup } from 'xstate';
import { AGENT_STATES } from '../domain';
import type { AgentStateName } from '../domain';
import type {
  AgentState,
  AgentUser,
  ChatMessage,
  ChatStartResult,
  CustomerInfo,
  QueueSnapshot,
} from '../protocol/index';
import { clientAction, notProvided } from './sessionBasics';
import type { Session } from './sessionBasics';
import {
  intentStates,
  isCurrentVersion,
  sessionActions,
  sessionActors,
  sessionDelays,
  loggedOutSession,
  sessionGuards,
  sessionMachineConfig,
  serverStateRegion,
} from './sessionMachine';
import type { SessionContext, SessionEvent, SessionIntent } from './sessionMachine';

/** A logged-in agent's token and account. */
export type AgentSession = Session<AgentUser>;

/** What the agent asked for; a refusal is explained in its terms ("Dana was just taken"). */
export type AgentIntent =
  | SessionIntent
  | { kind: 'start' }
  /** `displayName` as the queue showed it when the agent picked the customer. */
  | { kind: 'take'; requestId: string; displayName: string | null }
  | { kind: 'end' };

/** Everything the agent machine knows; the console renders from this and the state value. */
export interface AgentContext extends SessionContext<AgentUser, AgentIntent> {
  /**
   * The server's last word on this agent; `null` until the first confirmation after login.
   * A confirmation with a lower `version` never replaces it.
   */
  agentState: AgentState | null;
  /** The newest queue snapshot seen (R2); older versions never replace it. */
  queue: QueueSnapshot | null;
}

/** Events the agent machine accepts: user intents, server pushes and connection changes. */
export type AgentEvent =
  | SessionEvent<AgentUser>
  /** Take the top of the queue (R4). */
  | { type: 'chat.start' }
  /** Take one specific waiting customer (R4, R5). */
  | { type: 'chat.take'; requestId: string }
  | { type: 'chat.end' }
  | { type: 'server.agentState'; state: AgentState }
  | { type: 'server.queueSnapshot'; snapshot: QueueSnapshot };

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
  ...loggedOutSession,
  agentState: null,
  queue: null,
};

function shownStateName(context: AgentContext): AgentStateName {
  return context.agentState?.state ?? 'monitoring';
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

const agentIntentState = intentStates<AgentIntent>();

// The take names the customer as the queue showed it: by the time a refusal arrives, a newer
// snapshot may no longer list them.
function takeIntent({ context, event }: { context: AgentContext; event: AgentEvent }): AgentIntent {
  assertEvent(event, 'chat.take');
  const entry = context.queue?.entries.find((queued) => queued.requestId === event.requestId);
  return { kind: 'take', requestId: event.requestId, displayName: entry?.displayName ?? null };
}

const storeTakeAnswer = {
  type: 'storeAgentState',
  params: ({ event }: { event: { output: ChatStartResult } }) => ({
    state: event.output.state,
    opening: event.output,
  }),
} as const;

/**
 * The agent console session (R1, R2, R4-R6, R9): the shared session part (`sessionMachine.ts`)
 * with the agent's state and intents: watch the queue, take the top or a specific customer, end
 * the chat. The server is authoritative: the `conversation` region only follows
 * server-confirmed `AgentState`s, including a conversation opened by messaging a customer (R9),
 * which arrives as a `server.agentState` push. Like queue snapshots, a state whose `version` is
 * lower than the held state's is ignored.
 */
export const agentMachine = setup({
  types: {
    context: {} as AgentContext,
    events: {} as AgentEvent,
  },
  actors: {
    ...sessionActors<AgentSyncResult>(),
    /** `chat.start` ack; rejects with `not_found` when the queue is empty (R5). */
    startChat: fromPromise<ChatStartResult>(notProvided('startChat')),
    /** `chat.take` ack; rejects with `already_claimed` / `not_found` (R5). */
    takeChat: fromPromise<ChatStartResult, TakeChatInput>(notProvided('takeChat')),
    /** Agent `chat.end` ack (R6). */
    endChat: fromPromise<AgentState, AgentEndChatInput>(notProvided('endChat')),
  },
  actions: {
    /** Client: empty the chat panel of the previous conversation (R4), before `showConversation`. */
    clearChatPanel: clientAction(),
    /**
     * Client: show the conversation and its customer's info (R4, R9). Can come twice for one
     * conversation (push, then the take's ack of the same version with the queued messages):
     * merge by message id. An ack older than the state held shows nothing.
     */
    showConversation: clientAction<ShowConversationParams>(),
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
      if (!isCurrentVersion(context.agentState, state)) return;
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
      queue: isCurrentVersion(context.queue, params.snapshot) ? params.snapshot : context.queue,
    })),
  },
  guards: {
    isCurrentSnapshot: ({ context }, params: { snapshot: QueueSnapshot }) =>
      isCurrentVersion(context.queue, params.snapshot),
    canStartChat: ({ context }) =>
      shownStateName(context) === 'monitoring' || shownStateName(context) === 'conversationEnded',
    canEndChat: ({ context }) =>
      context.agentState?.state === 'inConversation' && context.agentState.conversationId !== null,
  },
  delays: sessionDelays,
})
  .extend({
    actions: sessionActions<AgentContext, AgentEvent>(initialContext),
    guards: sessionGuards('agent', (context: AgentContext) => context.agentState),
  })
  .createMachine(
    sessionMachineConfig({
      id: 'agent',
      context: initialContext,
      on: {
        // An older push is not taken at all; an ack or a sync answer that is older still ends
        // its intent or sync, but `storeAgentState` keeps the newer state held.
        'server.agentState': {
          guard: {
            type: 'isCurrentState',
            params: ({ event }: { event: { state: AgentState } }) => ({ state: event.state }),
          },
          actions: {
            type: 'storeAgentState',
            params: ({ event }: { event: { state: AgentState } }) => ({ state: event.state }),
          },
        },
        'server.queueSnapshot': {
          guard: {
            type: 'isCurrentSnapshot',
            params: ({ event }: { event: { snapshot: QueueSnapshot } }) => ({
              snapshot: event.snapshot,
            }),
          },
          actions: {
            type: 'storeQueue',
            params: ({ event }: { event: { snapshot: QueueSnapshot } }) => ({
              snapshot: event.snapshot,
            }),
          },
        },
      },
      conversation: serverStateRegion(AGENT_STATES),
      intents: {
        on: {
          'chat.start': { guard: 'canStartChat', target: 'startingChat' },
          'chat.take': { guard: 'canStartChat', target: 'takingChat' },
          'chat.end': { guard: 'canEndChat', target: 'endingChat' },
        },
        states: {
          startingChat: agentIntentState(
            { kind: 'start' },
            {
              id: 'startChat',
              src: 'startChat',
              onDone: { target: 'idle', actions: storeTakeAnswer },
            },
          ),
          takingChat: agentIntentState(takeIntent, {
            id: 'takeChat',
            src: 'takeChat',
            input: ({ event }: { event: AgentEvent }) => {
              assertEvent(event, 'chat.take');
              return { requestId: event.requestId };
            },
            onDone: { target: 'idle', actions: storeTakeAnswer },
          }),
          endingChat: agentIntentState(
            { kind: 'end' },
            {
              id: 'endChat',
              src: 'endChat',
              // `canEndChat` let us in only with a conversation id.
              input: ({ context }: { context: AgentContext }) => ({
                conversationId: context.agentState?.conversationId ?? '',
              }),
              onDone: {
                target: 'idle',
                actions: {
                  type: 'storeAgentState',
                  params: ({ event }: { event: { output: AgentState } }) => ({
                    state: event.output,
                  }),
                },
              },
            },
          ),
        },
      },
      syncDone: [
        {
          type: 'storeAgentState',
          params: ({ event }: { event: { output: AgentSyncResult } }) => ({
            state: event.output.state,
          }),
        },
        {
          type: 'storeQueue',
          params: ({ event }: { event: { output: AgentSyncResult } }) => ({
            snapshot: event.output.queue,
          }),
        },
      ],
    }),
  );
