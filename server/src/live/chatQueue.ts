import type { QueueEntry, QueueSnapshot, Tier } from '@callcenter/shared';
import { orNull, type ErrorMessages, type LiveRedis } from './liveRedis';

export interface Assignment {
  requestId: string | null;
  customerId: string;
  conversationId: string;
  startedAt: string;
  /** The customer wrote while queued: the conversation already has messages. */
  wroteWhileQueued?: boolean;
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

export interface CustomerLiveState {
  customerId: string;
  state: 'notConnected' | 'requestSent' | 'inConversation' | 'conversationEnded';
  requestId: string | null;
  conversationId: string | null;
  agentId: string | null;
  agentName: string | null;
  position: number | null;
  version: number;
}

export interface AgentLiveState {
  version: number;
  state: 'monitoring' | 'inConversation' | 'conversationEnded';
  conversationId: string | null;
  customerId: string | null;
}

type AssignByMessageResult =
  | { assigned: false; conversationId: string; customerId: string }
  | ({ assigned: true; queueChanged?: boolean } & Assignment);

const TAKE_ERRORS: ErrorMessages = {
  not_found: 'No such waiting request (the queue is empty, or it was withdrawn).',
  already_claimed: 'Another agent has already taken this customer.',
  agent_busy: 'You are already in a conversation; end it first.',
};
const ASSIGN_ERRORS: ErrorMessages = {
  assigned_to_other: 'This customer is assigned to another agent.',
  agent_busy: 'You are already in a conversation with another customer; end it first.',
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
    | { outcome: 'withdrawn'; requestId: string }
    | ({ outcome: 'ended'; changed: boolean } & ConversationRecord)
    | { outcome: 'none' }
  > {
    return this.redis.runChecked<
      | { outcome: 'withdrawn'; requestId: string }
      | ({ outcome: 'ended'; changed: boolean } & ConversationRecord)
      | { outcome: 'none' }
    >('customerEndChat', [customerId, now]);
  }

  /** Withdraws requests whose customers have been offline since before `cutoffMs`. */
  async expireOffline(cutoffMs: number): Promise<string[]> {
    const result = await this.redis.run('expireOffline', [cutoffMs]);
    return Array.isArray(result) ? (result as string[]) : [];
  }

  async setPreview(requestId: string, preview: string): Promise<boolean> {
    return (await this.redis.run('setPreview', [requestId, preview])) === 1;
  }

  async queueSnapshot(limit: number): Promise<QueueSnapshot> {
    const raw = await this.redis.runJson<{
      version: string;
      total: number;
      entries:
        (Omit<QueueEntry, 'preview'> & { preview: string | false })[] | Record<string, never>;
    }>('queueSnapshot', [limit]);
    const entries = Array.isArray(raw.entries) ? raw.entries : [];
    return {
      version: Number(raw.version),
      total: raw.total,
      entries: entries.map((entry) => ({ ...entry, preview: orNull(entry.preview) })),
    };
  }

  async customerStates(customerIds: string[]): Promise<CustomerLiveState[]> {
    if (customerIds.length === 0) return [];
    const raw = await this.redis.runJson<
      Record<keyof CustomerLiveState, string | number | false>[] | Record<string, never>
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
      version: Number(row.version),
    }));
  }

  async customerState(customerId: string): Promise<CustomerLiveState> {
    const [state] = await this.customerStates([customerId]);
    if (!state) throw new Error('customerState script returned nothing');
    return state;
  }

  async agentState(agentId: string): Promise<AgentLiveState> {
    const [state, conversationId, customerId, version] = await this.redis.client.hmget(
      this.redis.key(`agent:${agentId}`),
      'state',
      'conversationId',
      'customerId',
      'version',
    );
    const v = Number(version ?? 0);
    if (state !== 'inConversation' && state !== 'conversationEnded') {
      return { state: 'monitoring', conversationId: null, customerId: null, version: v };
    }
    return {
      state,
      conversationId: conversationId ?? null,
      customerId: customerId ?? null,
      version: v,
    };
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
