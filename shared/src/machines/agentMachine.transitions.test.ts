import { adjacencyMapToArray, getAdjacencyMap, getShortestPaths } from '@xstate/graph';
import type { SnapshotFrom } from 'xstate';
import { describe, expect, it } from 'vitest';
import { AGENT_STATES } from '../domain';
import type { AgentStateName } from '../domain';
import { agentMachine } from './agentMachine';
import type { AgentEvent } from './agentMachine';
import {
  agentConversationEnded,
  agentInConversation,
  agentMonitoring,
  agentUser,
  chatStartResult,
  customerUser,
  loginResponse,
  protocolError,
  queueSnapshot,
} from './testFixtures';

// Every (state, event) pair of the agent machine against a hand-written table: each event is
// either accepted (and lands where the table says) or ignored (the snapshot is left untouched).
// Server-confirmed states carry versions: pushes and syncs at NEWER, the intents' acks and one
// push and one sync at OLDER, so every state is visited holding no state, an older one and a
// newer one, and an older confirmation must leave the held state alone.

type Snapshot = SnapshotFrom<typeof agentMachine>;

// XState delivers an invoked actor's answer as `xstate.done.actor.<id>` / `xstate.error.actor.<id>`;
// the graph feeds those directly. They are not part of `AgentEvent` (the machine's public
// events), hence the casts. A success is tried in every state (outside its state it must be
// ignored). A failure is tried only while its actor runs: leaving a state stops its actor, so no
// other state can receive it, and XState treats an unhandled child failure as the machine's own.
function actorDone(id: string, output: unknown): AgentEvent {
  return { type: `xstate.done.actor.${id}`, output } as unknown as AgentEvent;
}
function actorFailed(id: string): AgentEvent {
  return {
    type: `xstate.error.actor.${id}`,
    error: protocolError('not_found'),
  } as unknown as AgentEvent;
}

const session = { token: 't', expiresAt: '2030-01-01T00:00:00.000Z', user: agentUser };

const OLDER = 1;
const NEWER = 2;

const EVENTS = {
  'auth.login': { type: 'auth.login', login: 'bob', password: 'pw' },
  'auth.resume': { type: 'auth.resume', session },
  'auth.logout': { type: 'auth.logout' },
  'chat.start': { type: 'chat.start' },
  'chat.take': { type: 'chat.take', requestId: 'req-9' },
  'chat.end': { type: 'chat.end' },
  'push monitoring': { type: 'server.agentState', state: agentMonitoring(NEWER) },
  'push inConversation': {
    type: 'server.agentState',
    state: agentInConversation('conv-1', 'cust-1', NEWER),
  },
  'push conversationEnded': {
    type: 'server.agentState',
    state: agentConversationEnded('conv-1', 'cust-1', NEWER),
  },
  'push conversationEnded (older)': {
    type: 'server.agentState',
    state: agentConversationEnded('conv-1', 'cust-1', OLDER),
  },
  'queue v1': { type: 'server.queueSnapshot', snapshot: queueSnapshot(1) },
  'queue v2': { type: 'server.queueSnapshot', snapshot: queueSnapshot(2) },
  'server.revoked': { type: 'server.revoked', reason: 'disabled' },
  'connection.up': { type: 'connection.up' },
  'connection.down': { type: 'connection.down' },
  'login ok': actorDone('login', loginResponse(agentUser)),
  'login ok (customer account)': actorDone('login', loginResponse(customerUser)),
  'login failed': actorFailed('login'),
  'logout ok': actorDone('logout', undefined),
  'logout failed': actorFailed('logout'),
  'startChat ok': actorDone('startChat', chatStartResult('conv-2', 'cust-1', OLDER)),
  'startChat failed': actorFailed('startChat'),
  'takeChat ok': actorDone('takeChat', chatStartResult('conv-3', 'cust-1', OLDER)),
  'takeChat failed': actorFailed('takeChat'),
  'endChat ok': actorDone('endChat', agentConversationEnded('conv-1', 'cust-1', OLDER)),
  'endChat failed': actorFailed('endChat'),
  'sync ok monitoring': actorDone('syncSession', {
    state: agentMonitoring(NEWER),
    queue: queueSnapshot(3),
  }),
  'sync ok inConversation': actorDone('syncSession', {
    state: agentInConversation('conv-1', 'cust-1', NEWER),
    queue: queueSnapshot(3),
  }),
  'sync ok conversationEnded': actorDone('syncSession', {
    state: agentConversationEnded('conv-1', 'cust-1', NEWER),
    queue: queueSnapshot(3),
  }),
  'sync ok inConversation (older)': actorDone('syncSession', {
    state: agentInConversation('conv-1', 'cust-1', OLDER),
    queue: queueSnapshot(3),
  }),
  'sync failed': actorFailed('syncSession'),
} satisfies Record<string, AgentEvent>;

