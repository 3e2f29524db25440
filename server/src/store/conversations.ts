import type { CloseReason, Role } from '@callcenter/shared';
import { GroupCommit, insertEach } from './groupCommit';
import type { Collections, ConversationDoc } from './documents';
import { isDuplicateKeyError } from './mongo';

/**
 * The durable record of conversations. Every write mirrors a transition Redis already made,
 * and is idempotent so it can be retried or replayed at start-up.
 */
export class ConversationsRepository {
  private readonly starts: GroupCommit<ConversationDoc, boolean>;
  /** Starts this process is still writing: an end waits for its start instead of racing it. */
  private readonly pendingStarts = new Map<string, Promise<unknown>>();
  /**
   * Ends this process is still writing. FerretDB v1 writes an update by reading and rewriting
   * the whole document, so two updates of one conversation at once can lose one of them (a
   * rating written while its end was being written was lost): a rating waits for the end.
   */
  private readonly pendingEnds = new Map<string, Promise<unknown>>();

  constructor(private readonly collections: Collections) {
    this.starts = new GroupCommit((docs) => insertEach(collections.conversations, docs), {
      maxBatch: 500,
      concurrency: 2,
    });
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
    const write = this.starts.submit(doc);
    this.pendingStarts.set(doc._id, write);
    try {
      if (await write) return doc;
    } finally {
      if (this.pendingStarts.get(doc._id) === write) this.pendingStarts.delete(doc._id);
    }
    const stored = await this.collections.conversations.findOne({ _id: input.id });
    if (!stored) throw new Error(`conversation ${input.id} was not stored`);
    return stored;
  }

  /**
   * Records a hand-over: the conversation went from one agent to another, to the queue (`to`
   * null), or from the queue (`from` null) to an agent, who then holds it. Written again with
   * the same fields (a retry) it changes nothing.
   */
  async recordHandover(input: {
    id: string;
    at: Date;
    from: string | null;
    to: string | null;
  }): Promise<void> {
    const handover = { at: input.at, from: input.from, to: input.to };
    const result = await this.collections.conversations.updateOne(
      { _id: input.id },
      {
        ...(input.to !== null && { $set: { agentId: input.to } }),
        $addToSet: { handovers: handover },
      },
    );
    // The start is written without holding the take up: not there yet, the caller retries.
    if (result.matchedCount === 0) throw new Error(`conversation ${input.id} is not stored yet`);
  }

  /**
   * Moves one side's read cursor forward to `seq` (never back). Answers the cursor now, or null
   * when the conversation is not stored (yet).
   */
  async recordRead(input: {
    id: string;
    role: Role;
    seq: number;
    at: Date;
  }): Promise<{ seq: number; at: Date; moved: boolean } | null> {
    const field = `reads.${input.role}`;
    const before = await this.collections.conversations.findOneAndUpdate(
      { _id: input.id },
      { $max: { [`${field}.seq`]: input.seq } },
      // No projection: FerretDB v1's findAndModify has none.
      { returnDocument: 'before' },
    );
    if (!before) return null;
    const held = before.reads?.[input.role];
    if (held && held.seq >= input.seq) return { seq: held.seq, at: held.at, moved: false };
    // Its time only moves on with its sequence (two moves at once: the later time stays).
    await this.collections.conversations.updateOne(
      { _id: input.id },
      { $max: { [`${field}.at`]: input.at } },
    );
    return { seq: input.seq, at: input.at, moved: true };
  }

  /**
   * Who took part in a conversation: its customer and every agent that held it (the first and
   * each one a hand-over went to or came from); null when it is not stored (yet).
   */
  async partiesOf(id: string): Promise<{ customerId: string; agentIds: string[] } | null> {
    const doc = await this.collections.conversations.findOne(
      { _id: id },
      { projection: { customerId: 1, agentId: 1, handovers: 1 } },
    );
    if (!doc) return null;
    const agentIds = new Set([doc.agentId]);
    for (const handover of doc.handovers ?? []) {
      if (handover.from !== null) agentIds.add(handover.from);
      if (handover.to !== null) agentIds.add(handover.to);
    }
    return { customerId: doc.customerId, agentIds: [...agentIds] };
  }

