import { randomUUID } from 'node:crypto';
import type {
  AgentState,
  AgentStatus,
  CloseReason,
  ChatStartResult,
  CustomerState,
  Role,
  Tier,
} from '@callcenter/shared';
import { ProtocolError, TIERS, priorityForTier } from '@callcenter/shared';
import type { SessionIdentity } from '../auth/authService';
import type { Assignment, ChatQueue, ConversationRecord } from '../live/chatQueue';
import { NO_OUTCOMES, type ChatOutcomes } from '../live/dayStats';
import type { Logger } from '../logger';
import { NO_COUNTS, type TakeCounts, type TakeKind } from '../metrics/metrics';
import { agentCapacity, type AccountsRepository } from '../store/accounts';
import type { ConversationsRepository } from '../store/conversations';
import { messageToView, type MessagesRepository } from '../store/messages';
import type { Broadcaster } from './broadcaster';
import type { CallService } from './callService';
import { NO_ALERTS, type CustomerAlerts } from './customerAlerts';
import type { MessagingService } from './messagingService';
import type { Views } from './views';

function isTier(value: unknown): value is Tier {
  return (TIERS as readonly unknown[]).includes(value);
}

/** A conversation start the store refused is written again this many times, further apart each time. */
const MIRROR_ATTEMPTS = 10;
const MIRROR_RETRY_MS = 1_000;
/** Idle conversations looked at per sweep (a second's work; the next sweep goes on). */
const IDLE_SWEEP_LIMIT = 200;

/**
 * The chat lifecycle (R3-R7, R9's assignment). Redis decides every transition atomically;
 * this service then mirrors it into MongoDB (idempotently) and tells the affected clients.
 */
export class ChatService {
  constructor(
    private readonly queue: ChatQueue,
    private readonly accounts: AccountsRepository,
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
    private readonly views: Views,
    private readonly broadcaster: Broadcaster,
    private readonly logger: Logger,
    /** Tells both parties of a call that ended with its conversation (the call service). */
    private readonly callEndings: Pick<CallService, 'conversationEnded'>,
    /** Writes a transfer's notice into the conversation's history (the messaging service). */
    private readonly notices: { recordNotice: MessagingService['recordNotice'] },
    /** Takes, for the metrics. */
    private readonly takes: TakeCounts = NO_COUNTS,
    /** Takes and ends, for the wallboard's figures of the day. */
    private readonly outcomes: ChatOutcomes = NO_OUTCOMES,
    /** A take, for a customer with no app open (Web Push). */
    private readonly alerts: CustomerAlerts = NO_ALERTS,
  ) {}

  /** R3: joins the tail of the queue, or returns the request or conversation already held. */
  async requestChat(customer: SessionIdentity): Promise<CustomerState> {
    const doc = await this.accounts.findCustomer(customer.userId);
    if (!doc || doc.disabled) throw new ProtocolError('forbidden', 'This account cannot chat.');
    const { created } = await this.queue.requestChat({
      customerId: doc._id,
      requestId: randomUUID(),
      conversationId: randomUUID(),
      now: new Date().toISOString(),
      displayName: doc.displayName,
      tier: doc.tier,
      priority: priorityForTier(doc.tier),
    });
    if (created) {
      this.broadcaster.queueChanged();
      await this.broadcaster.customerChanged(doc._id);
    }
    return this.views.customerState(doc._id);
  }

  /**
   * The language the customer's app shows: kept on the account, and the agent of their
   * conversation gets Customer Info again at once.
   */
  async setCustomerLanguage(customer: SessionIdentity, language: string): Promise<void> {
    if (!(await this.accounts.setCustomerLanguage(customer.userId, language))) return;
    const { agentId } = await this.queue.customerState(customer.userId);
    if (agentId !== null) await this.broadcaster.agentChanged(agentId);
  }

  /** R6: ends the active conversation, or withdraws the queued request; otherwise a no-op. */
  async customerEndChat(customer: SessionIdentity): Promise<CustomerState> {
    await this.endCustomersChat(customer.userId);
    return this.views.customerState(customer.userId);
  }

  /**
   * An admin disabled the customer: its queued request is withdrawn and its conversation
   * ended, as its own End Chat would, so no agent can take it. Every node hears of it; the
   * first one changes Redis, the others find nothing left to do.
   */
  async customerDisabled(customerId: string): Promise<void> {
    const customer = await this.accounts.findCustomer(customerId);
    if (customer?.disabled) await this.endCustomersChat(customerId);
  }

