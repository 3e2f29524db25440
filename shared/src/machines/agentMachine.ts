import { assertEvent, assign, enqueueActions, fromPromise, setup } from 'xstate';
import { AGENT_STATES } from '../domain';
import type { AgentStatus } from '../domain';
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
  | { kind: 'end' }
  | { kind: 'status'; status: AgentStatus }
  /** `toName`: the colleague as the team list showed them; null: back to the queue. */
  | { kind: 'transfer'; toName: string | null };

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
  /** Ends one of the agent's conversations: `conversationId`, else the newest it holds. */
  | { type: 'chat.end'; conversationId?: string }
  | { type: 'agent.setStatus'; status: AgentStatus }
  /**
   * Hands a conversation (`conversationId`, else the newest held) to a colleague, or (no
   * `toAgentId`) back to the queue's front.
   */
  | { type: 'chat.transfer'; conversationId?: string; toAgentId?: string; toName?: string }
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
  /** This session's own take answered with it (the console brings it to the front). */
  taken: boolean;
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

/** Input of the `setStatus` actor. */
export interface SetStatusInput {
  status: AgentStatus;
}

/** Input of the `transferChat` actor. */
export interface TransferChatInput {
  conversationId: string;
  toAgentId?: string;
}

const initialContext: AgentContext = {
  ...loggedOutSession,
  agentState: null,
  queue: null,
};

// R4: conversations are new when the server gives the agent ones it did not hold before (a
// take, a message to a customer, a transfer); a re-sync that confirms the same ones must not
// wipe the panel.
function openedConversations(
  previous: AgentState | null,
  next: AgentState,
): AgentState['conversations'] {
  const held = new Set(previous?.conversations.map((c) => c.conversationId));
  return next.conversations.filter((c) => !held.has(c.conversationId));
}

function holds(state: AgentState | null, conversationId: string | undefined): boolean {
  return (
    conversationId !== undefined &&
    (state?.conversations.some((c) => c.conversationId === conversationId) ?? false)
  );
}

/** The conversation a `chat.end` or `chat.transfer` is for: the one it names, else the newest held. */
function conversationActedOn(context: AgentContext, event: AgentEvent): string | undefined {
  if ((event.type === 'chat.end' || event.type === 'chat.transfer') && event.conversationId) {
    return event.conversationId;
  }
  return context.agentState?.state === 'inConversation'
    ? (context.agentState.conversationId ?? undefined)
    : undefined;
}

const agentIntentState = intentStates<AgentIntent>();

// The take names the customer as the queue showed it: by the time a refusal arrives, a newer
// snapshot may no longer list them.
function takeIntent({ context, event }: { context: AgentContext; event: AgentEvent }): AgentIntent {
  assertEvent(event, 'chat.take');
  const entry = context.queue?.entries.find((queued) => queued.requestId === event.requestId);
  return { kind: 'take', requestId: event.requestId, displayName: entry?.displayName ?? null };
}

function statusIntent({ event }: { event: AgentEvent }): AgentIntent {
  assertEvent(event, 'agent.setStatus');
  return { kind: 'status', status: event.status };
}

function transferIntent({ event }: { event: AgentEvent }): AgentIntent {
  assertEvent(event, 'chat.transfer');
  return {
    kind: 'transfer',
    toName: event.toAgentId === undefined ? null : (event.toName ?? null),
  };
}

/** An ack that answers with the agent's state (end, status, transfer). */
const storeStateAnswer = {
  type: 'storeAgentState',
  params: ({ event }: { event: { output: AgentState } }) => ({ state: event.output }),
} as const;

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
    /** `agent.status` ack. */
    setStatus: fromPromise<AgentState, SetStatusInput>(notProvided('setStatus')),
    /** `chat.transfer` ack; rejects with `agent_away` / `agent_busy` / `forbidden`. */
    transferChat: fromPromise<AgentState, TransferChatInput>(notProvided('transferChat')),
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
      const opened = openedConversations(context.agentState, state);
      if (opened.length > 0) enqueue('clearChatPanel');
      for (const conversation of opened) {
        const answered = opening?.conversation.id === conversation.conversationId;
        enqueue({
          type: 'showConversation',
          params: {
            conversationId: conversation.conversationId,
            customer: answered ? opening.customer : conversation.customer,
            messages: answered ? opening.messages : [],
            taken: answered,
          },
        });
      }
      if (opening && !opened.some((c) => c.conversationId === opening.conversation.id)) {
        // The `agent.state` push for this take beat its ack: the panel is already this
        // conversation's, so only add what the customer wrote while queued.
        enqueue({
          type: 'showConversation',
          params: {
            conversationId: opening.conversation.id,
            customer: opening.customer,
            messages: opening.messages,
            taken: true,
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
    // Available, with room for another conversation (capacity 1: R4's monitoring or ended).
    canStartChat: ({ context }) => {
      const state = context.agentState;
      if (state === null) return true;
      return state.status === 'available' && state.conversations.length < state.capacity;
    },
    canEndChat: ({ context, event }) =>
      holds(context.agentState, conversationActedOn(context, event)),
    canTransfer: ({ context, event }) =>
      event.type === 'chat.transfer' &&
      holds(context.agentState, conversationActedOn(context, event)),
    isOtherStatus: ({ context, event }) =>
      event.type === 'agent.setStatus' && event.status !== (context.agentState?.status ?? null),
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
          'agent.setStatus': { guard: 'isOtherStatus', target: 'settingStatus' },
          'chat.transfer': { guard: 'canTransfer', target: 'transferringChat' },
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
              input: ({ context, event }: { context: AgentContext; event: AgentEvent }) => ({
                conversationId: conversationActedOn(context, event) ?? '',
              }),
              onDone: { target: 'idle', actions: storeStateAnswer },
            },
          ),
          settingStatus: agentIntentState(statusIntent, {
            id: 'setStatus',
            src: 'setStatus',
            input: ({ event }: { event: AgentEvent }) => {
              assertEvent(event, 'agent.setStatus');
              return { status: event.status };
            },
            onDone: { target: 'idle', actions: storeStateAnswer },
          }),
          transferringChat: agentIntentState(transferIntent, {
            id: 'transferChat',
            src: 'transferChat',
            input: ({ context, event }: { context: AgentContext; event: AgentEvent }) => {
              assertEvent(event, 'chat.transfer');
              // `canTransfer` let us in only with a conversation held.
              const conversationId = conversationActedOn(context, event) ?? '';
              return event.toAgentId === undefined
                ? { conversationId }
                : { conversationId, toAgentId: event.toAgentId };
            },
            onDone: { target: 'idle', actions: storeStateAnswer },
          }),
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
