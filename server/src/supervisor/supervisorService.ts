import type { ChatMessage, WatchView } from '@callcenter/shared';
import { ProtocolError } from '@callcenter/shared';
import type { SupervisorIdentity } from '../auth/authService';
import type { ChatQueue } from '../live/chatQueue';
import type { ChatService } from '../services/chatService';
import type { Views } from '../services/views';
import type { AccountsRepository } from '../store/accounts';
import type { AuditLogRepository } from '../store/auditLog';
import type { Collections } from '../store/documents';
import { messageToView, type MessagesRepository } from '../store/messages';

/** The newest messages a supervisor gets on opening a conversation. */
const WATCH_HISTORY_LIMIT = 500;

/**
 * What supervisors do to conversations: open one read-only, end it, hand it over. Redis
 * decides each change as it does for the agent's own (one outcome when they race); every
 * change is kept in the audit log with who and when.
 */
export class SupervisorService {
  constructor(
    private readonly queue: ChatQueue,
    private readonly chat: ChatService,
    private readonly views: Views,
    private readonly accounts: AccountsRepository,
    private readonly messages: MessagesRepository,
    private readonly collections: Pick<Collections, 'conversations'>,
    private readonly audit: AuditLogRepository,
  ) {}

  /** A conversation as a supervisor sees it: from Redis while it is live, else the record. */
  async view(conversationId: string): Promise<WatchView> {
    const live = await this.queue.conversation(conversationId);
    let base: Omit<WatchView, 'customer'> & { customerId: string };
    if (live.customerId) {
      const ended = live.status === 'ended';
      const held = live.status === 'active' && live.agentId;
      base = {
        conversationId,
        customerId: live.customerId,
        status: ended ? 'ended' : 'active',
        agent: held ? { id: live.agentId ?? '', displayName: live.agentName ?? '' } : null,
        startedAt: new Date(live.startedAt ?? Date.now()).toISOString(),
        endedAt: ended && live.endedAt ? new Date(live.endedAt).toISOString() : null,
      };
    } else {
      const doc = await this.collections.conversations.findOne({ _id: conversationId });
      if (!doc) throw new ProtocolError('not_found', 'No such conversation.');
      const agent = await this.accounts.findAgent(doc.agentId);
      base = {
        conversationId,
        customerId: doc.customerId,
        status: doc.status,
        agent: agent ? { id: agent._id, displayName: agent.displayName } : null,
        startedAt: doc.startedAt.toISOString(),
        endedAt: doc.endedAt?.toISOString() ?? null,
      };
    }
    const customer = await this.views.customerInfo(base.customerId);
    if (!customer) throw new ProtocolError('not_found', 'That customer no longer exists.');
    const { customerId, ...rest } = base;
    if (customerId !== customer.id) throw new Error('the customer read is not the conversation’s');
    return { ...rest, customer };
  }

  /** The conversation and its newest messages (oldest first). */
  async watch(conversationId: string): Promise<{ view: WatchView; messages: ChatMessage[] }> {
    const view = await this.view(conversationId);
    const docs = await this.messages.listForConversation(conversationId);
    return { view, messages: docs.slice(-WATCH_HISTORY_LIMIT).map(messageToView) };
  }

  async end(supervisor: SupervisorIdentity, conversationId: string): Promise<WatchView> {
    const before = await this.view(conversationId);
    await this.chat.endBySupervisor(conversationId);
    const after = await this.view(conversationId);
    await this.record(supervisor, 'conversation.end', before, {
      before: { status: before.status, agent: before.agent?.displayName ?? null },
      after: { status: after.status, agent: after.agent?.displayName ?? null },
    });
    return after;
  }

  async transfer(
    supervisor: SupervisorIdentity,
    conversationId: string,
    toAgentId: string | undefined,
  ): Promise<WatchView> {
    const before = await this.view(conversationId);
    if (before.status !== 'active' || !before.agent) {
      throw new ProtocolError('not_in_chat', 'That conversation is not with an agent now.');
    }
    if (toAgentId === before.agent.id) {
      throw new ProtocolError('invalid_payload', 'The conversation is already with that agent.');
    }
    // As its agent's own transfer would: Redis refuses it if the conversation changed hands.
    await this.chat.transfer(
      { userId: before.agent.id, displayName: before.agent.displayName },
      conversationId,
      toAgentId,
    );
    const after = await this.view(conversationId);
    await this.record(supervisor, 'conversation.transfer', before, {
      before: { agent: before.agent.displayName },
      after: { agent: after.agent?.displayName ?? null, queue: after.agent === null },
    });
    return after;
  }

  private async record(
    supervisor: SupervisorIdentity,
    action: string,
    view: WatchView,
    change: { before: Record<string, unknown>; after: Record<string, unknown> },
  ): Promise<void> {
    const account = await this.accounts.findSupervisor(supervisor.userId);
    await this.audit.record({
      actor: {
        id: supervisor.userId,
        login: account?.login ?? '',
        displayName: supervisor.displayName,
      },
      action,
      target: {
        kind: 'conversation',
        id: view.conversationId,
        label: `${view.customer.displayName} with ${view.agent?.displayName ?? 'the queue'}`,
      },
      ...change,
    });
  }
}
