import type { Conversation, Role } from '@callcenter/shared';
import { GroupCommit, insertEach } from './groupCommit';
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
  private readonly starts: GroupCommit<ConversationDoc, boolean>;
  /** Ended-conversation counts, one update per batch (a customer once per update). */
  private readonly endedCounts: GroupCommit<string, true>;

  constructor(private readonly collections: Collections) {
    this.starts = new GroupCommit((docs) => insertEach(collections.conversations, docs), {
      maxBatch: 500,
      concurrency: 2,
    });
    this.endedCounts = new GroupCommit(
      async (customerIds) => {
        // $in counts a customer once per update: repeats go in further updates.
        let remaining = customerIds;
        while (remaining.length > 0) {
          const once = [...new Set(remaining)];
          await collections.customers.updateMany(
            { _id: { $in: once } },
            { $inc: { pastConversations: 1 } },
          );
          const seen = new Set<string>();
          remaining = remaining.filter((id) => seen.has(id) || !seen.add(id));
        }
        return customerIds.map(() => true as const);
      },
      { maxBatch: 500, concurrency: 1 },
    );
  }

  async recordStarted(input: {
    id: string;
    customerId: string;
    agentId: string;
    requestId: string | null;
    startedAt: Date;
  }): Promise<ConversationDoc> {
    // An insert, not an upsert: the unique _id decides, and a store that answers filters by
    // scanning (FerretDB v1 on SQLite) only reads when the conversation was already there.
    const doc: ConversationDoc = {
      _id: input.id,
      customerId: input.customerId,
      agentId: input.agentId,
      requestId: input.requestId,
      status: 'active',
      startedAt: input.startedAt,
      endedAt: null,
      endedBy: null,
    };
    if (await this.starts.submit(doc)) return doc;
    const stored = await this.collections.conversations.findOne({ _id: input.id });
    if (!stored) throw new Error(`conversation ${input.id} was not stored`);
    return stored;
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
    await this.endedCounts.submit(customerId);
  }

  async find(id: string): Promise<ConversationDoc | null> {
    return this.collections.conversations.findOne({ _id: id });
  }
}
