import { assign, fromPromise, setup } from 'xstate';
import { CUSTOMER_STATES } from '../domain';
import type { CustomerStateName } from '../domain';
import type { CustomerState, CustomerUser } from '../protocol/index';
import { notProvided } from './sessionBasics';
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

/** A logged-in customer's token and account. */
export type CustomerSession = Session<CustomerUser>;

/** What the customer asked for. */
export type CustomerIntent =
  SessionIntent | { kind: 'request' } | { kind: 'end' } | { kind: 'exit' };

/** Everything the customer machine knows; the UI renders from this and the state value. */
export interface CustomerContext extends SessionContext<CustomerUser, CustomerIntent> {
  /**
   * The server's last word on this customer; `null` until the first confirmation after login.
   * A confirmation with a lower `version` never replaces it.
   */
  customerState: CustomerState | null;
}

/** Events the customer machine accepts: user intents, server pushes and connection changes. */
export type CustomerEvent =
  | SessionEvent<CustomerUser>
  | { type: 'chat.request' }
  | { type: 'chat.end' }
  | { type: 'session.exit' }
  | { type: 'server.customerState'; state: CustomerState };

const initialContext: CustomerContext = {
  ...loggedOutSession,
  customerState: null,
};

// Before the first confirmation the machine sits in `notConnected`, which is also what a fresh
// login is on the server unless another device already asked for a chat.
function shownStateName(context: CustomerContext): CustomerStateName {
  return context.customerState?.state ?? 'notConnected';
}

const customerIntentState = intentStates<CustomerIntent>();

const storeAnswer = {
  type: 'storeCustomerState',
  params: ({ event }: { event: { output: CustomerState } }) => ({ state: event.output }),
} as const;

/**
 * The customer session (R1, R3, R6, R7): the shared session part (`sessionMachine.ts`) with the
 * customer's state and intents: request a chat, end it, exit. The server is authoritative: the
 * `conversation` region only follows server-confirmed `CustomerState`s, and only the newest of
 * them: one whose `version` is lower than the held state's is ignored. Provide the actors
 * (`login`, `logout`, `requestChat`, `endChat`, `exitSession`, `syncSession`) and the client
 * actions with `.provide()`.
 */
export const customerMachine = setup({
  types: {
    context: {} as CustomerContext,
    events: {} as CustomerEvent,
  },
  actors: {
    ...sessionActors<CustomerState>(),
    /** `chat.request` ack: the customer's state after the request (R3). */
    requestChat: fromPromise<CustomerState>(notProvided('requestChat')),
    /** `chat.end` ack: the state after ending or withdrawing (R6). */
    endChat: fromPromise<CustomerState>(notProvided('endChat')),
    /** `session.exit` ack (R7): the server withdraws or ends, then logs this session out. */
    // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- see `logout`
    exitSession: fromPromise<void>(notProvided('exitSession')),
  },
  actions: {
    storeCustomerState: assign(({ context }, params: { state: CustomerState }) => ({
      customerState: isCurrentVersion(context.customerState, params.state)
        ? params.state
        : context.customerState,
    })),
  },
  guards: {
    canRequestChat: ({ context }) =>
      shownStateName(context) === 'notConnected' || shownStateName(context) === 'conversationEnded',
    canEndChat: ({ context }) =>
      shownStateName(context) === 'requestSent' || shownStateName(context) === 'inConversation',
  },
  delays: sessionDelays,
})
  .extend({
    actions: sessionActions<CustomerContext, CustomerEvent>(initialContext),
    guards: sessionGuards('customer', (context: CustomerContext) => context.customerState),
  })
  .createMachine(
    sessionMachineConfig({
      id: 'customer',
      context: initialContext,
      on: {
        // An older push is not taken at all; an ack or a sync answer that is older still ends
        // its intent or sync, but `storeCustomerState` keeps the newer state held.
        'server.customerState': {
          guard: {
            type: 'isCurrentState',
            params: ({ event }: { event: { state: CustomerState } }) => ({ state: event.state }),
          },
          actions: {
            type: 'storeCustomerState',
            params: ({ event }: { event: { state: CustomerState } }) => ({ state: event.state }),
          },
        },
      },
      conversation: serverStateRegion(CUSTOMER_STATES),
      intents: {
        on: {
          'chat.request': { guard: 'canRequestChat', target: 'requestingChat' },
          'chat.end': { guard: 'canEndChat', target: 'endingChat' },
          'session.exit': { target: 'exiting' },
        },
        states: {
          requestingChat: customerIntentState(
            { kind: 'request' },
            {
              id: 'requestChat',
              src: 'requestChat',
              onDone: { target: 'idle', actions: storeAnswer },
            },
          ),
          endingChat: customerIntentState(
            { kind: 'end' },
            { id: 'endChat', src: 'endChat', onDone: { target: 'idle', actions: storeAnswer } },
          ),
          exiting: customerIntentState(
            { kind: 'exit' },
            {
              id: 'exitSession',
              src: 'exitSession',
              onDone: { target: '#customer.loggedOut', actions: ['clearSession', 'forgetSession'] },
            },
          ),
        },
      },
      syncDone: [storeAnswer],
    }),
  );
