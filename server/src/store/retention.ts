import type { AttachmentsRepository } from './attachments';
import type { Collections, RetentionReport, RetentionSettingsDoc } from './documents';

/** Conversations removed per round: their ids go into one `$in` per collection. */
export const RETENTION_BATCH = 500;

/** The retention setting and the removal of what it no longer keeps. */
export class RetentionRepository {
  constructor(
    private readonly collections: Collections,
    /** A removed conversation's files go with it. */
    private readonly attachments: AttachmentsRepository,
  ) {}

  /** The setting; never set: kept for good. */
  async settings(): Promise<RetentionSettingsDoc> {
    const doc = await this.collections.settings.findOne({ _id: 'retention' });
    return doc ?? { _id: 'retention', days: null, updatedAt: new Date(0), updatedBy: null };
  }

  async setDays(
    days: number | null,
    by: RetentionSettingsDoc['updatedBy'],
    at = new Date(),
  ): Promise<RetentionSettingsDoc> {
    await this.collections.settings.updateOne(
      { _id: 'retention' },
      { $set: { days, updatedAt: at, updatedBy: by } },
      { upsert: true },
    );
    return this.settings();
  }

  async recordRun(report: RetentionReport): Promise<void> {
    await this.collections.settings.updateOne(
      { _id: 'retention' },
      {
        $set: { lastRun: report },
        $setOnInsert: { days: null, updatedAt: report.at, updatedBy: null },
      },
      { upsert: true },
    );
  }

  /** Uploads never sent in a message, from before `cutoff` (they belong to no conversation). */
  removeUnsentAttachmentsBefore(cutoff: Date): Promise<number> {
    return this.attachments.removeUnsentBefore(cutoff);
  }

  /**
   * Removes ended conversations whose end is before `cutoff`, and their messages and attachments,
   * a batch at a time: the attachments and messages first, so a run cut short leaves nothing
   * without its conversation (the next run finishes the job). Active conversations are never
   * touched.
   */
  async removeEndedBefore(
    cutoff: Date,
  ): Promise<{ removedConversations: number; removedMessages: number }> {
    let removedConversations = 0;
    let removedMessages = 0;
    for (;;) {
      const batch = await this.collections.conversations
        .find({ status: 'ended', endedAt: { $lt: cutoff } }, { projection: { _id: 1 } })
        .limit(RETENTION_BATCH)
        .toArray();
      if (batch.length === 0) break;
      const ids = batch.map((doc) => doc._id);
      await this.attachments.removeOfConversations(ids);
      const messages = await this.collections.messages.deleteMany({ conversationId: { $in: ids } });
      const conversations = await this.collections.conversations.deleteMany({
        _id: { $in: ids },
        status: 'ended',
      });
      removedMessages += messages.deletedCount;
      removedConversations += conversations.deletedCount;
    }
    return { removedConversations, removedMessages };
  }
}
