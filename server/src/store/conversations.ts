import type { Conversation, Role } from '@callcenter/shared';
import { isDuplicateKeyError, type Collections, type ConversationDoc } from './mongo';

export function conversationToView(doc: ConversationDoc): Conversation {
  return {
    id: doc._id,
    customerId: doc.customerId,
    agentId: doc.agentId,
    status: doc.status,
    startedAt: doc.startedAt.toISOString(),
    // FerretDB v1 drops null fields written by an upsert's $setOnInsert: absent means null.
    endedAt: doc.endedAt ? doc.endedAt.toISOString() : null,
    endedBy: doc.endedBy ?? null,
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
    const upsert = () =>
      this.collections.conversations.findOneAndUpdate(
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
    let doc;
    try {
      doc = await upsert();
    } catch (error) {
      // A concurrent write (the end, recorded first) inserted it between our find and insert;
      // the upsert now finds it and leaves it as it is.
      if (!isDuplicateKeyError(error)) throw error;
      doc = await upsert();
    }
    if (!doc) throw new Error(`conversation ${input.id} was not stored`);
    return doc;
  }

  /**
   * Marks a conversation ended. The start may not be stored yet (the two writes follow
   * concurrent transitions), so an absent conversation is inserted already ended; the
   * start's upsert then leaves it alone. Status only ever moves from active to ended.
   */
  async recordEnded(input: {
    id: string;
    customerId: string;
    agentId: string;
    requestId: string | null;
    startedAt: Date;
    endedAt: Date;
    endedBy: Role;
  }): Promise<void> {
    const { conversations } = this.collections;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const updated = await conversations.updateOne(
        { _id: input.id, status: 'active' },
        { $set: { status: 'ended', endedAt: input.endedAt, endedBy: input.endedBy } },
      );
      if (updated.matchedCount > 0) {
        await this.countEnded(input.customerId);
        return;
      }
      if (await conversations.findOne({ _id: input.id, status: 'ended' })) return;
      try {
        await conversations.insertOne({
          _id: input.id,
          customerId: input.customerId,
          agentId: input.agentId,
          requestId: input.requestId,
          status: 'ended',
          startedAt: input.startedAt,
          endedAt: input.endedAt,
          endedBy: input.endedBy,
        });
        await this.countEnded(input.customerId);
        return;
      } catch (error) {
        // The start was stored in between: mark that one ended.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    throw new Error(`conversation ${input.id} could not be marked ended`);
  }

  private async countEnded(customerId: string): Promise<void> {
    await this.collections.customers.updateOne(
      { _id: customerId },
      { $inc: { pastConversations: 1 } },
    );
  }

  async find(id: string): Promise<ConversationDoc | null> {
    return this.collections.conversations.findOne({ _id: id });
  }
}
