import type { AgentStatus, QueueEntry, QueueSnapshot, Tier } from '@callcenter/shared';
import { orNull, type ErrorMessages, type LiveRedis } from './liveRedis';

export interface Assignment {
  requestId: string | null;
  customerId: string;
  conversationId: string;
  startedAt: string;
  /** The customer wrote while queued: the conversation already has messages. */
  wroteWhileQueued?: boolean;
  /** The conversation was put back in the queue by a transfer and goes on with this agent. */
  requeued?: boolean;
  /** When this agent got it (`startedAt` is older for a requeued conversation). */
  assignedAt?: string;
  /** When the request taken was made, and its tier (absent when no request was taken). */
  requestedAt?: string | false;
  tier?: string | false;
}

/** A conversation as Redis knows it; enough to write the durable record from. */
export interface ConversationRecord {
  conversationId: string;
  customerId: string;
  agentId: string;
  /** Empty when the conversation began with an agent's message rather than a request. */
  requestId: string;
  startedAt: string;
  /** The call that ended with the conversation, if one was ringing or established. */
  endedCall?: string;
}

/** The queue as Redis holds it; the views add each entry's estimated wait. */
export interface LiveQueueSnapshot extends Omit<QueueSnapshot, 'entries'> {
  entries: Omit<QueueEntry, 'estimatedWait'>[];
}

export interface CustomerLiveState {
  customerId: string;
  state: 'notConnected' | 'requestSent' | 'inConversation' | 'conversationEnded';
  requestId: string | null;
  conversationId: string | null;
  agentId: string | null;
  agentName: string | null;
  position: number | null;
  /** Ended, and its conversation still waits for the customer's rating (rateConversation.lua). */
  ratingPending: boolean;
  version: number;
}

/** A conversation an agent holds, as Redis knows it. */
export interface HeldConversation {
  conversationId: string;
  customerId: string;
  startedAt: string;
  assignedAt: string;
  /** The colleague who handed it over, when it came by transfer. */
  from: { id: string; displayName: string } | null;
}

export interface AgentLiveState {
  version: number;
  state: 'monitoring' | 'inConversation' | 'conversationEnded';
  conversationId: string | null;
  customerId: string | null;
  status: AgentStatus;
  capacity: number;
  /** Oldest first. */
  conversations: HeldConversation[];
}

/** What a transfer changed: the conversation went to a colleague, or back to the queue. */
export type TransferResult = {
  outcome: 'transferred' | 'queued';
  fromAgentName: string;
  /** A call in the conversation that ended with the hand-over. */
  endedCall: string | null;
} & Omit<ConversationRecord, 'agentId' | 'endedCall'>;

/** An idle conversation just warned: it closes at `closesAt` (ms) unless someone writes. */
export interface IdleWarning {
  conversationId: string;
  customerId: string;
  agentId: string;
  agentName: string;
  warnedAt: number;
  closesAt: number;
}

/** An idle conversation just closed. */
export interface IdleClose {
  agentName: string;
}

export interface TeamLiveState {
  version: number;
  agents: { id: string; status: AgentStatus; capacity: number; active: number; online: boolean }[];
}

type AssignByMessageResult =
  | { assigned: false; conversationId: string; customerId: string }
  | ({ assigned: true; queueChanged?: boolean } & Assignment);

const AWAY = 'You are set to Away: set yourself Available to take chats.';
const TAKE_ERRORS: ErrorMessages = {
  not_found: 'No such waiting request (the queue is empty, or it was withdrawn).',
  already_claimed: 'Another agent has already taken this customer.',
  agent_busy: 'You already hold as many conversations as you can; end one first.',
  agent_away: AWAY,
};
const ASSIGN_ERRORS: ErrorMessages = {
  assigned_to_other: 'This customer is assigned to another agent.',
  agent_busy:
    'You already hold as many conversations as you can; end one before writing to another customer.',
  agent_away: AWAY,
};
const TRANSFER_ERRORS: ErrorMessages = {
  not_found: 'No such conversation.',
  forbidden: 'That conversation is not yours (any more).',
  not_in_chat: 'That conversation has ended.',
  invalid_payload: 'The conversation is already yours: pick a colleague.',
  agent_busy: 'That colleague has no room for another conversation.',
  agent_away: 'That colleague is away or offline.',
};
const END_ERRORS: ErrorMessages = {
  not_found: 'No such conversation.',
  forbidden: 'That conversation is not yours.',
};

/**
 * The queue and assignments in Redis: requests, takes, conversations and their ends, and the
 * customers' and agents' states they leave. Every transition is one Lua script that checks and
 * changes all its keys at once, so concurrent nodes can never interleave.
 */
export class ChatQueue {
  constructor(private readonly redis: LiveRedis) {}

