import type { AnyMachineSnapshot } from 'xstate';
import { CUSTOMER_STATES } from '../domain';
import type { CustomerStateName } from '../domain';
import { customerMachine } from './customerMachine';
import type { CustomerContext } from './customerMachine';
import { agentUser, customerState, customerUser } from './testFixtures';
import { NEWER, OLDER, actorDone, actorFailed, describeTransitionTable } from './transitionTable';
import type { IntentRule, TableEvent } from './transitionTable';

// The customer's part of the transition table (the session part is in `transitionTable.ts`):
// its intents (request, end, exit), its state pushes and the acks that carry a state.

const EVENTS = {
  'chat.request': { type: 'chat.request' },
  'chat.end': { type: 'chat.end' },
  'session.exit': { type: 'session.exit' },
  'push notConnected': {
    type: 'server.customerState',
    state: customerState('notConnected', NEWER),
  },
  'push requestSent': { type: 'server.customerState', state: customerState('requestSent', NEWER) },
  'push inConversation': {
    type: 'server.customerState',
    state: customerState('inConversation', NEWER),
  },
  'push conversationEnded': {
    type: 'server.customerState',
    state: customerState('conversationEnded', NEWER),
  },
  'push inConversation (older)': {
    type: 'server.customerState',
    state: customerState('inConversation', OLDER),
  },
  'requestChat ok': actorDone('requestChat', customerState('requestSent', OLDER)),
  'requestChat failed': actorFailed('requestChat'),
  'endChat ok (withdrawn)': actorDone('endChat', customerState('notConnected', OLDER)),
  'endChat ok (ended)': actorDone('endChat', customerState('conversationEnded', OLDER)),
  'endChat failed': actorFailed('endChat'),
  'exitSession ok': actorDone('exitSession', undefined),
  'exitSession failed': actorFailed('exitSession'),
  'sync ok notConnected': actorDone('syncSession', customerState('notConnected', NEWER)),
  'sync ok requestSent': actorDone('syncSession', customerState('requestSent', NEWER)),
  'sync ok inConversation': actorDone('syncSession', customerState('inConversation', NEWER)),
  'sync ok conversationEnded': actorDone('syncSession', customerState('conversationEnded', NEWER)),
  'sync ok requestSent (older)': actorDone('syncSession', customerState('requestSent', OLDER)),
} satisfies Record<string, TableEvent>;

type EventName = keyof typeof EVENTS;

const REQUESTABLE: CustomerStateName[] = ['notConnected', 'conversationEnded'];
const ENDABLE: CustomerStateName[] = ['requestSent', 'inConversation'];

const INTENT_TABLE: Record<string, Partial<Record<EventName, IntentRule>>> = {
  idle: {
    'chat.request': { to: 'requestingChat', onlyIn: REQUESTABLE },
    'chat.end': { to: 'endingChat', onlyIn: ENDABLE },
    'session.exit': { to: 'exiting' },
  },
  requestingChat: { 'requestChat ok': { to: 'idle' }, 'requestChat failed': { to: 'idle' } },
  endingChat: {
    'endChat ok (withdrawn)': { to: 'idle' },
    'endChat ok (ended)': { to: 'idle' },
    'endChat failed': { to: 'idle' },
  },
  exiting: { 'exitSession ok': { to: 'loggedOut' }, 'exitSession failed': { to: 'idle' } },
};

describeTransitionTable({
  machine: customerMachine,
  id: 'customer',
  user: customerUser,
  otherUser: agentUser,
  conversationStates: CUSTOMER_STATES,
  intents: ['requestingChat', 'endingChat', 'exiting'],
  events: EVENTS,
  failures: {
    'requestChat failed': 'requestChat',
    'endChat failed': 'endChat',
    'exitSession failed': 'exitSession',
  },
  intentTable: INTENT_TABLE,
  syncAnswers: [
    'sync ok notConnected',
    'sync ok requestSent',
    'sync ok inConversation',
    'sync ok conversationEnded',
    'sync ok requestSent (older)',
  ],
  confirms: {
    'push notConnected': ['notConnected', NEWER],
    'push requestSent': ['requestSent', NEWER],
    'push inConversation': ['inConversation', NEWER],
    'push conversationEnded': ['conversationEnded', NEWER],
    'push inConversation (older)': ['inConversation', OLDER],
    'requestChat ok': ['requestSent', OLDER],
    'endChat ok (withdrawn)': ['notConnected', OLDER],
    'endChat ok (ended)': ['conversationEnded', OLDER],
    'sync ok notConnected': ['notConnected', NEWER],
    'sync ok requestSent': ['requestSent', NEWER],
    'sync ok inConversation': ['inConversation', NEWER],
    'sync ok conversationEnded': ['conversationEnded', NEWER],
    'sync ok requestSent (older)': ['requestSent', OLDER],
  },
  pushes: new Set([
    'push notConnected',
    'push requestSent',
    'push inConversation',
    'push conversationEnded',
    'push inConversation (older)',
  ]),
  held: (snapshot: AnyMachineSnapshot) => (snapshot.context as CustomerContext).customerState,
  carried: (event) => (event.type === 'server.customerState' ? event.state : event.output),
});
