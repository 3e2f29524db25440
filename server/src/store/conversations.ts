import type { Conversation, Role } from '@callcenter/shared';
import type { Collections, ConversationDoc } from './mongo';

export function conversationToView(doc: ConversationDoc): Conversation {
  return {
    id: doc._id,
    customerId: doc.customerId,
    agentId: doc.agentId,
    status: doc.status,
    startedAt: doc.startedAt.toISOString(),
    endedAt: doc.endedAt ? doc.endedAt.toISOString() : null,
    endedBy: doc.endedBy,
  };
}

/**
 * The durable record of conversations. Every write mirrors a transition Redis already made,
 * and is idempotent so it can be retried or replayed at start-up.
 */
export class ConversationsRepository {
  constructor(private readonly collections: Collections) {}

  async recordStarted(input: {
    id: string;
    customerId: string;
    agentId: string;
    requestId: string | null;
    startedAt: Date;
  }): Promise<ConversationDoc> {
    const doc = await this.collections.conversations.findOneAndUpdate(
      { _id: input.id },
      {
        $setOnInsert: {
          customerId: input.customerId,
          agentId: input.agentId,
          requestId: input.requestId,
          status: 'active',
          startedAt: input.startedAt,
          endedAt: null,
          endedBy: null,
        },
      },
      { upsert: true, returnDocument: 'after' },
    );
    if (!doc) throw new Error(`conversation ${input.id} was not stored`);
    return doc;
  }

  async recordEnded(id: string, endedAt: Date, endedBy: Role): Promise<void> {
    await this.collections.conversations.updateOne(
      { _id: id, status: 'active' },
      { $set: { status: 'ended', endedAt, endedBy } },
    );
  }

  async find(id: string): Promise<ConversationDoc | null> {
    return this.collections.conversations.findOne({ _id: id });
  }

  async countEndedForCustomer(customerId: string): Promise<number> {
    return this.collections.conversations.countDocuments({ customerId, status: 'ended' });
  }
}
