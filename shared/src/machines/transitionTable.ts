// Test support (not exported from the package): checks every (state, event) pair of a session
// machine against a hand-written table. The session part of the table (login, resume, logout,
// revocation, expiry, the sync region) is written here once; each role brings its own part
// (its intents, pushes, acks and sync answers) and runs the check from its transitions test.
import { adjacencyMapToArray, getAdjacencyMap, getShortestPaths } from '@xstate/graph';
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { User } from '../protocol/index';
import { loginResponse, protocolError } from './testFixtures';

/** `loggedOut.idle`, `loggedOut.loggingIn`, or `<conversation>/<intent>/<sync>` when logged in. */
export type Label = string;

/** An event as the graph feeds it: a public event, an actor's answer or a delay's end. */
export type TableEvent = EventObject & Record<string, unknown>;

/** What the table answers when the event must leave the snapshot untouched. */
export const IGNORED = 'ignored';

// Server-confirmed states carry versions: pushes and syncs at NEWER, the intents' acks and one
// push and one sync at OLDER, so every state is visited holding no state, an older one and a
// newer one, and an older confirmation must leave the held state alone.
export const OLDER = 1;
export const NEWER = 2;

// XState delivers an invoked actor's answer as `xstate.done.actor.<id>` / `xstate.error.actor.<id>`,
// and a delay's end as `xstate.after.<delay>.<state id>`; the graph feeds those directly. A
// success is tried in every state (outside its state it must be ignored). A failure is tried
// only while its actor runs: leaving a state stops its actor, so no other state can receive it,
// and XState treats an unhandled child failure as the machine's own.
export function actorDone(id: string, output: unknown): TableEvent {
  return { type: `xstate.done.actor.${id}`, output };
}
export function actorFailed(id: string): TableEvent {
  return { type: `xstate.error.actor.${id}`, error: protocolError('internal') };
}

/** An intent's rule: where it goes, and in which conversation states it may start. */
export interface IntentRule {
  to: string;
  onlyIn?: readonly string[];
}

/** A role's part of the table. */
export interface RoleTable {
  machine: AnyStateMachine;
  /** The machine's id (`agent`, `customer`). */
  id: string;
  /** This role's account, and an account of the other role (refused at login). */
  user: User;
  otherUser: User;
  conversationStates: readonly string[];
  /** The role's intent states, besides `idle` and `loggingOut`. */
  intents: readonly string[];
  /** The role's events: intents, pushes, its actors' answers. */
  events: Record<string, TableEvent>;
  /** Role events that are an actor's failure, by the actor's id. */
  failures: Record<string, string>;
  /** The role's intent rules, by intent state (`idle` starts them). */
  intentTable: Record<string, Partial<Record<string, IntentRule>>>;
  /** Events that are a `session.sync` answer. */
  syncAnswers: readonly string[];
  /** The server-confirmed state an event carries, if it carries one, and its version. */
  confirms: Record<string, readonly [string, number]>;
  pushes: ReadonlySet<string>;
  /** The held server-confirmed state, and the state a taken confirmation holds after `event`. */
  held: (snapshot: AnyMachineSnapshot) => { version: number } | null;
  carried: (event: TableEvent) => unknown;
  /**
   * Events the role handles beside its regions (e.g. queue snapshots): what they lead to, or
   * `undefined` for the others; `key` is the context they depend on, `outcomes` what the
   * traversal must have seen of them ('taken' or 'ignored').
   */
  beside?: {
    expected: (from: AnyMachineSnapshot, event: string) => Label | undefined;
    key: (snapshot: AnyMachineSnapshot) => string;
    outcomes: readonly string[];
  };
}

const SESSION_INTENTS = ['idle', 'loggingOut'] as const;
const SYNCS = ['idle', 'syncing', 'retrying'] as const;

