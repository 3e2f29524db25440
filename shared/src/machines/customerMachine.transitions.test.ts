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
// Server-confirmed states carry versions: pushes and syncs at NEWER, the intents' acks and one
// push and one sync at OLDER, so every state is visited holding no state, an older one and a
// newer one, and an older confirmation must leave the held state alone.

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

const OLDER = 1;
const NEWER = 2;

const EVENTS = {
  'auth.login': { type: 'auth.login', login: 'ada', password: 'pw' },
  'auth.resume': { type: 'auth.resume', session },
  'auth.logout': { type: 'auth.logout' },
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
  'server.revoked': { type: 'server.revoked', reason: 'expired' },
  'connection.up': { type: 'connection.up' },
  'connection.down': { type: 'connection.down' },
  'login ok': actorDone('login', loginResponse(customerUser)),
  'login ok (agent account)': actorDone('login', loginResponse(agentUser)),
  'login failed': actorFailed('login'),
  'logout ok': actorDone('logout', undefined),
  'logout failed': actorFailed('logout'),
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
    'sync ok requestSent (older)': 'idle',
    'sync failed': 'idle',
  },
};

/** The server-confirmed state an event carries, if it carries one, and its version. */
const CONFIRMS: Partial<Record<EventName, [CustomerStateName, number]>> = {
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
};
const PUSHES = new Set<EventName>([
  'push notConnected',
  'push requestSent',
  'push inConversation',
  'push conversationEnded',
  'push inConversation (older)',
]);

/** A carried state is applied unless the held one is newer; equal versions are applied. */
function isCurrent(from: Snapshot, version: number): boolean {
  const held = from.context.customerState;
  return held === null || version >= held.version;
}

/** The label the table expects after `event` in `from`; `'ignored'` when nothing may change. */
function expected(fromSnapshot: Snapshot, event: EventName): Label {
  const from = label(fromSnapshot);
  const loggedOut = LOGGED_OUT[from];
  if (loggedOut) return loggedOut[event] ?? IGNORED;

  const [conversation, intent, sync] = from.split('/') as [CustomerStateName, Intent, Sync];
  if (event === 'server.revoked') return 'loggedOut.idle';
  const confirmed = CONFIRMS[event];
  const current = confirmed !== undefined && isCurrent(fromSnapshot, confirmed[1]);
  // Like an older queue snapshot: an older push is not taken at all.
  if (PUSHES.has(event) && !current) return IGNORED;

  const intentRule = INTENT_TABLE[intent][event];
  const intentAccepted =
    intentRule !== undefined &&
    (intentRule.onlyIn === undefined || intentRule.onlyIn.includes(conversation));
  if (intentAccepted && intentRule.to === 'loggedOut') return 'loggedOut.idle';
  const nextSync = SYNC_TABLE[sync][event];

  // A carried state counts only when a region accepted the event that carries it (a current push
  // is always accepted, an actor's answer only while that actor runs) and it is not older than
  // the held one: an older ack or sync answer still ends its intent or sync.
  const carriedAccepted = PUSHES.has(event) || intentAccepted || nextSync !== undefined;
  if (!carriedAccepted) return IGNORED;

  const nextConversation = confirmed !== undefined && current ? confirmed[0] : conversation;
  const nextIntent = intentAccepted ? (intentRule.to as Intent) : intent;
  return `${nextConversation}/${nextIntent}/${nextSync ?? sync}`;
}

/** The state object a push or an actor's answer carries. */
function carriedState(event: CustomerEvent): unknown {
  return event.type === 'server.customerState'
    ? event.state
    : (event as unknown as { output: unknown }).output;
}

/** How a confirmation relates to the held version, and what became of it (when it was taken). */
function versionOutcome(name: EventName, held: number, carried: number, taken: boolean): string {
  const relation = carried > held ? 'newer' : carried === held ? 'equal' : 'older';
  const result = !taken ? 'ignored' : carried >= held ? 'applied' : 'kept';
  return `${PUSHES.has(name) ? 'push' : 'answer'} ${relation} ${result}`;
}

const ALL_LABELS: Label[] = [
  ...Object.keys(LOGGED_OUT),
  ...CUSTOMER_STATES.flatMap((conversation) =>
    INTENTS.flatMap((intent) => SYNCS.map((sync) => `${conversation}/${intent}/${sync}`)),
  ),
];

const traversal = {
  events: (snapshot: Snapshot) => possibleEvents(snapshot).map((name) => EVENTS[name]),
  // The held version is part of the key so each state is also visited holding an OLDER and a
  // NEWER state, where an OLDER confirmation must be ignored.
  serializeState: (snapshot: Snapshot) =>
    `${label(snapshot)} v@${String(snapshot.context.customerState?.version ?? 'none')}`,
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
    const versionOutcomes = new Set<string>();
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
      const want = expected(state, name);
      // `can` agrees: an ignored event has no enabled transition (e.g. a failing version guard).
      expect(state.can(event), `${from} + ${name} can`).toBe(want !== IGNORED);
      if (want === IGNORED) {
        expect(next, `${from} + ${name} must be ignored`).toBe(state);
      } else {
        expect(label(next), `${from} + ${name}`).toBe(want);
      }
      // A confirmation that was taken leaves the carried state held when it is current, and the
      // held one (the very same object) when that one is newer.
      const confirmed = CONFIRMS[name];
      const held = state.context.customerState;
      if (confirmed !== undefined && want !== IGNORED && want !== 'loggedOut.idle') {
        const current = isCurrent(state, confirmed[1]);
        expect(next.context.customerState, `${from} + ${name} held`).toBe(
          current ? carriedState(event) : held,
        );
      }
      // An answer from an actor that is not running is ignored whatever its version.
      if (confirmed !== undefined && held !== null && (want !== IGNORED || PUSHES.has(name))) {
        versionOutcomes.add(versionOutcome(name, held.version, confirmed[1], want !== IGNORED));
      }
      covered.add(`${from} + ${name}`);
    }
    expect([...versionOutcomes].sort()).toEqual([
      'answer equal applied',
      'answer newer applied',
      'answer older kept',
      'push equal applied',
      'push newer applied',
      'push older ignored',
    ]);
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
