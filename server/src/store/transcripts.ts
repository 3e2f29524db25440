import type { Filter, FindCursor } from 'mongodb';
import type { Collections, ConversationDoc, MessageDoc } from './documents';

/** Which conversations a transcript search or export covers; every part narrows it. */
export interface TranscriptFilter {
  /** Customers it may be with (already resolved from a name or login). */
  customerIds?: string[];
  agentIds?: string[];
  /** Started at or after. */
  from?: Date;
  /** Started before. */
  to?: Date;
  /** Conversations a matching message was found in. */
  conversationIds?: string[];
}

/** Where a page of transcripts ends: the last conversation's start and id (newest first). */
export interface TranscriptCursor {
  startedAt: Date;
  id: string;
}

/** Names of the parties, by id, as the transcripts show them. */
export interface PartyNames {
  customers: Map<string, { displayName: string; login: string }>;
  agents: Map<string, { displayName: string; login: string }>;
}

/** Most accounts a name or login text resolves to; more would make a useless filter. */
export const MATCHING_ACCOUNTS_LIMIT = 1_000;

/** Conversations whose messages an export reads at once (the node has 20 store connections). */
const MESSAGE_READS_AT_ONCE = 8;

/** `read` of each id, `MESSAGE_READS_AT_ONCE` in flight at a time. */
async function mapAtOnce<T>(
  ids: string[],
  read: (id: string) => Promise<T>,
): Promise<Map<string, T>> {
  const results = new Map<string, T>();
  let next = 0;
  const reader = async () => {
    while (next < ids.length) {
      const id = ids[next];
      next += 1;
      if (id !== undefined) results.set(id, await read(id));
    }
  };
  await Promise.all(Array.from({ length: MESSAGE_READS_AT_ONCE }, reader));
  return results;
}

/** Regular-expression source that matches `text` literally (for a case-insensitive contains). */
export function literalPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The stored conversations and their messages, read for supervisors' transcripts. */
export class TranscriptsRepository {
  constructor(private readonly collections: Collections) {}

  /** Ids of customers or agents whose display name or login contains `text` (any case). */
  async accountsMatching(kind: 'customers' | 'agents', text: string): Promise<string[]> {
    const pattern = { $regex: literalPattern(text), $options: 'i' };
    const docs = await this.collections[kind]
      .find({ $or: [{ displayName: pattern }, { login: pattern }] }, { projection: { _id: 1 } })
      .limit(MATCHING_ACCOUNTS_LIMIT)
      .toArray();
    return docs.map((doc) => doc._id);
  }

  /**
   * Conversations with a message containing `text` (any case), from at most `messageLimit`
   * matching messages: the search reads no more than that however common the text is.
   */
  async conversationsWithText(
    text: string,
    messageLimit: number,
  ): Promise<{ ids: string[]; truncated: boolean }> {
    const docs = await this.collections.messages
      .find(
        { text: { $regex: literalPattern(text), $options: 'i' } },
        { projection: { conversationId: 1 } },
      )
      .limit(messageLimit + 1)
      .toArray();
    const ids = new Set(docs.slice(0, messageLimit).map((doc) => doc.conversationId));
    return { ids: [...ids], truncated: docs.length > messageLimit };
  }

  /** One page, newest first, after `before` (the previous page's last). */
  page(filter: TranscriptFilter, limit: number, before?: TranscriptCursor) {
    return this.cursor(filter, before).limit(limit).toArray();
  }

  /** Every matching conversation, newest first, read from storage `batchSize` at a time. */
  stream(filter: TranscriptFilter, batchSize: number): FindCursor<ConversationDoc> {
    return this.cursor(filter).batchSize(batchSize);
  }

  find(id: string): Promise<ConversationDoc | null> {
    return this.collections.conversations.findOne({ _id: id });
  }

  /** A conversation's messages in order. */
  messagesOf(conversationId: string): Promise<MessageDoc[]> {
    return this.collections.messages.find({ conversationId }).sort({ seq: 1 }).toArray();
  }

  /**
   * The messages of several conversations, each conversation's in order. One equality query
   * per conversation, `MESSAGE_READS_AT_ONCE` at a time: FerretDB answers those from the
   * conversationId index, while an `$in` over many ids scanned every message (measured: one
   * `$in` of 500 ids over 20,000 messages outlasted the 10 s store time-out).
   */
  messagesOfMany(conversationIds: string[]): Promise<Map<string, MessageDoc[]>> {
    return mapAtOnce(conversationIds, (id) => this.messagesOf(id));
  }

  /** How many messages each conversation has (equality counts, as for messagesOfMany). */
  async messageCounts(conversationIds: string[]): Promise<Map<string, number>> {
    return mapAtOnce(conversationIds, (conversationId) =>
      this.collections.messages.countDocuments({ conversationId }),
    );
  }

  /** The customers' and agents' names of these conversations (two queries). */
  async partyNames(conversations: ConversationDoc[]): Promise<PartyNames> {
    const customerIds = [...new Set(conversations.map((c) => c.customerId))];
    const agentIds = [...new Set(conversations.map((c) => c.agentId))];
    const projection = { projection: { displayName: 1, login: 1 } };
    const [customers, agents] = await Promise.all([
      customerIds.length === 0
        ? []
        : this.collections.customers.find({ _id: { $in: customerIds } }, projection).toArray(),
      agentIds.length === 0
        ? []
        : this.collections.agents.find({ _id: { $in: agentIds } }, projection).toArray(),
    ]);
    const names = (docs: { _id: string; displayName: string; login: string }[]) =>
      new Map(docs.map((d) => [d._id, { displayName: d.displayName, login: d.login }]));
    return { customers: names(customers), agents: names(agents) };
  }

  private cursor(filter: TranscriptFilter, before?: TranscriptCursor) {
    const and: Filter<ConversationDoc>[] = [];
    if (filter.customerIds) and.push({ customerId: { $in: filter.customerIds } });
    if (filter.agentIds) and.push({ agentId: { $in: filter.agentIds } });
    if (filter.conversationIds) and.push({ _id: { $in: filter.conversationIds } });
    if (filter.from) and.push({ startedAt: { $gte: filter.from } });
    if (filter.to) and.push({ startedAt: { $lt: filter.to } });
    if (before) {
      and.push({
        $or: [
          { startedAt: { $lt: before.startedAt } },
          { startedAt: before.startedAt, _id: { $lt: before.id } },
        ],
      });
    }
    return this.collections.conversations
      .find(and.length === 0 ? {} : { $and: and })
      .sort({ startedAt: -1, _id: -1 });
  }
}