  private async endCustomersChat(customerId: string): Promise<void> {
    const now = new Date();
    const result = await this.queue.customerEndChat(customerId, now.toISOString());
    if (result.outcome === 'withdrawn') {
      // A conversation a transfer had put back in the queue ended with the request.
      if (result.endedConversation) await this.mirrorRequeuedEnd(result.endedConversation, now);
      this.broadcaster.queueChanged();
      await this.broadcaster.customerChanged(customerId);
    } else if (result.outcome === 'ended') {
      this.mirrorEnded(result, now, 'customer');
      this.broadcaster.teamChanged();
      await Promise.all([
        this.broadcaster.customerChanged(customerId),
        this.broadcaster.agentChanged(result.agentId),
        this.callEndings.conversationEnded(result.endedCall),
      ]);
    }
  }

  /** R4: takes the top of the queue. */
  async takeTop(agent: SessionIdentity): Promise<ChatStartResult> {
    const assignment = await this.queue.takeTop(
      agent.userId,
      agent.displayName,
      new Date().toISOString(),
    );
    return this.afterAssignment(agent, assignment, true, 'start');
  }

  /** R4: takes one specific waiting customer. */
  async takeRequest(agent: SessionIdentity, requestId: string): Promise<ChatStartResult> {
    const assignment = await this.queue.takeRequest(
      agent.userId,
      agent.displayName,
      requestId,
      new Date().toISOString(),
    );
    return this.afterAssignment(agent, assignment, true, 'take');
  }

  /**
   * R9: makes sure the customer is this agent's before the agent's message is delivered.
   * Returns the conversation the message belongs to.
   */
  async assignForMessage(agent: SessionIdentity, customerId: string): Promise<string> {
    const customer = await this.accounts.customerProfile(customerId);
    if (!customer) throw new ProtocolError('not_found', 'No such customer.');
    if (customer.disabled) {
      throw new ProtocolError('forbidden', "This customer's account is disabled.");
    }
    const result = await this.queue.assignByMessage({
      agentId: agent.userId,
      agentName: agent.displayName,
      customerId,
      newConversationId: randomUUID(),
      now: new Date().toISOString(),
    });
    if (result.assigned) {
      await this.afterAssignment(agent, result, result.queueChanged === true, 'message');
    }
    return result.conversationId;
  }

  /** R6: an agent ends its conversation; ending an ended one is a no-op. */
  async agentEndChat(agent: SessionIdentity, conversationId: string): Promise<AgentState> {
    const now = new Date();
    const result = await this.queue.agentEndChat(agent.userId, conversationId, now.toISOString());
    if (result.changed) {
      this.mirrorEnded(result, now, 'agent');
      this.broadcaster.teamChanged();
      await Promise.all([
        this.broadcaster.customerChanged(result.customerId),
        this.broadcaster.agentChanged(agent.userId),
        this.callEndings.conversationEnded(result.endedCall),
      ]);
    }
    return this.views.agentState(agent.userId);
  }

