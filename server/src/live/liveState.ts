import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { ChatMessage, ErrorCode, QueueEntry, QueueSnapshot, Tier } from '@callcenter/shared';
import { ProtocolError } from '@callcenter/shared';

const SCRIPT_NAMES = [
  'requestChat',
  'takeTop',
  'takeRequest',
  'assignByMessage',
  'agentEndChat',
  'customerEndChat',
  'expireOffline',
  'connect',
  'disconnect',
  'reapNode',
  'queueSnapshot',
  'customerState',
  'setPreview',
  'allocateMessageSeq',
  'beginCustomerMessage',
  'replayWatermark',
  'raiseMessageSeq',
  'settleMessage',
  'replayPage',
  'initReplay',
  'warmReplay',
  'replayIncarnation',
  'messagePageFloor',
  'openMessagePage',
  'reseedMessagePages',
  'reserveLoginAttempt',
  'recordLoginSuccess',
  'recordLoginFailure',
] as const;
type ScriptName = (typeof SCRIPT_NAMES)[number];

function loadScript(name: string): string {
  return readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');
}

const COMMON = loadScript('common');
const SCRIPTS: Record<ScriptName, string> = Object.fromEntries(
  SCRIPT_NAMES.map((name) => [name, `${COMMON}\n${loadScript(name)}`]),
) as Record<ScriptName, string>;

type ScriptResult<T> = ({ ok: true } & T) | { ok: false; code: ErrorCode; conversationId?: string };

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

/** What a customer's message.send learns from Redis before storing (see beginCustomerMessage). */
export type CustomerMessageStart =
  | { sessionOpen: false }
  | {
      sessionOpen: true;
      state: CustomerLiveState['state'];
      requestId: string | null;
      conversationId: string | null;
      /** Set when the customer may write now: the new message's number, marked in flight. */
      number: MessageNumber | null;
    };

/**
 * A message's sequence number (in flight until settled) and storage page; or, when none was
 * handed out, the page that must be put on record first (see MessagePages).
 */
export type MessageNumber =
  { seq: number; page: number; preopen: number | null } | { need: 'open' | 'reseed'; page: number };

interface RawMessageNumber {
  seq?: string;
  page: number;
  preopen?: number | false;
  need?: 'open' | 'reseed';
}

function messageNumber(raw: RawMessageNumber): MessageNumber {
  if (raw.need) return { need: raw.need, page: raw.page };
  return { seq: Number(raw.seq), page: raw.page, preopen: raw.preopen || null };
}

export interface AgentLiveState {
  version: number;
  state: 'monitoring' | 'inConversation' | 'conversationEnded';
  conversationId: string | null;
  customerId: string | null;
}

/** One login throttle counter (see reserveLoginAttempt.lua). */
export interface LoginThrottleKey {
  key: string;
  /** Failures within the window before checks slow down. */
  free: number;
  /** Also applies when the account has logged in from this address before. */
  gatesKnown: boolean;
  /** Counted before the check (and given back on success), not after a failure. */
  countsAhead: boolean;
}

type ErrorMessages = Partial<Record<ErrorCode, string>>;

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

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the script's result shape
function unwrap<T>(raw: unknown, messages: ErrorMessages = {}): { ok: true } & T {
  const result = JSON.parse(String(raw)) as ScriptResult<T>;
  if (!result.ok) {
    throw new ProtocolError(result.code, messages[result.code] ?? result.code);
  }
  return result;
}

/** cjson encodes false for absent values and {} for empty arrays. */
function orNull<T>(value: T | false | undefined): T | null {
  return value === false || value === undefined ? null : value;
}

/**
 * The live state in Redis: queue, assignments, presence. Every transition is one Lua script
 * that checks and changes all its keys at once, so concurrent nodes can never interleave.
 */
