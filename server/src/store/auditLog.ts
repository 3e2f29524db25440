import { randomUUID } from 'node:crypto';
import type { Filter } from 'mongodb';
import type { AuditDoc, Collections } from './documents';

export type AuditEntry = Omit<AuditDoc, '_id' | 'at'>;

/** The audit log: what supervisors did, newest first. Entries are only ever added. */
export class AuditLogRepository {
  constructor(private readonly collections: Collections) {}

  async record(entry: AuditEntry, at = new Date()): Promise<AuditDoc> {
    const doc: AuditDoc = { _id: randomUUID(), at, ...entry };
    await this.collections.auditLog.insertOne(doc);
    return doc;
  }

  /**
   * The newest entries, optionally of one action. The next page is those before `before`, or,
   * with `beforeId` (the previous page's last entry), before that entry: entries of the same
   * millisecond are ordered by id, so none is skipped or shown twice.
   */
  list(query: {
    limit: number;
    before?: Date;
    beforeId?: string;
    action?: string;
  }): Promise<AuditDoc[]> {
    const filter: Filter<AuditDoc> = {};
    if (query.before && query.beforeId !== undefined) {
      filter.$or = [
        { at: { $lt: query.before } },
        { at: query.before, _id: { $lt: query.beforeId } },
      ];
    } else if (query.before) filter.at = { $lt: query.before };
    if (query.action) filter.action = query.action;
    return this.collections.auditLog
      .find(filter)
      .sort({ at: -1, _id: -1 })
      .limit(query.limit)
      .toArray();
  }

  /** Every entry (of a time range), newest first, read a batch at a time: for exports. */
  stream(query: { from?: Date; to?: Date } = {}): AsyncIterable<AuditDoc> {
    const filter: Filter<AuditDoc> = {};
    if (query.from || query.to) {
      filter.at = {
        ...(query.from && { $gte: query.from }),
        ...(query.to && { $lt: query.to }),
      };
    }
    return this.collections.auditLog.find(filter).sort({ at: -1 }).batchSize(500);
  }
}