  /**
   * A supervisor ends an active conversation for both parties, as its agent's End Chat would,
   * with a notice in the history saying who closed it. Redis decides: a conversation that ended
   * or changed hands meanwhile answers `not_in_chat` or is ended with its new agent's.
   */
  async endBySupervisor(conversationId: string): Promise<void> {
    const conv = await this.queue.conversation(conversationId);
    if (!conv.customerId) throw new ProtocolError('not_found', 'No such conversation.');
    if (conv.status !== 'active' || !conv.agentId) {
      throw new ProtocolError('not_in_chat', 'That conversation is not going on (any more).');
    }
    const now = new Date();
    const result = await this.queue.agentEndChat(conv.agentId, conversationId, now.toISOString());
    if (!result.changed) {
      throw new ProtocolError('not_in_chat', 'That conversation ended meanwhile.');
    }
    this.mirrorEnded(result, now, 'agent', 'supervisor');
    await this.notices
      .recordNotice({
        key: 'supervisor-closed',
        conversationId,
        customerId: result.customerId,
        agent: { id: conv.agentId, displayName: conv.agentName ?? '' },
        notice: { kind: 'closed', reason: 'supervisor' },
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: error, conversationId }, 'recording a close notice failed');
      });
    this.broadcaster.teamChanged();
    await Promise.all([
      this.broadcaster.customerChanged(result.customerId),
      this.broadcaster.agentChanged(conv.agentId),
      this.callEndings.conversationEnded(result.endedCall),
    ]);
  }

  /**
   * An agent chooses available or away, for every session of it. Away takes nothing new; the
   * conversations it holds go on. Kept in the account too, for when the live state is lost.
   */
  async setStatus(
    agent: Pick<SessionIdentity, 'userId'>,
    status: AgentStatus,
  ): Promise<AgentState> {
    if (await this.queue.setAgentStatus(agent.userId, status)) {
      this.broadcaster.teamChanged();
      const state = await this.views.agentState(agent.userId);
      await this.broadcaster.agentChanged(agent.userId, state);
      this.accounts.rememberAgentStatus(agent.userId, status).catch((error: unknown) => {
        this.logger.warn({ err: error, agentId: agent.userId }, 'keeping an agent status failed');
      });
      return state;
    }
    return this.views.agentState(agent.userId);
  }

  /**
   * Brings an agent's live state in line with its account (capacity; a status the live state
   * lost): on every connection of the agent, and when an admin changed it.
   */
  async agentAccountChanged(agentId: string): Promise<void> {
    const doc = await this.accounts.findAgent(agentId);
    if (!doc) return;
    const live = await this.queue.agentState(agentId);
    let changed = await this.queue.setAgentCapacity(agentId, agentCapacity(doc));
    if (live.version === 0 && doc.status === 'away') {
      changed = (await this.queue.setAgentStatus(agentId, 'away')) || changed;
    }
    if (changed) {
      this.broadcaster.teamChanged();
      await this.broadcaster.agentChanged(agentId);
    }
  }

  /**
   * Hands a conversation to a colleague with room (`toAgentId`), or back to the front of the
   * queue. Redis decides atomically; then the history gets a notice, the record the hand-over,
   * and both agents and the customer their new state.
   */
  async transfer(
    agent: Pick<SessionIdentity, 'userId' | 'displayName'>,
    conversationId: string,
    toAgentId: string | undefined,
  ): Promise<AgentState> {
    const conv = await this.queue.conversation(conversationId);
    if (!conv.customerId) throw new ProtocolError('not_found', 'No such conversation.');
    if (conv.agentId !== agent.userId) {
      throw new ProtocolError('forbidden', 'That conversation is not yours (any more).');
    }
    let to: { id: string; displayName: string } | null = null;
    if (toAgentId !== undefined) {
      const colleague = await this.accounts.findAgent(toAgentId);
      if (!colleague || colleague.disabled) {
        throw new ProtocolError('not_found', 'No such colleague.');
      }
      to = { id: colleague._id, displayName: colleague.displayName };
    }
    const customer = await this.accounts.customerProfile(conv.customerId);
    if (!customer) throw new ProtocolError('not_found', 'That customer no longer exists.');
    const now = new Date();
    const result = await this.queue.transfer({
      fromAgentId: agent.userId,
      conversationId,
      to,
      now: now.toISOString(),
      newRequestId: randomUUID(),
      customer: {
        displayName: customer.displayName,
        tier: customer.tier,
        priority: priorityForTier(customer.tier),
      },
    });
    const from = { id: agent.userId, displayName: agent.displayName };
    this.mirror(
      'handover',
      conversationId,
      () =>
        this.conversations.recordHandover({
          id: conversationId,
          at: now,
          from: agent.userId,
          to: to?.id ?? null,
        }),
      1,
    );
    // In the history before anyone hears of the hand-over: the next agent's take reads it.
    await this.notices
      .recordNotice({
        key: `transfer-${now.getTime()}-${agent.userId}`,
        conversationId,
        customerId: result.customerId,
        agent: from,
        notice: { kind: 'transferred', from, to },
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: error, conversationId }, 'recording a transfer notice failed');
      });
    if (result.outcome === 'queued') this.broadcaster.queueChanged();
    this.broadcaster.teamChanged();
    const [state] = await Promise.all([
      this.views.agentState(agent.userId),
      this.broadcaster.customerChanged(result.customerId),
      to ? this.broadcaster.agentChanged(to.id) : Promise.resolve(),
      this.callEndings.conversationEnded(result.endedCall ?? undefined),
    ]);
    await this.broadcaster.agentChanged(agent.userId, state);
    return state;
  }

  /**
   * Closes conversations nobody wrote in: warns those idle for `warningSeconds` (a notice in the
   * history: the customer's app shows when it closes), then ends those still idle
   * `closeSeconds` later, for both sides, with a notice (reason `idle`). Run by every node; the
   * script decides each conversation once.
   */
  async sweepIdle(settings: { warningSeconds: number; closeSeconds: number }): Promise<void> {
    // Either time 0 turns automatic closing off (a warning with no close would mislead).
    if (settings.warningSeconds === 0 || settings.closeSeconds === 0) return;
    const now = new Date();
    const { warned, closed } = await this.queue.sweepIdle({
      warnAfterMs: settings.warningSeconds * 1000,
      closeAfterMs: settings.closeSeconds * 1000,
      now: now.toISOString(),
      limit: IDLE_SWEEP_LIMIT,
    });
    await Promise.all(
      warned.map((w) =>
        this.notices.recordNotice({
          key: `idle-warning-${w.warnedAt}`,
          conversationId: w.conversationId,
          customerId: w.customerId,
          agent: { id: w.agentId, displayName: w.agentName },
          notice: { kind: 'idleWarning', closesAt: new Date(w.closesAt).toISOString() },
        }),
      ),
    );
    for (const conv of closed) {
      this.outcomes.ended(conv.agentId, new Date(conv.startedAt), now);
      this.mirror('end', conv.conversationId, () => this.recordEnded(conv, now, null, 'idle'), 1);
      await this.notices.recordNotice({
        key: 'idle-closed',
        conversationId: conv.conversationId,
        customerId: conv.customerId,
        agent: { id: conv.agentId, displayName: conv.agentName },
        notice: { kind: 'closed', reason: 'idle' },
      });
      await Promise.all([
        this.broadcaster.customerChanged(conv.customerId),
        this.broadcaster.agentChanged(conv.agentId),
        this.callEndings.conversationEnded(conv.endedCall),
      ]);
    }
    if (closed.length > 0) {
      this.broadcaster.teamChanged();
      this.logger.info({ count: closed.length }, 'closed idle conversations');
    }
  }

  /** R7: withdraws the requests of customers offline for longer than the grace period. */
  async expireOfflineRequests(graceSeconds: number): Promise<number> {
    const withdrawn = await this.queue.expireOffline(Date.now() - graceSeconds * 1000);
    if (withdrawn.length > 0) {
      this.broadcaster.queueChanged();
      // Why the request went, in its conversation: the customer sees it when back.
      await Promise.all(
        withdrawn.map(async ({ customerId, conversationId }) => {
          if (conversationId === null) return;
          const customer = await this.accounts.customerProfile(customerId);
          await this.notices.recordNotice({
            key: 'request-expired',
            conversationId,
            customerId,
            sender: { role: 'customer', id: customerId, displayName: customer?.displayName ?? '' },
            notice: { kind: 'closed', reason: 'expired' },
          });
        }),
      );
      await Promise.all(
        withdrawn.map(({ customerId }) => this.broadcaster.customerChanged(customerId)),
      );
      this.logger.info({ count: withdrawn.length }, 'withdrew requests of offline customers');
    }
    return withdrawn.length;
  }

  /**
   * Repairs the durable record after a crash between a Redis transition and its MongoDB
   * write: every conversation Redis knows is upserted with its status.
   */
  async reconcileConversations(): Promise<number> {
    let repaired = 0;
    for await (const id of this.queue.conversationIds()) {
      const conv = await this.queue.conversation(id);
      if (!conv.customerId || !conv.agentId || !conv.startedAt) continue;
      const stored = await this.conversations.recordStarted({
        id,
        customerId: conv.customerId,
        agentId: conv.agentId,
        requestId: conv.requestId || null,
        startedAt: new Date(conv.startedAt),
      });
      if (conv.status === 'ended' && stored.status === 'active') {
        await this.recordEnded(
          {
            conversationId: id,
            customerId: conv.customerId,
            agentId: conv.agentId,
            requestId: conv.requestId ?? '',
            startedAt: conv.startedAt,
          },
          new Date(conv.endedAt ?? Date.now()),
          conv.endedBy === 'system' ? null : conv.endedBy === 'customer' ? 'customer' : 'agent',
          conv.endReason === 'idle' ? 'idle' : undefined,
        );
        repaired += 1;
      }
    }
    return repaired;
  }

  private async mirrorRequeuedEnd(conversationId: string, endedAt: Date): Promise<void> {
    const conv = await this.queue.conversation(conversationId);
    if (!conv.customerId || !conv.startedAt) return;
    const record: ConversationRecord = {
      conversationId,
      customerId: conv.customerId,
      // The last agent who had it (it was in the queue, with nobody, when it ended).
      agentId: conv.fromAgentId ?? '',
      requestId: conv.requestId ?? '',
      startedAt: conv.startedAt,
    };
    this.mirrorEnded(record, endedAt, 'customer');
  }

  private async recordEnded(
    conv: ConversationRecord,
    endedAt: Date,
    endedBy: Role | null,
    endReason?: CloseReason,
  ): Promise<void> {
    const reason = endReason ?? endedBy;
    await this.conversations.recordEnded({
      id: conv.conversationId,
      customerId: conv.customerId,
      agentId: conv.agentId,
      requestId: conv.requestId || null,
      startedAt: new Date(conv.startedAt),
      endedAt,
      endedBy,
      // Why it ended, one field for every way: who ended it, or the server's reason.
      ...(reason !== null && { endReason: reason }),
    });
    // The past-conversation count shown to the next agent has just changed.
    this.accounts.forgetProfile(conv.customerId);
  }

  /**
   * Writes a conversation's end to MongoDB without holding the answer up: Redis has ended it,
   * and the durable record follows (as a start's does), retried while the store is away.
   */
  private mirrorEnded(
    conv: ConversationRecord,
    endedAt: Date,
    endedBy: Role,
    endReason?: CloseReason,
  ): void {
    this.outcomes.ended(conv.agentId, new Date(conv.startedAt), endedAt);
    this.mirror(
      'end',
      conv.conversationId,
      () => this.recordEnded(conv, endedAt, endedBy, endReason),
      1,
    );
  }

  /**
   * Writes a conversation's start or end to MongoDB, retrying while the store is out of reach;
   * past the last attempt the next start-up's reconciliation writes it (Redis keeps
   * conversations for a week).
   */
  private mirror(
    what: 'start' | 'end' | 'handover',
    conversationId: string,
    write: () => Promise<unknown>,
    attempt: number,
  ): void {
    write().catch((error: unknown) => {
      if (attempt >= MIRROR_ATTEMPTS) {
        this.logger.error(
          { err: error, conversationId },
          `recording a conversation ${what} failed; the next start-up reconciles it`,
        );
        return;
      }
      this.logger.warn(
        { err: error, conversationId, attempt },
        `recording a conversation ${what} failed; retrying`,
      );
      setTimeout(() => {
        this.mirror(what, conversationId, write, attempt + 1);
      }, MIRROR_RETRY_MS * attempt).unref();
    });
  }

  private async afterAssignment(
    agent: SessionIdentity,
    assignment: Assignment,
    queueChanged: boolean,
    how: TakeKind,
  ): Promise<ChatStartResult> {
    const started = {
      id: assignment.conversationId,
      customerId: assignment.customerId,
      agentId: agent.userId,
      requestId: assignment.requestId,
      startedAt: new Date(assignment.startedAt),
    };
    // Redis has made the assignment; the durable record follows without holding the take up.
    if (assignment.requeued === true) {
      const at = new Date(assignment.assignedAt ?? Date.now());
      this.mirror(
        'handover',
        started.id,
        () =>
          this.conversations.recordHandover({ id: started.id, at, from: null, to: agent.userId }),
        1,
      );
    } else {
      this.mirror('start', started.id, () => this.conversations.recordStarted(started), 1);
      // A first take of a customer's request (not an agent writing first): the service level.
      if (assignment.requestedAt && isTier(assignment.tier)) {
        this.outcomes.answered(
          assignment.tier,
          new Date(assignment.requestedAt),
          new Date(assignment.assignedAt ?? Date.now()),
        );
      }
    }
    if (queueChanged) this.broadcaster.queueChanged();
    // The team list shows each agent's load.
    this.broadcaster.teamChanged();
    const [customer, history] = await Promise.all([
      this.views.customerInfo(assignment.customerId),
      assignment.wroteWhileQueued === true
        ? this.messages.listForConversation(assignment.conversationId)
        : Promise.resolve([]),
      this.broadcaster.customerChanged(assignment.customerId),
    ]);
    if (!customer) throw new ProtocolError('not_found', 'That customer no longer exists.');
    this.takes.chatTaken(how, customer.profile.tier);
    // An agent writing first is told as its message.
    if (how !== 'message') {
      this.alerts.alert({
        kind: 'taken',
        customerId: started.customerId,
        conversationId: started.id,
        agentName: agent.displayName,
      });
    }
    const state = await this.views.agentState(agent.userId, customer);
    await this.broadcaster.agentChanged(agent.userId, state);
    return {
      state,
      conversation: {
        id: started.id,
        customerId: started.customerId,
        agentId: started.agentId,
        status: 'active',
        startedAt: assignment.startedAt,
        endedAt: null,
        endedBy: null,
      },
      customer,
      messages: history.map(messageToView),
    };
  }
}