  async requestChat(input: {
    customerId: string;
    requestId: string;
    conversationId: string;
    now: string;
    displayName: string;
    tier: Tier;
    priority: number;
  }): Promise<{ created: boolean }> {
    return this.redis.runChecked<{ created: boolean }>('requestChat', [
      input.customerId,
      input.requestId,
      input.conversationId,
      input.now,
      input.displayName,
      input.tier,
      input.priority,
    ]);
  }

  async takeTop(agentId: string, agentName: string, now: string): Promise<Assignment> {
    return this.redis.runChecked<Assignment>('takeTop', [agentId, agentName, now], TAKE_ERRORS);
  }

  async takeRequest(
    agentId: string,
    agentName: string,
    requestId: string,
    now: string,
  ): Promise<Assignment> {
    return this.redis.runChecked<Assignment>(
      'takeRequest',
      [agentId, agentName, requestId, now],
      TAKE_ERRORS,
    );
  }

  async assignByMessage(input: {
    agentId: string;
    agentName: string;
    customerId: string;
    newConversationId: string;
    now: string;
  }): Promise<AssignByMessageResult> {
    const result = await this.redis.runChecked<AssignByMessageResult>(
      'assignByMessage',
      [input.agentId, input.agentName, input.customerId, input.newConversationId, input.now],
      ASSIGN_ERRORS,
    );
    if (result.assigned) result.requestId = orNull(result.requestId as string | false | undefined);
    return result;
  }

  async agentEndChat(
    agentId: string,
    conversationId: string,
    now: string,
  ): Promise<{ changed: boolean } & ConversationRecord> {
    return this.redis.runChecked<{ changed: boolean } & ConversationRecord>(
      'agentEndChat',
      [agentId, conversationId, now],
      END_ERRORS,
    );
  }

  async customerEndChat(
    customerId: string,
    now: string,
  ): Promise<
    | { outcome: 'withdrawn'; requestId: string; endedConversation: string | false }
    | ({ outcome: 'ended'; changed: boolean } & ConversationRecord)
    | { outcome: 'none' }
  > {
    return this.redis.runChecked<
      | { outcome: 'withdrawn'; requestId: string; endedConversation: string | false }
      | ({ outcome: 'ended'; changed: boolean } & ConversationRecord)
      | { outcome: 'none' }
    >('customerEndChat', [customerId, now]);
  }

  /**
   * Warns the conversations idle for `warnAfterMs` and closes (`idle`) those warned
   * `closeAfterMs` ago that stayed idle; at most `limit` looked at.
   */
  async sweepIdle(input: {
    warnAfterMs: number;
    closeAfterMs: number;
    now: string;
    limit: number;
  }): Promise<{ warned: IdleWarning[]; closed: (IdleClose & ConversationRecord)[] }> {
    const raw = await this.redis.runJson<{
      warned: IdleWarning[] | Record<string, never>;
      closed:
        | ((IdleClose & Omit<ConversationRecord, 'endedCall'>) & { endedCall: string | false })[]
        | Record<string, never>;
    }>('sweepIdle', [input.warnAfterMs, input.closeAfterMs, input.now, input.limit]);
    return {
      warned: Array.isArray(raw.warned) ? raw.warned : [],
      closed: (Array.isArray(raw.closed) ? raw.closed : []).map((c) => ({
        ...c,
        endedCall: orNull(c.endedCall) ?? undefined,
      })),
    };
  }