type EventName = keyof typeof EVENTS;
const EVENT_NAMES = Object.keys(EVENTS) as EventName[];
const eventName = new Map<AgentEvent, EventName>(EVENT_NAMES.map((name) => [EVENTS[name], name]));
const FAILURE_OF: Partial<Record<EventName, string>> = {
  'login failed': 'login',
  'logout failed': 'logout',
  'startChat failed': 'startChat',
  'takeChat failed': 'takeChat',
  'endChat failed': 'endChat',
  'sync failed': 'syncSession',
};

/** The events that can reach `snapshot`: all of them, failures only from a running actor. */
function possibleEvents(snapshot: Snapshot): EventName[] {
  return EVENT_NAMES.filter((name) => {
    const actorId = FAILURE_OF[name];
    return actorId === undefined || actorId in snapshot.children;
  });
}

type Intent = 'idle' | 'startingChat' | 'takingChat' | 'endingChat' | 'loggingOut';
type Sync = 'idle' | 'syncing';
const INTENTS: Intent[] = ['idle', 'startingChat', 'takingChat', 'endingChat', 'loggingOut'];
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

const LOGGED_IN_START: Label = 'monitoring/idle/idle';

// ---- The table ----

const LOGGED_OUT: Record<string, Partial<Record<EventName, Label>>> = {
  'loggedOut.idle': { 'auth.login': 'loggedOut.loggingIn', 'auth.resume': LOGGED_IN_START },
  'loggedOut.loggingIn': {
    'login ok': LOGGED_IN_START,
    'login ok (customer account)': 'loggedOut.idle',
    'login failed': 'loggedOut.idle',
  },
};

const CAN_TAKE: AgentStateName[] = ['monitoring', 'conversationEnded'];

/** Intent region: which intents start where, and how each in-flight intent finishes. */
const INTENT_TABLE: Record<
  Intent,
  Partial<Record<EventName, { to: Intent | 'loggedOut'; onlyIn?: AgentStateName[] }>>
> = {
  idle: {
    'chat.start': { to: 'startingChat', onlyIn: CAN_TAKE },
    'chat.take': { to: 'takingChat', onlyIn: CAN_TAKE },
    'chat.end': { to: 'endingChat', onlyIn: ['inConversation'] },
    'auth.logout': { to: 'loggingOut' },
  },
  startingChat: { 'startChat ok': { to: 'idle' }, 'startChat failed': { to: 'idle' } },
  takingChat: { 'takeChat ok': { to: 'idle' }, 'takeChat failed': { to: 'idle' } },
  endingChat: { 'endChat ok': { to: 'idle' }, 'endChat failed': { to: 'idle' } },
  loggingOut: { 'logout ok': { to: 'loggedOut' }, 'logout failed': { to: 'idle' } },
};

const SYNC_TABLE: Record<Sync, Partial<Record<EventName, Sync>>> = {
  idle: { 'connection.up': 'syncing', 'connection.down': 'idle' },
  syncing: {
    'connection.up': 'syncing',
    'connection.down': 'idle',
    'sync ok monitoring': 'idle',
    'sync ok inConversation': 'idle',
    'sync ok conversationEnded': 'idle',
    'sync ok inConversation (older)': 'idle',
    'sync failed': 'idle',
  },
};

/** The server-confirmed state an event carries, if it carries one, and its version. */
const CONFIRMS: Partial<Record<EventName, [AgentStateName, number]>> = {
  'push monitoring': ['monitoring', NEWER],
  'push inConversation': ['inConversation', NEWER],
  'push conversationEnded': ['conversationEnded', NEWER],
  'push conversationEnded (older)': ['conversationEnded', OLDER],
  'startChat ok': ['inConversation', OLDER],
  'takeChat ok': ['inConversation', OLDER],
  'endChat ok': ['conversationEnded', OLDER],
  'sync ok monitoring': ['monitoring', NEWER],
  'sync ok inConversation': ['inConversation', NEWER],
  'sync ok conversationEnded': ['conversationEnded', NEWER],
  'sync ok inConversation (older)': ['inConversation', OLDER],
};
const PUSHES = new Set<EventName>([
  'push monitoring',
  'push inConversation',
  'push conversationEnded',
  'push conversationEnded (older)',
]);

/** A carried state is applied unless the held one is newer; equal versions are applied. */
function isCurrent(from: Snapshot, version: number): boolean {
  const held = from.context.agentState;
  return held === null || version >= held.version;
}
const QUEUE_VERSION: Partial<Record<EventName, number>> = { 'queue v1': 1, 'queue v2': 2 };

