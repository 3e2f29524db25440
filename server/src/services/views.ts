import type { AgentState, CustomerInfo, CustomerState } from '@callcenter/shared';
import type { ChatQueue, CustomerLiveState } from '../live/chatQueue';
import { customerToUser, type AccountsRepository } from '../store/accounts';

/** Builds the state views the protocol sends, from live state and the durable record. */
export class Views {
  constructor(
    private readonly queue: ChatQueue,
    private readonly accounts: AccountsRepository,
  ) {}

  customerStateFrom(live: CustomerLiveState): CustomerState {
    return {
      version: live.version,
      state: live.state,
      requestId: live.requestId,
      position: live.state === 'requestSent' ? live.position : null,
      conversationId: live.conversationId,
      agent:
        live.agentId && live.state !== 'requestSent'
          ? { id: live.agentId, displayName: live.agentName ?? '' }
          : null,
    };
  }

  async customerState(customerId: string): Promise<CustomerState> {
    return this.customerStateFrom(await this.queue.customerState(customerId));
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
    let customer: CustomerInfo | null = null;
    if (live.customerId) {
      customer = known?.id === live.customerId ? known : await this.customerInfo(live.customerId);
    }
    // Multi-conversation state is being built (issue 14): until then one conversation.
    return {
      version: live.version,
      state: live.state,
      conversationId: live.conversationId,
      customer,
      status: 'available',
      capacity: 1,
      conversations: [],
    };
  }
}
