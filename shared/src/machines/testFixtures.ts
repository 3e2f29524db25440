// Test data and helpers shared by the machine tests (not exported from the package).
import { ProtocolError } from '../protocol/index';
import type {
  AgentState,
  AgentUser,
  ChatStartResult,
  CustomerInfo,
  CustomerState,
  CustomerUser,
  ErrorCode,
  LoginResponse,
  QueueSnapshot,
  User,
} from '../protocol/index';
import type { CustomerStateName } from '../domain';
import type { ShowConversationParams } from './agentMachine';

export const customerUser: CustomerUser = {
  id: 'cust-1',
  role: 'customer',
  login: 'ada',
  displayName: 'Ada',
  profile: {
    tier: 'gold',
    email: 'ada@example.test',
    phone: null,
    company: null,
    customerSince: '2024-01-01T00:00:00.000Z',
    notes: null,
  },
};

export const agentUser: AgentUser = {
  id: 'agent-1',
  role: 'agent',
  login: 'bob',
  displayName: 'Bob',
  profile: { email: null },
};

export const customerSession = {
  token: 'token-c',
  expiresAt: '2030-01-01T00:00:00.000Z',
  user: customerUser,
};

export const agentSession = {
  token: 'token-a',
  expiresAt: '2030-01-01T00:00:00.000Z',
  user: agentUser,
};

export function loginResponse(user: User): LoginResponse {
  return { token: `token-${user.id}`, expiresAt: '2030-01-01T00:00:00.000Z', user };
}

/**
 * The state version the fixtures carry unless a test names one. Equal versions are applied, so
 * tests that are not about versions can send these in any order.
 */
export const FIXTURE_VERSION = 1;
const FIXTURE_TIME = '2030-01-01T10:00:00.000Z';

export function customerState(
  state: CustomerStateName,
  version: number = FIXTURE_VERSION,
): CustomerState {
  switch (state) {
    case 'notConnected':
      return {
        version,
        state,
        requestId: null,
        position: null,
        estimatedWait: null,
        conversationId: null,
        agent: null,
        ratingPending: false,
      };
    case 'requestSent':
      return {
        version,
        state,
        requestId: 'req-1',
        position: 3,
        estimatedWait: { minSeconds: 120, maxSeconds: 300 },
        conversationId: null,
        agent: null,
        ratingPending: false,
      };
    case 'inConversation':
    case 'conversationEnded':
      return {
        version,
        state,
        requestId: null,
        position: null,
        estimatedWait: null,
        conversationId: 'conv-1',
        agent: { id: agentUser.id, displayName: agentUser.displayName },
        ratingPending: state === 'conversationEnded',
      };
  }
}

export function customerInfo(id: string): CustomerInfo {
  return {
    id,
    displayName: `Customer ${id}`,
    profile: customerUser.profile,
    pastConversations: 2,
  };
}

export const monitoring: AgentState = {
  version: FIXTURE_VERSION,
  state: 'monitoring',
  conversationId: null,
  customer: null,
  status: 'available',
  capacity: 1,
  conversations: [],
};

export function agentMonitoring(version: number = FIXTURE_VERSION): AgentState {
  return { ...monitoring, version };
}

export function agentInConversation(
  conversationId: string,
  customerId = 'cust-1',
  version: number = FIXTURE_VERSION,
): AgentState {
  const customer = customerInfo(customerId);
  return {
    ...monitoring,
    version,
    state: 'inConversation',
    conversationId,
    customer,
    conversations: [
      {
        conversationId,
        customer,
        startedAt: FIXTURE_TIME,
        assignedAt: FIXTURE_TIME,
        transferredFrom: null,
      },
    ],
  };
}

export function agentConversationEnded(
  conversationId: string,
  customerId = 'cust-1',
  version: number = FIXTURE_VERSION,
): AgentState {
  return {
    ...monitoring,
    version,
    state: 'conversationEnded',
    conversationId,
    customer: customerInfo(customerId),
  };
}

/** The take's ack; its `state` carries `version`. */
export function chatStartResult(
  conversationId: string,
  customerId = 'cust-1',
  version: number = FIXTURE_VERSION,
): ChatStartResult {
  return {
    state: agentInConversation(conversationId, customerId, version),
    conversation: {
      id: conversationId,
      customerId,
      agentId: agentUser.id,
      status: 'active',
      startedAt: '2030-01-01T10:00:00.000Z',
      endedAt: null,
      endedBy: null,
    },
    customer: customerInfo(customerId),
    messages: [
      {
        id: `msg-${conversationId}`,
        seq: 7,
        clientMsgId: `client-${conversationId}`,
        conversationId,
        customerId,
        sender: { role: 'customer', id: customerId, displayName: `Customer ${customerId}` },
        text: 'written while queued',
        priority: 2,
        createdAt: '2030-01-01T09:59:00.000Z',
      },
    ],
  };
}

export function queueSnapshot(version: number, total = 1): QueueSnapshot {
  return {
    version,
    total,
    entries: Array.from({ length: total }, (_, index) => ({
      requestId: `req-${version}-${index}`,
      customerId: `cust-${index}`,
      displayName: `Customer ${index}`,
      tier: 'standard' as const,
      priority: 1,
      requestedAt: '2030-01-01T09:00:00.000Z',
      online: true,
      preview: null,
      estimatedWait: null,
    })),
  };
}

/** What an actor implementation rejects with when the ack said `{ ok: false }`. */
export function protocolError(code: ErrorCode): ProtocolError {
  return new ProtocolError(code, `server said ${code}`);
}

/** A promise the test settles by hand, to look at the machine while an actor is in flight. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  let reject: (reason: unknown) => void = () => undefined;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

/** Records the agent machine's chat-panel actions, in order. */
export function panelRecorder() {
  const calls: string[] = [];
  const shown: ShowConversationParams[] = [];
  return {
    calls,
    shown,
    actions: {
      clearChatPanel: () => {
        calls.push('clear');
      },
      showConversation: (_: unknown, params: ShowConversationParams) => {
        calls.push(`show ${params.conversationId}`);
        shown.push(params);
      },
    },
  };
}
