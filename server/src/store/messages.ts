import type { Collection, Filter } from 'mongodb';
import type { ChatMessage } from '@callcenter/shared';
import { GroupCommit, insertEach } from './groupCommit';
import type { Collections, MessageDoc } from './documents';

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
    ...(doc.call && { call: doc.call }),
    ...(doc.notice && { notice: doc.notice }),
    ...(doc.attachment && { attachment: doc.attachment }),
  };
}

/** Every message, stored once per (sender, client message id). */
export class MessagesRepository {
  /** Sends arriving together are stored by one insertMany: the store's cost is per command. */
  private readonly inserts: GroupCommit<MessageDoc, boolean>;

  constructor(
    private readonly collections: Collections,
    /** For page 0's messages from before pages: FerretDB sorts them all (see MongoStore). */
    private readonly longReads: Collection<MessageDoc> = collections.messages,
  ) {
    this.inserts = new GroupCommit((docs) => insertEach(collections.messages, docs), {
      maxBatch: 500,
      concurrency: 2,
    });
  }

  findBySender(senderKey: string, clientMsgId: string): Promise<MessageDoc | null> {
    return this.collections.messages.findOne({ senderKey, clientMsgId });
  }

  /**
   * Inserts a message. When the same sender already stored this client message id (a retry
   * racing the first attempt), answers with the stored one. When another message already holds
   * the sequence number (the counter fell behind storage), answers `seqTaken`: the caller
   * numbers it again.
   */
  async insertOnce(
    doc: MessageDoc,
  ): Promise<{ outcome: 'inserted' | 'duplicate'; message: MessageDoc } | { outcome: 'seqTaken' }> {
    if (await this.inserts.submit(doc)) return { outcome: 'inserted', message: doc };
    // The store does not say which unique index refused it (FerretDB names neither).
    const existing = await this.findBySender(doc.senderKey, doc.clientMsgId);
    if (existing) return { outcome: 'duplicate', message: existing };
    return { outcome: 'seqTaken' };
  }

  /** A customer's messages after a sequence cursor, oldest first. */
  listAfter(customerId: string, since: number, limit: number): Promise<MessageDoc[]> {
    return this.collections.messages
      .find({ customerId, seq: { $gt: since } })
      .sort({ seq: 1 })
      .limit(limit)
      .toArray();
  }

  /** A customer's latest messages, returned oldest first. */
  async listLatest(customerId: string, limit: number): Promise<MessageDoc[]> {
    const newestFirst = await this.collections.messages
      .find({ customerId })
      .sort({ seq: -1 })
      .limit(limit)
      .toArray();
    return newestFirst.reverse();
  }

  /**
   * Messages numbered in one storage page (see MessagePages): those after a sequence cursor,
   * oldest first, or the newest first; at most `limit`. The store sorts and cuts the page
   * (at most 500 messages), so only what the read needs is sent. Page 0 also holds the messages
   * stored before pages existed, which have no page: a scan on FerretDB, needed only for
   * cursors from before the upgrade, and sorted there so that only `limit` of them come back.
   */
  listInPage(
    page: number,
    read: { after?: number; limit: number; newestFirst?: boolean },
  ): Promise<MessageDoc[]> {
    // `null` also matches a missing field.
    const filter: Filter<MessageDoc> =
      page === 0 ? { page: { $in: [0, null as unknown as number] } } : { page };
    if (read.after !== undefined) filter.seq = { $gt: read.after };
    return (page === 0 ? this.longReads : this.collections.messages)
      .find(filter)
      .sort({ seq: read.newestFirst ? -1 : 1 })
      .limit(read.limit)
      .toArray();
  }

  findBySeq(seq: number): Promise<MessageDoc | null> {
    return this.collections.messages.findOne({ seq });
  }

  listForConversation(conversationId: string): Promise<MessageDoc[]> {
    return this.collections.messages.find({ conversationId }).sort({ seq: 1 }).toArray();
  }
}
