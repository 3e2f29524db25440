import type { CallEndReason, CallState, Role } from '@callcenter/shared';
import { ProtocolError } from '@callcenter/shared';
import { orNull, type ErrorMessages, type LiveRedis } from './liveRedis';

/** A call as Redis holds it (`call:<id>`): the view the parties see, and who its devices are. */
export interface CallRecord {
  callId: string;
  conversationId: string;
  customerId: string;
  agentId: string;
  callerRole: Role;
  callerId: string;
  callerName: string;
  state: CallState['state'];
  version: number;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  reason: CallEndReason | null;
  /** The caller's socket, and the callee's once it answered: the devices signals go between. */
  callerSocket: string;
  calleeSocket: string | null;
  /** The login sessions of those devices: a new socket of the same session takes its place. */
  callerSession: string;
  calleeSession: string | null;
}

type RawCall = Record<string, string | false | undefined>;

function recordOf(callId: string, raw: RawCall): CallRecord {
  const text = (field: string): string => String(raw[field] ?? '');
  return {
    callId,
    conversationId: text('conversationId'),
    customerId: text('customerId'),
    agentId: text('agentId'),
    callerRole: text('callerRole') as Role,
    callerId: text('callerId'),
    callerName: text('callerName'),
    state: text('state') as CallState['state'],
    version: Number(raw.version ?? 0),
    startedAt: text('startedAt'),
    answeredAt: orNull(raw.answeredAt) ?? null,
    endedAt: orNull(raw.endedAt) ?? null,
    reason: (orNull(raw.reason) ?? null) as CallEndReason | null,
    callerSocket: text('callerSocket'),
    calleeSocket: orNull(raw.calleeSocket) || null,
    callerSession: text('callerSession'),
    calleeSession: orNull(raw.calleeSession) || null,
  };
}

/** What both parties see of a call. */
export function callView(call: CallRecord): CallState {
  return {
    callId: call.callId,
    conversationId: call.conversationId,
    state: call.state,
    direction: call.callerRole === 'agent' ? 'agent_to_customer' : 'customer_to_agent',
    from: { role: call.callerRole, id: call.callerId, displayName: call.callerName },
    version: call.version,
    startedAt: call.startedAt,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt,
    reason: call.reason,
  };
}

const CALL_ERRORS: ErrorMessages = {
  not_found: 'No such call.',
  forbidden: 'You placed this call; the other party answers it.',
  already_claimed: 'This call was already answered, or has ended.',
  not_in_chat: 'The conversation has ended.',
};

const START_ERRORS: ErrorMessages = {
  not_found: 'No such conversation.',
  forbidden: 'That conversation is not yours.',
  not_in_chat: 'The conversation has ended; a call needs an active one.',
  agent_busy: 'The agent is on a call in another conversation; try again when it ends.',
};

/** Who acts on a call: a party of its conversation, on one of its devices (a socket of a session). */
export interface CallParty {
  role: Role;
  userId: string;
  socketId: string;
  sessionId: string;
}

/**
 * Voice calls in Redis: one script per transition (start, answer, end, and the sweep of calls
 * that lost a party or rang out), so two nodes can never interleave them. Call ids are the
 * caller's; conversations hold at most one live call.
 */
export class Calls {
  constructor(private readonly redis: LiveRedis) {}

  async start(
    party: CallParty & { displayName: string },
    input: { conversationId: string; callId: string; now: string; ringDeadlineMs: number },
  ): Promise<{ call: CallRecord; changed: boolean }> {
    const result = await this.redis.runChecked<{ call: RawCall; changed: boolean }>(
      'startCall',
      [
        party.role,
        party.userId,
        party.displayName,
        input.conversationId,
        input.callId,
        input.now,
        party.socketId,
        input.ringDeadlineMs,
        party.sessionId,
      ],
      START_ERRORS,
    );
    return { call: this.fromScript(result.call), changed: result.changed };
  }

  async answer(
    party: CallParty,
    callId: string,
    answer: 'accept' | 'decline',
    now: string,
  ): Promise<CallRecord> {
    const result = await this.redis.runChecked<{ call: RawCall }>(
      'answerCall',
      [party.role, party.userId, callId, answer, now, party.socketId, party.sessionId],
      CALL_ERRORS,
    );
    return this.fromScript(result.call);
  }

  async end(
    party: Pick<CallParty, 'role' | 'userId'>,
    callId: string,
    reason: CallEndReason,
    now: string,
  ): Promise<{ call: CallRecord; changed: boolean }> {
    const result = await this.redis.runChecked<{ call: RawCall; changed: boolean }>(
      'endCall',
      [party.role, party.userId, callId, reason, now],
      CALL_ERRORS,
    );
    return { call: this.fromScript(result.call), changed: result.changed };
  }

  /** Ends the calls that rang out, and those a device left and did not come back to in time. */
  async sweep(now: Date): Promise<CallRecord[]> {
    const result = await this.redis.runChecked<{ ended: RawCall[] | Record<string, never> }>(
      'sweepCalls',
      [now.toISOString(), now.getTime()],
    );
    const ended = Array.isArray(result.ended) ? result.ended : [];
    return ended.map((raw) => this.fromScript(raw));
  }

  /** These sockets closed: a call one was a device in waits for it until `deadlineMs`. */
  async deviceGone(socketIds: readonly string[], deadlineMs: number): Promise<void> {
    await this.redis.run('callDeviceGone', [deadlineMs, JSON.stringify(socketIds)]);
  }

  /**
   * A socket of `sessionId` connected: if that session has a device in a live call, this socket
   * takes its place. Answers the call's id, or null.
   */
  async deviceBack(sessionId: string, socketId: string): Promise<string | null> {
    const callId = await this.redis.run('callDeviceBack', [sessionId, socketId]);
    return typeof callId === 'string' ? callId : null;
  }

  /** The call ringing or established in a conversation, if any. */
  async liveIn(conversationId: string): Promise<CallRecord | null> {
    const callId = await this.redis.client.hget(this.redis.key(`conv:${conversationId}`), 'callId');
    if (callId === null) return null;
    const call = await this.get(callId);
    return call && call.state !== 'ended' ? call : null;
  }

  /** A call as it is now; null when Redis has no such call. */
  async get(callId: string): Promise<CallRecord | null> {
    const raw = await this.redis.client.hgetall(this.redis.key(`call:${callId}`));
    return raw.state ? recordOf(callId, raw) : null;
  }

  /** Scripts answer the call's hash, which holds its id. */
  private fromScript(raw: RawCall): CallRecord {
    const id = raw.callId || '';
    if (id === '') throw new ProtocolError('internal', 'A call without an id.');
    return recordOf(id, raw);
  }
}
