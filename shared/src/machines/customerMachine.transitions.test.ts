import { adjacencyMapToArray, getAdjacencyMap, getShortestPaths } from '@xstate/graph';
import type { SnapshotFrom } from 'xstate';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_STATES } from '../domain';
import type { CustomerStateName } from '../domain';
import { customerMachine } from './customerMachine';
import type { CustomerEvent } from './customerMachine';
import {
  agentUser,
  customerState,
  customerUser,
  loginResponse,
  protocolError,
} from './testFixtures';

// Every (state, event) pair of the customer machine against a hand-written table: each event is
// either accepted (and lands where the table says) or ignored (the snapshot is left untouched).

type Snapshot = SnapshotFrom<typeof customerMachine>;

// XState delivers an invoked actor's answer as `xstate.done.actor.<id>` / `xstate.error.actor.<id>`;
// the graph feeds those directly. They are not part of `CustomerEvent` (the machine's public
// events), hence the casts. A success is tried in every state (outside its state it must be
// ignored). A failure is tried only while its actor runs: leaving a state stops its actor, so no
// other state can receive it, and XState treats an unhandled child failure as the machine's own.
function actorDone(id: string, output: unknown): CustomerEvent {
  return { type: `xstate.done.actor.${id}`, output } as unknown as CustomerEvent;
}
function actorFailed(id: string): CustomerEvent {
  return {
    type: `xstate.error.actor.${id}`,
    error: protocolError('internal'),
  } as unknown as CustomerEvent;
}

const session = { token: 't', expiresAt: '2030-01-01T00:00:00.000Z', user: customerUser };

const EVENTS = {
  'auth.login': { type: 'auth.login', login: 'ada', password: 'pw' },
  'auth.resume': { type: 'auth.resume', session },
  'auth.logout': { type: 'auth.logout' },
  'chat.request': { type: 'chat.request' },
  'chat.end': { type: 'chat.end' },
  'session.exit': { type: 'session.exit' },
  'push notConnected': { type: 'server.customerState', state: customerState('notConnected') },
  'push requestSent': { type: 'server.customerState', state: customerState('requestSent') },
  'push inConversation': { type: 'server.customerState', state: customerState('inConversation') },
  'push conversationEnded': {
    type: 'server.customerState',
    state: customerState('conversationEnded'),
  },
  'server.revoked': { type: 'server.revoked', reason: 'expired' },
  'connection.up': { type: 'connection.up' },
  'connection.down': { type: 'connection.down' },
  'login ok': actorDone('login', loginResponse(customerUser)),
  'login ok (agent account)': actorDone('login', loginResponse(agentUser)),
  'login failed': actorFailed('login'),
  'logout ok': actorDone('logout', undefined),
  'logout failed': actorFailed('logout'),
  'requestChat ok': actorDone('requestChat', customerState('requestSent')),
  'requestChat failed': actorFailed('requestChat'),
  'endChat ok (withdrawn)': actorDone('endChat', customerState('notConnected')),
  'endChat ok (ended)': actorDone('endChat', customerState('conversationEnded')),
  'endChat failed': actorFailed('endChat'),
  'exitSession ok': actorDone('exitSession', undefined),
  'exitSession failed': actorFailed('exitSession'),
  'sync ok notConnected': actorDone('syncSession', customerState('notConnected')),
  'sync ok requestSent': actorDone('syncSession', customerState('requestSent')),
  'sync ok inConversation': actorDone('syncSession', customerState('inConversation')),
  'sync ok conversationEnded': actorDone('syncSession', customerState('conversationEnded')),
  'sync failed': actorFailed('syncSession'),
} satisfies Record<string, CustomerEvent>;

type EventName = keyof typeof EVENTS;
const EVENT_NAMES = Object.keys(EVENTS) as EventName[];
const FAILURE_OF: Partial<Record<EventName, string>> = {
  'login failed': 'login',
  'logout failed': 'logout',
  'requestChat failed': 'requestChat',
  'endChat failed': 'endChat',
  'exitSession failed': 'exitSession',
  'sync failed': 'syncSession',
};