  /** The read cursors of these conversations. */
  async readsOf(
    ids: readonly string[],
  ): Promise<{ id: string; customerId: string; reads: NonNullable<ConversationDoc['reads']> }[]> {
    if (ids.length === 0) return [];
    const docs = await this.collections.conversations
      .find({ _id: { $in: [...ids] } }, { projection: { customerId: 1, reads: 1 } })
      .toArray();
    return docs.map((doc) => ({ id: doc._id, customerId: doc.customerId, reads: doc.reads ?? {} }));
  }

  /**
   * Marks a conversation ended. The start may not be stored yet (the two writes follow
   * concurrent transitions), so an absent conversation is inserted already ended; the
   * start's insert then leaves it alone. Status only ever moves from active to ended.
   *
   * Every filter is `{_id}` alone: the one a store answers by index even when it pushes
   * nothing else down (FerretDB v1). The end's fields come from Redis, the same on every
   * retry and replay, so writing them twice changes nothing the second time: exactly one
   * write modifies the document, and only that one counts the customer's conversation.
   */
  async recordEnded(input: {
    id: string;
    customerId: string;
    agentId: string;
    requestId: string | null;
    startedAt: Date;
    endedAt: Date;
    /** null: the server closed it (`endReason`). */
    endedBy: Role | null;
    endReason?: Role | CloseReason;
  }): Promise<void> {
    const write = this.writeEnded(input);
    this.pendingEnds.set(input.id, write);
    try {
      await write;
    } finally {
      if (this.pendingEnds.get(input.id) === write) this.pendingEnds.delete(input.id);
    }
  }

  private async writeEnded(input: Parameters<ConversationsRepository['recordEnded']>[0]) {
    // Usually the start is already stored, or still on its way from this process: waiting
    // for it saves the store an insert that would fail and a read.
    await this.pendingStarts.get(input.id)?.catch(() => undefined);
    const { conversations } = this.collections;
    const ended = {
      status: 'ended' as const,
      endedAt: input.endedAt,
      endedBy: input.endedBy,
      ...(input.endReason && { endReason: input.endReason }),
    };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const updated = await conversations.updateOne({ _id: input.id }, { $set: ended });
      if (updated.matchedCount > 0) {
        if (updated.modifiedCount > 0) await this.countEnded(input.customerId);
        return;
      }
      try {
        await conversations.insertOne({
          _id: input.id,
          customerId: input.customerId,
          agentId: input.agentId,
          requestId: input.requestId,
          startedAt: input.startedAt,
          ...ended,
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

  /**
   * Stores the customer's rating (or skip) of a conversation. Redis has already decided that
   * this is the one answer (rateConversation.lua: a conditional update is not atomic on FerretDB
   * v1), so the filter is `{_id, customerId}` and a retry writes the same fields again.
   * Resolves false when the conversation is not stored (yet), or the write was overwritten.
   */
  async recordRating(input: {
    id: string;
    customerId: string;
    rating: NonNullable<ConversationDoc['rating']>;
  }): Promise<boolean> {
    await this.pendingStarts.get(input.id)?.catch(() => undefined);
    await this.pendingEnds.get(input.id)?.catch(() => undefined);
    const result = await this.collections.conversations.updateOne(
      { _id: input.id, customerId: input.customerId },
      { $set: { rating: input.rating } },
    );
    if (result.matchedCount === 0) return false;
    // Read back: an update of the same document from another node at the same moment can
    // overwrite this one on FerretDB v1 (see pendingEnds); then the caller writes it again.
    const stored = await this.collections.conversations.findOne({ _id: input.id });
    return stored?.rating !== undefined;
  }

  // One update per end, not one command for many: FerretDB v1 stalls on an `update` command
  // with many statements (a hundred took minutes here).
  private async countEnded(customerId: string): Promise<void> {
    await this.collections.customers.updateOne(
      { _id: customerId },
      { $inc: { pastConversations: 1 } },
    );
  }
}