export class LiveState {
  private readonly shas = new Map<ScriptName, string>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'cc:',
  ) {}

  /** Loads the scripts; EVALSHA falls back to EVAL if Redis forgot them (restart). */
  async loadScripts(): Promise<void> {
    for (const name of SCRIPT_NAMES) {
      const sha = (await this.redis.script('LOAD', SCRIPTS[name])) as string;
      this.shas.set(name, sha);
    }
  }

  private async run(name: ScriptName, args: (string | number)[]): Promise<unknown> {
    const argv = [this.prefix, ...args.map(String)];
    const sha = this.shas.get(name);
    if (sha) {
      try {
        return await this.redis.evalsha(sha, 0, ...argv);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      }
    }
    return this.redis.eval(SCRIPTS[name], 0, ...argv);
  }

  async requestChat(input: {
    customerId: string;
    requestId: string;
    conversationId: string;
    now: string;
    displayName: string;
    tier: Tier;
    priority: number;
  }): Promise<{ created: boolean }> {
    return unwrap<{ created: boolean }>(
      await this.run('requestChat', [
        input.customerId,
        input.requestId,
        input.conversationId,
        input.now,
        input.displayName,
        input.tier,
        input.priority,
      ]),
    );
  }

  async takeTop(agentId: string, agentName: string, now: string): Promise<Assignment> {
    return unwrap<Assignment>(await this.run('takeTop', [agentId, agentName, now]), TAKE_ERRORS);
  }

  async takeRequest(
    agentId: string,
    agentName: string,
    requestId: string,
    now: string,
  ): Promise<Assignment> {
    return unwrap<Assignment>(
      await this.run('takeRequest', [agentId, agentName, requestId, now]),
      TAKE_ERRORS,
    );
  }

  async assignByMessage(input: {
    agentId: string;
    agentName: string;
    customerId: string;
    newConversationId: string;
    now: string;
  }): Promise<
    | { assigned: false; conversationId: string; customerId: string }
    | ({ assigned: true; queueChanged?: boolean } & Assignment)
  > {
    const result = unwrap<
      | { assigned: false; conversationId: string; customerId: string }
      | ({ assigned: true; queueChanged?: boolean } & Assignment)
    >(
      await this.run('assignByMessage', [
        input.agentId,
        input.agentName,
        input.customerId,
        input.newConversationId,
        input.now,
      ]),
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
    return unwrap(await this.run('agentEndChat', [agentId, conversationId, now]), END_ERRORS);
  }

  async customerEndChat(
    customerId: string,
    now: string,
  ): Promise<
    | { outcome: 'withdrawn'; requestId: string }
    | ({ outcome: 'ended'; changed: boolean } & ConversationRecord)
    | { outcome: 'none' }
  > {
    return unwrap(await this.run('customerEndChat', [customerId, now]));
  }

  /** Withdraws requests whose customers have been offline since before `cutoffMs`. */
  async expireOffline(cutoffMs: number): Promise<string[]> {
    const result = await this.run('expireOffline', [cutoffMs]);
    return Array.isArray(result) ? (result as string[]) : [];
  }

  async connect(
    nodeId: string,
    connectionId: string,
    role: string,
    userId: string,
  ): Promise<boolean> {
    return (await this.run('connect', [nodeId, connectionId, role, userId])) === 1;
  }

  async disconnect(
    nodeId: string,
    connectionId: string,
    role: string,
    userId: string,
    nowMs: number,
  ): Promise<boolean> {
    return (await this.run('disconnect', [nodeId, connectionId, role, userId, nowMs])) === 1;
  }

  async heartbeat(nodeId: string, nowMs: number): Promise<void> {
    await this.redis.zadd(`${this.prefix}nodes`, nowMs, nodeId);
  }

  /** Nodes whose last heartbeat is older than the cutoff. */
  async deadNodes(cutoffMs: number): Promise<string[]> {
    return this.redis.zrangebyscore(`${this.prefix}nodes`, '-inf', cutoffMs);
  }

  async reapNode(
    nodeId: string,
    nowMs: number,
  ): Promise<{ dropped: number; queueChanged: boolean }> {
    const [dropped, queueChanged] = (await this.run('reapNode', [nodeId, nowMs])) as [
      number,
      number,
    ];
    return { dropped, queueChanged: queueChanged === 1 };
  }

  async connectionCount(role: string, userId: string): Promise<number> {
    return this.redis.scard(`${this.prefix}conns:${role}:${userId}`);
  }

  async queueSnapshot(limit: number): Promise<QueueSnapshot> {
    const raw = JSON.parse(String(await this.run('queueSnapshot', [limit]))) as {
      version: string;
      total: number;
      entries:
        (Omit<QueueEntry, 'preview'> & { preview: string | false })[] | Record<string, never>;
    };
    const entries = Array.isArray(raw.entries) ? raw.entries : [];
    return {
      version: Number(raw.version),
      total: raw.total,
      entries: entries.map((entry) => ({ ...entry, preview: orNull(entry.preview) })),
    };
  }

  async customerStates(customerIds: string[]): Promise<CustomerLiveState[]> {
    if (customerIds.length === 0) return [];
    const raw = JSON.parse(String(await this.run('customerState', customerIds))) as
      Record<keyof CustomerLiveState, string | number | false>[] | Record<string, never>;
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
    const [state, conversationId, customerId, version] = await this.redis.hmget(
      `${this.prefix}agent:${agentId}`,
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
    return this.redis.hgetall(`${this.prefix}conv:${conversationId}`);
  }

  /** Every conversation Redis knows (active, or ended within the last week). */
  async *conversationIds(): AsyncGenerator<string> {
    const stream = this.redis.scanStream({ match: `${this.prefix}conv:*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      for (const k of keys) yield k.slice(`${this.prefix}conv:`.length);
    }
  }

  async setPreview(requestId: string, preview: string): Promise<boolean> {
    return (await this.run('setPreview', [requestId, preview])) === 1;
  }

  async allocateMessageSeq(nowMs: number, pageSize: number): Promise<MessageNumber> {
    const raw = JSON.parse(
      String(await this.run('allocateMessageSeq', [nowMs, pageSize])),
    ) as RawMessageNumber;
    return messageNumber(raw);
  }

  /** At or below every sequence number handed out from now on (see messagePageFloor.lua). */
  async messagePageFloor(): Promise<number> {
    return Number(await this.run('messagePageFloor', []));
  }

  /** Lets messages be numbered in `page`; false when Redis lost the count (reseed it). */
  async openMessagePage(page: number): Promise<boolean> {
    return (await this.run('openMessagePage', [page])) === 1;
  }

  /** Starts page numbering at `page` unless Redis already has a count. */
  async reseedMessagePages(page: number, pageSize: number): Promise<void> {
    await this.run('reseedMessagePages', [page, pageSize]);
  }

  /** The newest page messages may be numbered in, or null when Redis lost the count. */
  async openMessagePageNow(): Promise<number | null> {
    const open = await this.redis.hget(`${this.prefix}msg:pages`, 'open');
    return open === null ? null : Number(open);
  }

  /**
   * A customer's message.send in one round trip: whether the session is still open, the
   * customer's state, and (when it may write) a sequence number marked in flight.
   */
  async beginCustomerMessage(
    sessionId: string,
    customerId: string,
    nowMs: number,
    pageSize: number,
  ): Promise<CustomerMessageStart> {
    const raw = JSON.parse(
      String(await this.run('beginCustomerMessage', [sessionId, customerId, nowMs, pageSize])),
    ) as {
      session: boolean;
      state?: CustomerLiveState['state'];
      requestId?: string | false;
      conversationId?: string | false;
      number?: RawMessageNumber | false;
    };
    if (!raw.session) return { sessionOpen: false };
    return {
      sessionOpen: true,
      state: raw.state ?? 'notConnected',
      requestId: orNull(raw.requestId ?? false),
      conversationId: orNull(raw.conversationId ?? false),
      number: raw.number ? messageNumber(raw.number) : null,
    };
  }

  /** In-flight marks older than `staleBeforeMs`: their writers died or failed to settle. */
  async staleMessageSeqs(staleBeforeMs: number, limit: number): Promise<number[]> {
    const seqs = await this.redis.zrangebyscore(
      `${this.prefix}msg:pending`,
      '-inf',
      staleBeforeMs,
      'LIMIT',
      0,
      limit,
    );
    return seqs.map(Number);
  }

  async settleMessageSeq(seq: number): Promise<void> {
    await this.redis.zrem(`${this.prefix}msg:pending`, String(seq));
  }

  /**
   * A stored message: its in-flight mark goes and it joins the replay index agents' syncs read
   * (see settleMessage.lua), which keeps the newest `cap`. Not indexed: the index is missing.
   */
  async settleMessage(message: ChatMessage, cap: number): Promise<{ indexed: boolean }> {
    const indexed = await this.run('settleMessage', [message.seq, JSON.stringify(message), cap]);
    return { indexed: indexed === 1 };
  }

  /**
   * A page of the replay index after `since` (null: the newest page), oldest first, with the
   * replay watermark. `covered` false: the index cannot answer, read storage.
   */
  async replayPage(
    since: number | null,
    limit: number,
    staleBeforeMs: number,
  ): Promise<{ watermark: number; covered: boolean; missing: boolean; messages: ChatMessage[] }> {
    const raw = JSON.parse(
      String(await this.run('replayPage', [since ?? -1, limit, staleBeforeMs])),
    ) as { watermark: string; covered: boolean; missing?: boolean; bodies: unknown };
    const bodies = Array.isArray(raw.bodies) ? (raw.bodies as (string | false)[]) : [];
    return {
      watermark: Number(raw.watermark),
      covered: raw.covered,
      missing: raw.missing === true,
      messages: (since === null ? bodies.reverse() : bodies)
        .filter((body) => body !== false)
        .map((body) => JSON.parse(body) as ChatMessage),
    };
  }

  /** The id of the Redis process: a new one after every restart. */
  async redisRunId(): Promise<string> {
    const info = await this.redis.info('server');
    const runId = /^run_id:(\w+)/m.exec(info)?.[1];
    if (runId === undefined) throw new Error('Redis INFO has no run_id');
    return runId;
  }

  /** Drops the replay index if another Redis process built it (see replayIncarnation.lua). */
  async dropReplayIndexFromOtherRedis(runId: string): Promise<boolean> {
    return (await this.run('replayIncarnation', [runId])) === 1;
  }

  /** Creates the replay index if missing; returns the sequence above which it is complete. */
  async initReplay(): Promise<number> {
    return Number(await this.run('initReplay', []));
  }

  /**
   * Adds messages read from storage (oldest first) to the replay index; `all` says storage
   * has nothing older. Returns the new replay:from, or -1 if the index vanished meanwhile.
   */
  async warmReplay(messages: ChatMessage[], all: boolean): Promise<number> {
    return Number(
      await this.run('warmReplay', [
        all ? 1 : 0,
        ...messages.flatMap((message) => [message.seq, JSON.stringify(message)]),
      ]),
    );
  }

  async raiseMessageSeq(storedMax: number): Promise<number> {
    return Number(await this.run('raiseMessageSeq', [storedMax]));
  }

  async replayWatermark(staleBeforeMs: number): Promise<number> {
    return Number(await this.run('replayWatermark', [staleBeforeMs]));
  }

  // Sessions (R1): a token is valid only while its session key exists; logout deletes it.
  async createSession(sessionId: string, userKey: string, ttlSeconds: number): Promise<void> {
    await this.redis
      .multi()
      .set(`${this.prefix}session:${sessionId}`, userKey, 'EX', ttlSeconds)
      .sadd(`${this.prefix}user-sessions:${userKey}`, sessionId)
      .expire(`${this.prefix}user-sessions:${userKey}`, ttlSeconds)
      .exec();
  }

  /** `role:userId` of the session's user, or null once it has ended. */
  async sessionOwner(sessionId: string): Promise<string | null> {
    return this.redis.get(`${this.prefix}session:${sessionId}`);
  }

  async sessionExists(sessionId: string): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}session:${sessionId}`)) === 1;
  }

  async revokeSession(sessionId: string): Promise<void> {
    await this.redis.del(`${this.prefix}session:${sessionId}`);
  }

  /** Revokes every session of a user (account disabled); returns their ids. */
  async revokeUserSessions(userKey: string): Promise<string[]> {
    const setKey = `${this.prefix}user-sessions:${userKey}`;
    const ids = await this.redis.smembers(setKey);
    const multi = this.redis.multi();
    for (const id of ids) multi.del(`${this.prefix}session:${id}`);
    await multi.del(setKey).exec();
    return ids;
  }

  /**
   * Counts a login attempt before its password is checked (see reserveLoginAttempt.lua):
   * `waitMs` until the check may run, or `retryAfterMs` when it would have to wait too long.
   * `known`: this account has logged in from this address before.
   */
  async reserveLoginAttempt(input: {
    nowMs: number;
    windowSeconds: number;
    maxWaitMs: number;
    knownKey: string;
    throttles: LoginThrottleKey[];
  }): Promise<{ ok: true; waitMs: number; known: boolean } | { ok: false; retryAfterMs: number }> {
    const raw = await this.run('reserveLoginAttempt', [
      input.nowMs,
      input.windowSeconds,
      input.maxWaitMs,
      input.knownKey,
      ...input.throttles.flatMap((t) => [
        t.key,
        t.free,
        t.gatesKnown ? 1 : 0,
        t.countsAhead ? 1 : 0,
      ]),
    ]);
    return JSON.parse(String(raw)) as
      { ok: true; waitMs: number; known: boolean } | { ok: false; retryAfterMs: number };
  }

  /** The password was wrong: counted on the keys that did not count it ahead. */
  async recordLoginFailure(input: {
    nowMs: number;
    windowSeconds: number;
    keys: string[];
  }): Promise<void> {
    if (input.keys.length === 0) return;
    await this.run('recordLoginFailure', [input.nowMs, input.windowSeconds, ...input.keys]);
  }

  /** The password was right: the attempt counted in advance is given back. */
  async recordLoginSuccess(input: {
    knownKey: string;
    knownSeconds: number;
    pairKey: string;
    otherKeys: string[];
  }): Promise<void> {
    await this.run('recordLoginSuccess', [
      input.knownKey,
      input.knownSeconds,
      input.pairKey,
      ...input.otherKeys,
    ]);
  }
}