/** The events that can reach `snapshot`: all of them, failures only from a running actor. */
function possibleEvents(snapshot: Snapshot): EventName[] {
  return EVENT_NAMES.filter((name) => {
    const actorId = FAILURE_OF[name];
    return actorId === undefined || actorId in snapshot.children;
  });
}
const eventName = new Map<CustomerEvent, EventName>(
  EVENT_NAMES.map((name) => [EVENTS[name], name]),
);

type Intent = 'idle' | 'requestingChat' | 'endingChat' | 'exiting' | 'loggingOut';
type Sync = 'idle' | 'syncing';
const INTENTS: Intent[] = ['idle', 'requestingChat', 'endingChat', 'exiting', 'loggingOut'];
const SYNCS: Sync[] = ['idle', 'syncing'];

/** `loggedOut.idle`, `loggedOut.loggingIn`, or `<conversation>/<intent>/<sync>` when logged in. */
type Label = string;

/** What `expected` answers when the event must leave the snapshot untouched. */
const IGNORED = 'ignored';

function label(snapshot: Snapshot): Label {
  if (snapshot.matches({ loggedOut: 'idle' })) return 'loggedOut.idle';
  if (snapshot.matches({ loggedOut: 'loggingIn' })) return 'loggedOut.loggingIn';
  const regions = snapshot.value as {
    loggedIn: Record<'conversation' | 'intent' | 'sync', string>;
  };
  const { conversation, intent, sync } = regions.loggedIn;
  return `${conversation}/${intent}/${sync}`;
}

const LOGGED_IN_START: Label = 'notConnected/idle/idle';

// ---- The table ----

const LOGGED_OUT: Record<string, Partial<Record<EventName, Label>>> = {
  'loggedOut.idle': { 'auth.login': 'loggedOut.loggingIn', 'auth.resume': LOGGED_IN_START },
  'loggedOut.loggingIn': {
    'login ok': LOGGED_IN_START,
    'login ok (agent account)': 'loggedOut.idle',
    'login failed': 'loggedOut.idle',
  },
};

const REQUESTABLE: CustomerStateName[] = ['notConnected', 'conversationEnded'];
const ENDABLE: CustomerStateName[] = ['requestSent', 'inConversation'];

/** Intent region: which intents start where, and how each in-flight intent finishes. */
const INTENT_TABLE: Record<
  Intent,
  Partial<Record<EventName, { to: Intent | 'loggedOut'; onlyIn?: CustomerStateName[] }>>
> = {
  idle: {
    'chat.request': { to: 'requestingChat', onlyIn: REQUESTABLE },
    'chat.end': { to: 'endingChat', onlyIn: ENDABLE },
    'session.exit': { to: 'exiting' },
    'auth.logout': { to: 'loggingOut' },
  },
  requestingChat: { 'requestChat ok': { to: 'idle' }, 'requestChat failed': { to: 'idle' } },
  endingChat: {
    'endChat ok (withdrawn)': { to: 'idle' },
    'endChat ok (ended)': { to: 'idle' },
    'endChat failed': { to: 'idle' },
  },
  exiting: { 'exitSession ok': { to: 'loggedOut' }, 'exitSession failed': { to: 'idle' } },
  loggingOut: { 'logout ok': { to: 'loggedOut' }, 'logout failed': { to: 'idle' } },
};

const SYNC_TABLE: Record<Sync, Partial<Record<EventName, Sync>>> = {
  idle: { 'connection.up': 'syncing', 'connection.down': 'idle' },
  syncing: {
    'connection.up': 'syncing',
    'connection.down': 'idle',
    'sync ok notConnected': 'idle',
    'sync ok requestSent': 'idle',
    'sync ok inConversation': 'idle',
    'sync ok conversationEnded': 'idle',
    'sync failed': 'idle',
  },
};

/** The server-confirmed state an event carries, if it carries one. */
const CONFIRMS: Partial<Record<EventName, CustomerStateName>> = {
  'push notConnected': 'notConnected',
  'push requestSent': 'requestSent',
  'push inConversation': 'inConversation',
  'push conversationEnded': 'conversationEnded',
  'requestChat ok': 'requestSent',
  'endChat ok (withdrawn)': 'notConnected',
  'endChat ok (ended)': 'conversationEnded',
  'sync ok notConnected': 'notConnected',
  'sync ok requestSent': 'requestSent',
  'sync ok inConversation': 'inConversation',
  'sync ok conversationEnded': 'conversationEnded',
};
const PUSHES = new Set<EventName>([
  'push notConnected',
  'push requestSent',
  'push inConversation',
  'push conversationEnded',
]);