/** The label the table expects after `event` in `from`; `'ignored'` when nothing may change. */
function expected(from: Snapshot, event: EventName): Label {
  const fromLabel = label(from);
  const loggedOut = LOGGED_OUT[fromLabel];
  if (loggedOut) return loggedOut[event] ?? IGNORED;

  const [conversation, intent, sync] = fromLabel.split('/') as [AgentStateName, Intent, Sync];
  if (event === 'server.revoked') return 'loggedOut.idle';
  const confirmed = CONFIRMS[event];
  const current = confirmed !== undefined && isCurrent(from, confirmed[1]);
  // Like an older queue snapshot: an older push is not taken at all.
  if (PUSHES.has(event) && !current) return IGNORED;

  // R2: a snapshot older than the one held is ignored; the same or a newer one is taken.
  const version = QUEUE_VERSION[event];
  if (version !== undefined) {
    const held = from.context.queue?.version ?? -1;
    return version >= held ? fromLabel : IGNORED;
  }

  const intentRule = INTENT_TABLE[intent][event];
  const intentAccepted =
    intentRule !== undefined &&
    (intentRule.onlyIn === undefined || intentRule.onlyIn.includes(conversation));
  if (intentAccepted && intentRule.to === 'loggedOut') return 'loggedOut.idle';
  const nextSync = SYNC_TABLE[sync][event];
  if (!intentAccepted && nextSync === undefined && !PUSHES.has(event)) return IGNORED;

  // An older ack or sync answer still ends its intent or sync, but moves nothing else.
  const nextConversation = confirmed !== undefined && current ? confirmed[0] : conversation;
  const nextIntent = intentAccepted ? (intentRule.to as Intent) : intent;
  return `${nextConversation}/${nextIntent}/${nextSync ?? sync}`;
}

/** The agent state a push or an actor's answer carries (the take's and sync's inside `state`). */
function carriedState(event: AgentEvent): unknown {
  if (event.type === 'server.agentState') return event.state;
  const { output } = event as unknown as { output: { state: unknown } };
  return typeof output.state === 'object' ? output.state : output;
}

/** How a confirmation relates to the held version, and what became of it (when it was taken). */
function versionOutcome(name: EventName, held: number, carried: number, taken: boolean): string {
  const relation = carried > held ? 'newer' : carried === held ? 'equal' : 'older';
  const result = !taken ? 'ignored' : carried >= held ? 'applied' : 'kept';
  return `${PUSHES.has(name) ? 'push' : 'answer'} ${relation} ${result}`;
}

const ALL_LABELS: Label[] = [
  ...Object.keys(LOGGED_OUT),
  ...AGENT_STATES.flatMap((conversation) =>
    INTENTS.flatMap((intent) => SYNCS.map((sync) => `${conversation}/${intent}/${sync}`)),
  ),
];

const traversal = {
  events: (snapshot: Snapshot) => possibleEvents(snapshot).map((name) => EVENTS[name]),
  // The held queue and state versions are part of the key so each state is also visited holding
  // a newer snapshot than `queue v1` and a newer state than OLDER, where those must be ignored.
  serializeState: (snapshot: Snapshot) =>
    `${label(snapshot)} queue@${String(snapshot.context.queue?.version ?? 'none')}` +
    ` v@${String(snapshot.context.agentState?.version ?? 'none')}`,
};

describe('agentMachine transition table', () => {
  it('reaches every state', () => {
    const paths = getShortestPaths(agentMachine, traversal);
    const reached = new Set(paths.map((path) => label(path.state)));
    expect([...reached].sort()).toEqual([...ALL_LABELS].sort());
    expect(ALL_LABELS).toHaveLength(2 + 3 * 5 * 2);
  });

  it('answers every event in every state as the table says', () => {
    const adjacency = getAdjacencyMap(agentMachine, traversal);
    const covered = new Set<string>();
    const queueOutcomes = new Set<string>();
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
      if (name in QUEUE_VERSION && from.includes('/')) {
        queueOutcomes.add(want === IGNORED ? 'ignored' : 'taken');
      }
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
      const held = state.context.agentState;
      if (confirmed !== undefined && want !== IGNORED && want !== 'loggedOut.idle') {
        const current = isCurrent(state, confirmed[1]);
        expect(next.context.agentState, `${from} + ${name} held`).toBe(
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
    // Every other event in all 32 states, plus one failure per running actor: login (1), an
    // intent in flight (3 conversation states x 4 intents x 2 sync states), a sync (3 x 5).
    const failuresTried = 1 + 3 * 4 * 2 + 3 * 5;
    expect([...queueOutcomes].sort()).toEqual(['ignored', 'taken']);
    expect(covered.size).toBe(ALL_LABELS.length * (EVENT_NAMES.length - 6) + failuresTried);
  });

  it('keeps busy exactly while an intent is in flight', () => {
    const steps = adjacencyMapToArray(getAdjacencyMap(agentMachine, traversal));
    for (const state of new Set(steps.map((step) => step.state))) {
      const from = label(state);
      const inFlight =
        from === 'loggedOut.loggingIn' || (from.includes('/') && from.split('/')[1] !== 'idle');
      expect(state.context.busy, from).toBe(inFlight);
    }
  });
});