/** Runs the table check of `role`'s machine: the session part here, the role's from `role`. */
export function describeTransitionTable(role: RoleTable): void {
  const session = { token: 't', expiresAt: '2030-01-01T00:00:00.000Z', user: role.user };
  const expiredSession = { ...session, expiresAt: '2000-01-01T00:00:00.000Z' };
  const sessionEvents: Record<string, TableEvent> = {
    'auth.login': { type: 'auth.login', login: role.user.login, password: 'pw' },
    'auth.resume': { type: 'auth.resume', session },
    'auth.resume (expired)': { type: 'auth.resume', session: expiredSession },
    'auth.logout': { type: 'auth.logout' },
    'server.revoked': { type: 'server.revoked', reason: 'disabled' },
    'connection.up': { type: 'connection.up' },
    'connection.down': { type: 'connection.down' },
    'login ok': actorDone('login', loginResponse(role.user)),
    'login ok (other role)': actorDone('login', loginResponse(role.otherUser)),
    'login failed': actorFailed('login'),
    'logout ok': actorDone('logout', undefined),
    'logout failed': actorFailed('logout'),
    'sync failed': actorFailed('syncSession'),
    'sync retry': { type: `xstate.after.syncRetry.${role.id}.loggedIn.sync.retrying` },
    'session expiry': { type: `xstate.after.sessionExpiry.${role.id}.loggedIn` },
  };
  const events = new Map(Object.entries({ ...sessionEvents, ...role.events }));
  const eventNames = [...events.keys()];
  const eventName = new Map([...events].map(([name, event]) => [event, name]));
  const failureOf: Record<string, string> = {
    'login failed': 'login',
    'logout failed': 'logout',
    'sync failed': 'syncSession',
    ...role.failures,
  };

  /** The events that can reach `snapshot`: all of them, failures only from a running actor. */
  function possibleEvents(snapshot: AnyMachineSnapshot): string[] {
    return eventNames.filter((name) => {
      const actorId = failureOf[name];
      return actorId === undefined || actorId in snapshot.children;
    });
  }

  function label(snapshot: AnyMachineSnapshot): Label {
    if (snapshot.matches({ loggedOut: 'idle' })) return 'loggedOut.idle';
    if (snapshot.matches({ loggedOut: 'loggingIn' })) return 'loggedOut.loggingIn';
    const regions = snapshot.value as {
      loggedIn: Record<'conversation' | 'intent' | 'sync', string>;
    };
    const { conversation, intent, sync } = regions.loggedIn;
    return `${conversation}/${intent}/${sync}`;
  }

  function sessionExpired(snapshot: AnyMachineSnapshot): boolean {
    const held = (snapshot.context as { session: { expiresAt: string } | null }).session;
    return held?.expiresAt === expiredSession.expiresAt;
  }

  const loggedInStart: Label = `${role.conversationStates[0] ?? ''}/idle/idle`;
  const loggedOutTable: Record<string, Record<string, Label>> = {
    'loggedOut.idle': {
      'auth.login': 'loggedOut.loggingIn',
      'auth.resume': loggedInStart,
      'auth.resume (expired)': loggedInStart,
    },
    'loggedOut.loggingIn': {
      'login ok': loggedInStart,
      'login ok (other role)': 'loggedOut.idle',
      'login failed': 'loggedOut.idle',
    },
  };
  const intentTable: Record<string, Partial<Record<string, IntentRule>>> = {
    ...role.intentTable,
    idle: { ...role.intentTable.idle, 'auth.logout': { to: 'loggingOut' } },
    loggingOut: { 'logout ok': { to: 'loggedOut' }, 'logout failed': { to: 'idle' } },
  };
  const syncAnswers = Object.fromEntries(role.syncAnswers.map((name) => [name, 'idle']));
  const syncTable: Record<string, Record<string, string>> = {
    idle: { 'connection.up': 'syncing', 'connection.down': 'idle' },
    syncing: {
      'connection.up': 'syncing',
      'connection.down': 'idle',
      ...syncAnswers,
      'sync failed': 'retrying',
    },
    retrying: { 'connection.up': 'syncing', 'connection.down': 'idle', 'sync retry': 'syncing' },
  };
  const intents = [SESSION_INTENTS[0], ...role.intents, SESSION_INTENTS[1]];

  /** A carried state is applied unless the held one is newer; equal versions are applied. */
  function isCurrent(from: AnyMachineSnapshot, version: number): boolean {
    const held = role.held(from);
    return held === null || version >= held.version;
  }

  /** The label the table expects after `event` in `from`; `'ignored'` when nothing may change. */
  function expected(from: AnyMachineSnapshot, event: string): Label {
    const fromLabel = label(from);
    const loggedOut = loggedOutTable[fromLabel];
    if (loggedOut) return loggedOut[event] ?? IGNORED;

    const [conversation, intent, sync] = fromLabel.split('/') as [string, string, string];
    if (event === 'server.revoked') return 'loggedOut.idle';
    if (event === 'session expiry') return sessionExpired(from) ? 'loggedOut.idle' : IGNORED;
    const confirmed = role.confirms[event];
    const current = confirmed !== undefined && isCurrent(from, confirmed[1]);
    // Like an older queue snapshot: an older push is not taken at all.
    if (role.pushes.has(event) && !current) return IGNORED;
    const beside = role.beside?.expected(from, event);
    if (beside !== undefined) return beside;

    const intentRule = intentTable[intent]?.[event];
    const intentAccepted =
      intentRule !== undefined &&
      (intentRule.onlyIn === undefined || intentRule.onlyIn.includes(conversation));
    if (intentAccepted && intentRule.to === 'loggedOut') return 'loggedOut.idle';
    const nextSync = syncTable[sync]?.[event];

    // A carried state counts only when a region accepted the event that carries it (a current
    // push is always accepted, an actor's answer only while that actor runs): an older ack or
    // sync answer still ends its intent or sync, but moves nothing else.
    if (!intentAccepted && nextSync === undefined && !role.pushes.has(event)) return IGNORED;
    const nextConversation = confirmed !== undefined && current ? confirmed[0] : conversation;
    const nextIntent = intentAccepted ? intentRule.to : intent;
    return `${nextConversation}/${nextIntent}/${nextSync ?? sync}`;
  }

  /** How a confirmation relates to the held version, and what became of it (when it was taken). */
  function versionOutcome(name: string, held: number, carried: number, taken: boolean): string {
    const relation = carried > held ? 'newer' : carried === held ? 'equal' : 'older';
    const result = !taken ? 'ignored' : carried >= held ? 'applied' : 'kept';
    return `${role.pushes.has(name) ? 'push' : 'answer'} ${relation} ${result}`;
  }

  const allLabels: Label[] = [
    ...Object.keys(loggedOutTable),
    ...role.conversationStates.flatMap((conversation) =>
      intents.flatMap((intent) => SYNCS.map((sync) => `${conversation}/${intent}/${sync}`)),
    ),
  ];

  const traversal = {
    events: (snapshot: AnyMachineSnapshot) =>
      possibleEvents(snapshot).flatMap((name) => events.get(name) ?? []),
    // The held version (and whatever the role's side events depend on) is part of the key so
    // each state is also visited holding an OLDER and a NEWER state, where an OLDER confirmation
    // must be ignored; likewise with a session that has and has not expired.
    serializeState: (snapshot: AnyMachineSnapshot) =>
      `${label(snapshot)} v@${String(role.held(snapshot)?.version ?? 'none')}` +
      ` ${role.beside?.key(snapshot) ?? ''} expired@${String(sessionExpired(snapshot))}`,
  };

  describe(`${role.id}Machine transition table`, () => {
    it('reaches every state', () => {
      const paths = getShortestPaths(role.machine, traversal);
      const reached = new Set(paths.map((path) => label(path.state)));
      expect([...reached].sort()).toEqual([...allLabels].sort());
      expect(allLabels).toHaveLength(2 + role.conversationStates.length * intents.length * 3);
    });

    it('answers every event in every state as the table says', () => {
      const steps = adjacencyMapToArray(getAdjacencyMap(role.machine, traversal));
      const covered = new Set<string>();
      const besideOutcomes = new Set<string>();
      const versionOutcomes = new Set<string>();
      const triedIn = new Map<AnyMachineSnapshot, number>();
      for (const { state } of steps) triedIn.set(state, (triedIn.get(state) ?? 0) + 1);
      for (const [state, tried] of triedIn) {
        expect(tried, label(state)).toBe(possibleEvents(state).length);
      }
      for (const step of steps) {
        const { state, nextState: next } = step;
        const event = step.event as TableEvent;
        const from = label(state);
        const name = eventName.get(event);
        if (name === undefined) throw new Error(`unknown event ${event.type}`);
        const want = expected(state, name);
        if (from.includes('/') && role.beside?.expected(state, name) !== undefined) {
          besideOutcomes.add(want === IGNORED ? 'ignored' : 'taken');
        }
        // `can` agrees: an ignored event has no enabled transition (e.g. a failing version guard).
        expect(state.can(event), `${from} + ${name} can`).toBe(want !== IGNORED);
        if (want === IGNORED) {
          expect(next, `${from} + ${name} must be ignored`).toBe(state);
        } else {
          expect(label(next), `${from} + ${name}`).toBe(want);
        }
        // A confirmation that was taken leaves the carried state held when it is current, and
        // the held one (the very same object) when that one is newer.
        const confirmed = role.confirms[name];
        const held = role.held(state);
        if (confirmed !== undefined && want !== IGNORED && want !== 'loggedOut.idle') {
          const current = isCurrent(state, confirmed[1]);
          expect(role.held(next), `${from} + ${name} held`).toBe(
            current ? role.carried(event) : held,
          );
        }
        // An answer from an actor that is not running is ignored whatever its version.
        if (
          confirmed !== undefined &&
          held !== null &&
          (want !== IGNORED || role.pushes.has(name))
        ) {
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
      expect([...besideOutcomes].sort()).toEqual([...(role.beside?.outcomes ?? [])].sort());
      // Every other event in every state, plus one failure per running actor: login (1), an
      // intent in flight (each conversation state x each intent but idle x each sync state), a
      // sync (each conversation state x each intent state).
      const conversations = role.conversationStates.length;
      const failuresTried =
        1 + conversations * (intents.length - 1) * SYNCS.length + conversations * intents.length;
      const failures = Object.keys(failureOf).length;
      expect(covered.size).toBe(allLabels.length * (eventNames.length - failures) + failuresTried);
    });

    it('keeps busy exactly while an intent is in flight', () => {
      const steps = adjacencyMapToArray(getAdjacencyMap(role.machine, traversal));
      for (const state of new Set(steps.map((step) => step.state))) {
        const from = label(state);
        const inFlight =
          from === 'loggedOut.loggingIn' || (from.includes('/') && from.split('/')[1] !== 'idle');
        expect((state.context as { busy: boolean }).busy, from).toBe(inFlight);
      }
    });
  });
}
