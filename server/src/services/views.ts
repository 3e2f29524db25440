import {
  estimateWait,
  type AgentConversation,
  type AgentState,
  type CustomerInfo,
  type CustomerState,
  type QueueSnapshot,
  type TakeRate,
} from '@callcenter/shared';
import type { ChatQueue, CustomerLiveState, LiveQueueSnapshot } from '../live/chatQueue';
import type { TakeRates } from '../live/takeRate';
import { customerToUser, type AccountsRepository } from '../store/accounts';

/** Builds the state views the protocol sends, from live state and the durable record. */
export class Views {
  constructor(
    private readonly queue: ChatQueue,
    private readonly accounts: AccountsRepository,
    private readonly takeRates: TakeRates,
  ) {}

  /** The recent take rate the estimated waits are computed from. */
  takeRate(): Promise<TakeRate> {
    return this.takeRates.current();
  }

  customerStateFrom(live: CustomerLiveState, rate: TakeRate): CustomerState {
    const position = live.state === 'requestSent' ? live.position : null;
    return {
      version: live.version,
      state: live.state,
      requestId: live.requestId,
      position,
      estimatedWait: position === null ? null : estimateWait(position, rate),
      conversationId: live.conversationId,
      agent:
        live.agentId && live.state !== 'requestSent'
          ? { id: live.agentId, displayName: live.agentName ?? '' }
          : null,
      ratingPending: live.ratingPending,
    };
  }

  async customerState(customerId: string): Promise<CustomerState> {
    const [live, rate] = await Promise.all([
      this.queue.customerState(customerId),
      this.takeRates.current(),
    ]);
    return this.customerStateFrom(live, rate);
  }

  /** The queue as agents see it: each entry with the wait its customer is shown. */
  queueSnapshotFrom(live: LiveQueueSnapshot, rate: TakeRate): QueueSnapshot {
    return {
      ...live,
      entries: live.entries.map((entry, index) => ({
        ...entry,
        estimatedWait: estimateWait(index + 1, rate),
      })),
    };
  }

  /** What an agent sees of a customer; null when the account no longer exists. */
  async customerInfo(customerId: string): Promise<CustomerInfo | null> {
    const doc = await this.accounts.customerProfile(customerId);
    if (!doc) return null;
    const user = customerToUser(doc);
    return {
      id: user.id,
      displayName: user.displayName,
      profile: user.profile,
      pastConversations: doc.pastConversations ?? 0,
    };
  }

  /** An agent's state; `known` saves the lookup when the caller already has the customer. */
  async agentState(agentId: string, known?: CustomerInfo | null): Promise<AgentState> {
    const live = await this.queue.agentState(agentId);
    const infoOf = (customerId: string) =>
      known?.id === customerId ? Promise.resolve(known) : this.customerInfo(customerId);
    const [customer, ...held] = await Promise.all([
      live.customerId ? infoOf(live.customerId) : Promise.resolve(null),
      ...live.conversations.map((c) => infoOf(c.customerId)),
    ]);
    const conversations: AgentConversation[] = [];
    live.conversations.forEach((c, i) => {
      const info = held[i];
      // A customer whose account was deleted cannot be shown; its conversation ends on its own.
      if (!info) return;
      conversations.push({
        conversationId: c.conversationId,
        customer: info,
        startedAt: c.startedAt,
        assignedAt: c.assignedAt,
        transferredFrom: c.from,
      });
    });
    return {
      version: live.version,
      state: live.state,
      conversationId: live.conversationId,
      customer: customer ?? null,
      status: live.status,
      capacity: live.capacity,
      conversations,
    };
  }
}
