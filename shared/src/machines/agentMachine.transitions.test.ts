import type { AnyMachineSnapshot } from 'xstate';
import { AGENT_STATES } from '../domain';
import type { AgentStateName } from '../domain';
import { agentMachine } from './agentMachine';
import type { AgentContext } from './agentMachine';
import {
  agentConversationEnded,
  agentInConversation,
  agentMonitoring,
  agentUser,
  chatStartResult,
  customerUser,
  queueSnapshot,
} from './testFixtures';
import {
  IGNORED,
  NEWER,
  OLDER,
  actorDone,
  actorFailed,
  describeTransitionTable,
} from './transitionTable';
import type { IntentRule, TableEvent } from './transitionTable';

// The agent's part of the transition table (the session part is in `transitionTable.ts`): its
// intents, its state pushes and acks, and queue snapshots, which every logged-in state takes
// unless they are older than the one held (R2).

const EVENTS = {
  'chat.start': { type: 'chat.start' },
  'chat.take': { type: 'chat.take', requestId: 'req-9' },
  'chat.end': { type: 'chat.end' },
  'agent.setStatus away': { type: 'agent.setStatus', status: 'away' },
  'chat.transfer': { type: 'chat.transfer', toAgentId: 'agent-2', toName: 'Bo' },
  'chat.transfer to queue': { type: 'chat.transfer' },
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
  'startChat ok': actorDone('startChat', chatStartResult('conv-2', 'cust-1', OLDER)),
  'startChat failed': actorFailed('startChat'),
  'takeChat ok': actorDone('takeChat', chatStartResult('conv-3', 'cust-1', OLDER)),
  'takeChat failed': actorFailed('takeChat'),
  'endChat ok': actorDone('endChat', agentConversationEnded('conv-1', 'cust-1', OLDER)),
  'endChat failed': actorFailed('endChat'),
  // The table is about conversation states, so every held state is of an available agent (the
  // ack of a switch back); what Away and capacity change is in agentMachine.shift.test.ts.
  'setStatus ok': actorDone('setStatus', agentMonitoring(OLDER)),
  'setStatus failed': actorFailed('setStatus'),
  'transferChat ok': actorDone('transferChat', agentMonitoring(OLDER)),
  'transferChat failed': actorFailed('transferChat'),
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
} satisfies Record<string, TableEvent>;

type EventName = keyof typeof EVENTS;

const CAN_TAKE: AgentStateName[] = ['monitoring', 'conversationEnded'];

const INTENT_TABLE: Record<string, Partial<Record<EventName, IntentRule>>> = {
  idle: {
    'chat.start': { to: 'startingChat', onlyIn: CAN_TAKE },
    'chat.take': { to: 'takingChat', onlyIn: CAN_TAKE },
    'chat.end': { to: 'endingChat', onlyIn: ['inConversation'] },
    // Every state holds an available agent here: Away is another status in each.
    'agent.setStatus away': { to: 'settingStatus' },
    'chat.transfer': { to: 'transferringChat', onlyIn: ['inConversation'] },
    'chat.transfer to queue': { to: 'transferringChat', onlyIn: ['inConversation'] },
  },
  startingChat: { 'startChat ok': { to: 'idle' }, 'startChat failed': { to: 'idle' } },
  takingChat: { 'takeChat ok': { to: 'idle' }, 'takeChat failed': { to: 'idle' } },
  endingChat: { 'endChat ok': { to: 'idle' }, 'endChat failed': { to: 'idle' } },
  settingStatus: { 'setStatus ok': { to: 'idle' }, 'setStatus failed': { to: 'idle' } },
  transferringChat: { 'transferChat ok': { to: 'idle' }, 'transferChat failed': { to: 'idle' } },
};

const QUEUE_VERSION: Partial<Record<string, number>> = { 'queue v1': 1, 'queue v2': 2 };

function context(snapshot: AnyMachineSnapshot): AgentContext {
  return snapshot.context as AgentContext;
}

describeTransitionTable({
  machine: agentMachine,
  id: 'agent',
  user: agentUser,
  otherUser: customerUser,
  conversationStates: AGENT_STATES,
  intents: ['startingChat', 'takingChat', 'endingChat', 'settingStatus', 'transferringChat'],
  events: EVENTS,
  failures: {
    'startChat failed': 'startChat',
    'takeChat failed': 'takeChat',
    'endChat failed': 'endChat',
    'setStatus failed': 'setStatus',
    'transferChat failed': 'transferChat',
  },
  intentTable: INTENT_TABLE,
  syncAnswers: [
    'sync ok monitoring',
    'sync ok inConversation',
    'sync ok conversationEnded',
    'sync ok inConversation (older)',
  ],
  confirms: {
    'push monitoring': ['monitoring', NEWER],
    'push inConversation': ['inConversation', NEWER],
    'push conversationEnded': ['conversationEnded', NEWER],
    'push conversationEnded (older)': ['conversationEnded', OLDER],
    'startChat ok': ['inConversation', OLDER],
    'takeChat ok': ['inConversation', OLDER],
    'endChat ok': ['conversationEnded', OLDER],
    'setStatus ok': ['monitoring', OLDER],
    'transferChat ok': ['monitoring', OLDER],
    'sync ok monitoring': ['monitoring', NEWER],
    'sync ok inConversation': ['inConversation', NEWER],
    'sync ok conversationEnded': ['conversationEnded', NEWER],
    'sync ok inConversation (older)': ['inConversation', OLDER],
  },
  pushes: new Set([
    'push monitoring',
    'push inConversation',
    'push conversationEnded',
    'push conversationEnded (older)',
  ]),
  held: (snapshot) => context(snapshot).agentState,
  // The take's and the sync's answers carry the state inside `state`.
  carried: (event) => {
    if (event.type === 'server.agentState') return event.state;
    const output = event.output as { state: unknown };
    return typeof output.state === 'object' ? output.state : output;
  },
  // R2: a snapshot older than the one held is ignored; the same or a newer one is taken. The
  // held queue version is part of the traversal key, so each state is also visited holding a
  // newer snapshot than `queue v1`.
  beside: {
    expected: (from, event) => {
      const version = QUEUE_VERSION[event];
      if (version === undefined) return undefined;
      const held = context(from).queue?.version ?? -1;
      if (version < held) return IGNORED;
      const regions = (from.value as { loggedIn: Record<string, string> }).loggedIn;
      return `${regions.conversation!}/${regions.intent!}/${regions.sync!}`;
    },
    key: (snapshot) => `queue@${String(context(snapshot).queue?.version ?? 'none')}`,
    outcomes: ['ignored', 'taken'],
  },
});
