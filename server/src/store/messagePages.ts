import type { Collections } from './documents';

/** The message pages on record (see MessagePages): each page's lowest sequence, and the highest page. */
export class MessagePagesRepository {
  constructor(private readonly collections: Collections) {}

  /**
   * Puts `page` on record before any message is numbered in it. Openers racing on one page keep
   * the lowest floor: each was taken before the page opened, so each is below all its messages.
   */
  async record(page: number, lowestSeq: number): Promise<void> {
    await this.collections.messagePages.updateOne(
      { _id: page },
      { $min: { lowestSeq } },
      { upsert: true },
    );
    await this.collections.counters.updateOne(
      { _id: 'messagePages' },
      { $max: { value: page } },
      { upsert: true },
    );
  }

  /** The highest page on record, or -1 when none is. */
  async highest(): Promise<number> {
    const counter = await this.collections.counters.findOne({ _id: 'messagePages' });
    return counter?.value ?? -1;
  }

  /** The lowest sequence of `page`, or null when the page is not on record. */
  async lowestSeq(page: number): Promise<number | null> {
    const doc = await this.collections.messagePages.findOne({ _id: page });
    return doc?.lowestSeq ?? null;
  }

  /**
   * Starts the record. Messages stored before pages existed (no `page`) count as page 0, which
   * new messages never use: numbering starts at page 1. They are not rewritten: on FerretDB
   * that is one update per message, many minutes for a large history, before the node starts.
   */
  async start(): Promise<void> {
    if ((await this.highest()) >= 0) return;
    await this.record(0, 0);
  }
}