  /**
   * Withdraws requests whose customers have been offline since before `cutoffMs`; answers each
   * customer with the conversation its request was for.
   */
  async expireOffline(
    cutoffMs: number,
  ): Promise<{ customerId: string; conversationId: string | null }[]> {
    const result = await this.redis.run('expireOffline', [cutoffMs]);
    const flat = Array.isArray(result) ? (result as string[]) : [];
    const expired: { customerId: string; conversationId: string | null }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const [customerId, conversationId] = [flat[i], flat[i + 1]];
      if (customerId !== undefined)
        expired.push({ customerId, conversationId: conversationId || null });
    }
    return expired;
  }

  async setPreview(requestId: string, preview: string): Promise<boolean> {
    return (await this.redis.run('setPreview', [requestId, preview])) === 1;
  }

  async queueSnapshot(limit: number): Promise<LiveQueueSnapshot> {
    const raw = await this.redis.runJson<{
      version: string;
      total: number;
      entries:
        | (Omit<QueueEntry, 'preview' | 'estimatedWait'> & { preview: string | false })[]
        | Record<string, never>;
    }>('queueSnapshot', [limit]);
    const entries = Array.isArray(raw.entries) ? raw.entries : [];
    return {
      version: Number(raw.version),
      total: raw.total,
      entries: entries.map((entry) => ({ ...entry, preview: orNull(entry.preview) })),
    };
  }

  /**
   * The tier and request time (ms) of the first `limit` waiting requests, read at once (for
   * the metrics' queue figures).
   */
  async waitingRequests(limit: number): Promise<{ tier: string; requestedAtMs: number }[]> {
    const flat = await this.redis.run('queueMetrics', [limit]);
    const rows = Array.isArray(flat) ? (flat as string[]) : [];
    const requests: { tier: string; requestedAtMs: number }[] = [];
    for (let i = 0; i + 1 < rows.length; i += 2) {
      requests.push({ tier: rows[i] ?? '', requestedAtMs: Date.parse(rows[i + 1] ?? '') });
    }
    return requests;
  }

  async customerStates(customerIds: string[]): Promise<CustomerLiveState[]> {
    if (customerIds.length === 0) return [];
    const raw = await this.redis.runJson<
      Record<keyof CustomerLiveState, string | number | boolean>[] | Record<string, never>
    >('customerState', customerIds);
    const rows = Array.isArray(raw) ? raw : [];
    return rows.map((row) => ({
      customerId: row.customerId as string,
      state: row.state as CustomerLiveState['state'],
      requestId: orNull(row.requestId as string | false),
      conversationId: orNull(row.conversationId as string | false),
      agentId: orNull(row.agentId as string | false),
      agentName: orNull(row.agentName as string | false),
      position: orNull(row.position as number | false),
      ratingPending: row.ratingPending === true,
      version: Number(row.version),
    }));
  }

  async customerState(customerId: string): Promise<CustomerLiveState> {
    const [state] = await this.customerStates([customerId]);
    if (!state) throw new Error('customerState script returned nothing');
    return state;
  }

  async agentState(agentId: string): Promise<AgentLiveState> {
    type Raw = {
      state: string | false;
      conversationId: string | false;
      customerId: string | false;
      version: string;
      status: AgentStatus;
      capacity: number;
      conversations:
        | {
            conversationId: string;
            customerId: string;
            startedAt: string;
            assignedAt: string;
            fromAgentId: string | false;
            fromAgentName: string | false;
          }[]
        | Record<string, never>;
    };
    const raw = await this.redis.runJson<Raw>('agentState', [agentId]);
    const conversations = (Array.isArray(raw.conversations) ? raw.conversations : []).map(
      (c): HeldConversation => ({
        conversationId: c.conversationId,
        customerId: c.customerId,
        startedAt: c.startedAt,
        assignedAt: c.assignedAt,
        from: c.fromAgentId
          ? { id: c.fromAgentId, displayName: orNull(c.fromAgentName) ?? '' }
          : null,
      }),
    );
    const common = {
      version: Number(raw.version),
      status: raw.status,
      capacity: raw.capacity,
      conversations,
    };
    if (raw.state !== 'inConversation' && raw.state !== 'conversationEnded') {
      return { ...common, state: 'monitoring', conversationId: null, customerId: null };
    }
    return {
      ...common,
      state: raw.state,
      conversationId: orNull(raw.conversationId),
      customerId: orNull(raw.customerId),
    };
  }

  /** Available or away; answers whether it changed. */
  async setAgentStatus(agentId: string, status: AgentStatus): Promise<boolean> {
    return (await this.redis.run('setAgentStatus', [agentId, status])) === 1;
  }

  /** Copies an agent's capacity from its account; answers whether it changed. */
  async setAgentCapacity(agentId: string, capacity: number): Promise<boolean> {
    return (await this.redis.run('setAgentCapacity', [agentId, capacity])) === 1;
  }

  /** Hands a conversation to a colleague (`to`), or back to the queue's front (`to` null). */
  async transfer(input: {
    fromAgentId: string;
    conversationId: string;
    to: { id: string; displayName: string } | null;
    now: string;
    newRequestId: string;
    customer: { displayName: string; tier: Tier; priority: number };
  }): Promise<TransferResult> {
    const result = await this.redis.runChecked<
      Omit<TransferResult, 'endedCall'> & { endedCall: string | false }
    >(
      'transferChat',
      [
        input.fromAgentId,
        input.conversationId,
        input.to?.id ?? '',
        input.to?.displayName ?? '',
        input.now,
        input.newRequestId,
        input.customer.displayName,
        input.customer.tier,
        input.customer.priority,
      ],
      TRANSFER_ERRORS,
    );
    return { ...result, endedCall: orNull(result.endedCall) };
  }

  /** The status and load of the given agents, with the team's version. */
  async teamState(agentIds: string[]): Promise<TeamLiveState> {
    const raw = await this.redis.runJson<{
      version: string;
      agents: TeamLiveState['agents'] | Record<string, never>;
    }>('teamState', agentIds);
    return { version: Number(raw.version), agents: Array.isArray(raw.agents) ? raw.agents : [] };
  }

  async conversation(conversationId: string): Promise<Record<string, string>> {
    return this.redis.client.hgetall(this.redis.key(`conv:${conversationId}`));
  }

  /** Every conversation Redis knows (active, or ended within the last week). */
  async *conversationIds(): AsyncGenerator<string> {
    const pattern = this.redis.key('conv:');
    const stream = this.redis.client.scanStream({ match: `${pattern}*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      for (const k of keys) yield k.slice(pattern.length);
    }
  }
}