/** The label the table expects after `event` in `from`; `'ignored'` when nothing may change. */
function expected(from: Label, event: EventName): Label {
  const loggedOut = LOGGED_OUT[from];
  if (loggedOut) return loggedOut[event] ?? IGNORED;

  const [conversation, intent, sync] = from.split('/') as [CustomerStateName, Intent, Sync];
  if (event === 'server.revoked') return 'loggedOut.idle';

  const intentRule = INTENT_TABLE[intent][event];
  const intentAccepted =
    intentRule !== undefined &&
    (intentRule.onlyIn === undefined || intentRule.onlyIn.includes(conversation));
  if (intentAccepted && intentRule.to === 'loggedOut') return 'loggedOut.idle';
  const nextSync = SYNC_TABLE[sync][event];

  // A carried state counts only when a region accepted the event that carries it: a push is
  // always accepted, an actor's answer only while that actor runs.
  const confirmed = CONFIRMS[event];
  const carriedAccepted = PUSHES.has(event) || intentAccepted || nextSync !== undefined;
  if (!intentAccepted && nextSync === undefined && !PUSHES.has(event)) return IGNORED;

  const nextConversation = confirmed !== undefined && carriedAccepted ? confirmed : conversation;
  const nextIntent = intentAccepted ? (intentRule.to as Intent) : intent;
  return `${nextConversation}/${nextIntent}/${nextSync ?? sync}`;
}

const ALL_LABELS: Label[] = [
  ...Object.keys(LOGGED_OUT),
  ...CUSTOMER_STATES.flatMap((conversation) =>
    INTENTS.flatMap((intent) => SYNCS.map((sync) => `${conversation}/${intent}/${sync}`)),
  ),
];

const traversal = {
  events: (snapshot: Snapshot) => possibleEvents(snapshot).map((name) => EVENTS[name]),
  serializeState: (snapshot: Snapshot) => label(snapshot),
};

describe('customerMachine transition table', () => {
  it('reaches every state', () => {
    const paths = getShortestPaths(customerMachine, traversal);
    const reached = new Set(paths.map((path) => label(path.state)));
    expect([...reached].sort()).toEqual([...ALL_LABELS].sort());
    expect(ALL_LABELS).toHaveLength(2 + 4 * 5 * 2);
  });

  it('answers every event in every state as the table says', () => {
    const adjacency = getAdjacencyMap(customerMachine, traversal);
    const covered = new Set<string>();
    const steps = adjacencyMapToArray(adjacency);
    const triedIn = new Map<Snapshot, number>();
    for (const { state } of steps) triedIn.set(state, (triedIn.get(state) ?? 0) + 1);
    for (const [state, tried] of triedIn) {
      expect(tried, label(state)).toBe(possibleEvents(state).length);
    }
    for (const { state, event, nextState: next } of steps) {
      const from = label(state);
      const name = eventName.get(event);
      if (name === undefined) throw new Error(`unknown event ${event.type}`);
      const want = expected(from, name);
      if (want === IGNORED) {
        expect(next, `${from} + ${name} must be ignored`).toBe(state);
      } else {
        expect(label(next), `${from} + ${name}`).toBe(want);
      }
      covered.add(`${from} + ${name}`);
    }
    // Every other event in all 42 states, plus one failure per running actor: login (1), an
    // intent in flight (4 conversation states x 4 intents x 2 sync states), a sync (4 x 5).
    const failuresTried = 1 + 4 * 4 * 2 + 4 * 5;
    expect(covered.size).toBe(ALL_LABELS.length * (EVENT_NAMES.length - 6) + failuresTried);
  });

  it('keeps busy exactly while an intent is in flight', () => {
    const steps = adjacencyMapToArray(getAdjacencyMap(customerMachine, traversal));
    for (const state of new Set(steps.map((step) => step.state))) {
      const from = label(state);
      const inFlight =
        from === 'loggedOut.loggingIn' || (from.includes('/') && from.split('/')[1] !== 'idle');
      expect(state.context.busy, from).toBe(inFlight);
    }
  });
});
