import type { Filter } from 'mongodb';
import type { ChatMessage } from '@callcenter/shared';
import { isDuplicateKeyError, type Collections, type MessageDoc } from './mongo';

export function messageToView(doc: MessageDoc): ChatMessage {
  return {
    id: doc._id,
    seq: doc.seq,
    clientMsgId: doc.clientMsgId,
    conversationId: doc.conversationId,
    customerId: doc.customerId,
    sender: doc.sender,
    text: doc.text,
    priority: doc.priority,
    createdAt: doc.createdAt.toISOString(),
  };
}

/** Every message, stored once per (sender, client message id). */
export class MessagesRepository {
  constructor(private readonly collections: Collections) {}

  findBySender(senderKey: string, clientMsgId: string): Promise<MessageDoc | null> {
    return this.collections.messages.findOne({ senderKey, clientMsgId });
  }

  /**
   * Inserts a message; when the same sender already stored this client message id (a retry
   * racing the first attempt), returns the stored one and `inserted: false`.
   */
  async insertOnce(doc: MessageDoc): Promise<{ message: MessageDoc; inserted: boolean }> {
    try {
      await this.collections.messages.insertOne(doc);
      return { message: doc, inserted: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.findBySender(doc.senderKey, doc.clientMsgId);
      if (!existing) throw error;
      return { message: existing, inserted: false };
    }
  }

  /** Messages after a sequence cursor, oldest first; for one customer or (null) for all. */
  async listAfter(customerId: string | null, since: number, limit: number): Promise<MessageDoc[]> {
    const filter: Filter<MessageDoc> = { seq: { $gt: since } };
    if (customerId !== null) filter.customerId = customerId;
    return this.collections.messages.find(filter).sort({ seq: 1 }).limit(limit).toArray();
  }

  /** The latest messages, returned oldest first; for one customer or (null) for all. */
  async listLatest(customerId: string | null, limit: number): Promise<MessageDoc[]> {
    const filter: Filter<MessageDoc> = customerId === null ? {} : { customerId };
    const newestFirst = await this.collections.messages
      .find(filter)
      .sort({ seq: -1 })
      .limit(limit)
      .toArray();
    return newestFirst.reverse();
  }

  async highestSeq(): Promise<number> {
    const [latest] = await this.collections.messages.find({}).sort({ seq: -1 }).limit(1).toArray();
    return latest?.seq ?? 0;
  }

  listForConversation(conversationId: string): Promise<MessageDoc[]> {
    return this.collections.messages.find({ conversationId }).sort({ seq: 1 }).toArray();
  }
}
