import { randomUUID } from 'node:crypto';
import type { CannedReply, CannedReplyInput } from '@callcenter/shared';
import type { CannedReplyDoc, Collections } from './documents';
import { isDuplicateKeyError } from './mongo';

/** Whose set a reply is in: an agent's id, or `null` for the shared set. */
export type CannedOwner = string | null;

/** A set already has a reply with this shortcut (the unique index refused the write). */
export class DuplicateShortcutError extends Error {
  override name = 'DuplicateShortcutError';
  constructor(readonly shortcut: string) {
    super(`a canned reply with the shortcut "${shortcut}" exists in this set`);
  }
}

/**
 * MongoDB answers 11000; FerretDB v1 on PostgreSQL answers an update's violation with code 1
 * and PostgreSQL's own words (its inserts do answer 11000).
 */
function isUniqueViolation(error: unknown): boolean {
  return (
    isDuplicateKeyError(error) ||
    (error instanceof Error && error.message.includes('violates unique constraint'))
  );
}

async function uniqueShortcut<T>(shortcut: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateShortcutError(shortcut);
    throw error;
  }
}

/** A stored reply as agents see it (`own`: in the set of the agent it goes to). */
export function cannedReplyToWire(doc: CannedReplyDoc): CannedReply {
  return {
    id: doc._id,
    scope: doc.ownerId === null ? 'shared' : 'own',
    shortcut: doc.shortcut,
    title: doc.title,
    text: doc.text,
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/**
 * Canned replies in storage. Every read is by owner (equality, which FerretDB answers from the
 * index); a set is small (see CANNED_LIMITS) and sorted here. The unique index on
 * (owner, shortcut) refuses a second reply with one shortcut in a set, even when two saves race.
 */
export class CannedRepliesRepository {
  constructor(private readonly collections: Pick<Collections, 'cannedReplies'>) {}

  /** One set, by shortcut. */
  async listOf(owner: CannedOwner): Promise<CannedReplyDoc[]> {
    const docs = await this.collections.cannedReplies.find({ ownerId: owner }).toArray();
    return docs.sort((a, b) => (a.shortcut < b.shortcut ? -1 : a.shortcut > b.shortcut ? 1 : 0));
  }

  countOf(owner: CannedOwner): Promise<number> {
    return this.collections.cannedReplies.countDocuments({ ownerId: owner });
  }

  /** A reply of `owner`'s set by id; null when there is none (or it is someone else's). */
  findInSet(owner: CannedOwner, id: string): Promise<CannedReplyDoc | null> {
    return this.collections.cannedReplies.findOne({ _id: id, ownerId: owner });
  }

  findByShortcut(owner: CannedOwner, shortcut: string): Promise<CannedReplyDoc | null> {
    return this.collections.cannedReplies.findOne({ ownerId: owner, shortcut });
  }

  /** Adds a reply; a shortcut already in the set throws DuplicateShortcutError. */
  async create(owner: CannedOwner, input: CannedReplyInput): Promise<CannedReplyDoc> {
    const now = new Date();
    const doc: CannedReplyDoc = {
      _id: randomUUID(),
      ownerId: owner,
      shortcut: input.shortcut,
      title: input.title,
      text: input.text,
      createdAt: now,
      updatedAt: now,
    };
    await uniqueShortcut(input.shortcut, () => this.collections.cannedReplies.insertOne(doc));
    return doc;
  }

  /**
   * Changes a reply of `owner`'s set; null when the set has no such reply. A shortcut another
   * reply of the set has throws DuplicateShortcutError.
   */
  async update(
    owner: CannedOwner,
    id: string,
    changes: Partial<CannedReplyInput>,
  ): Promise<CannedReplyDoc | null> {
    const set: Partial<CannedReplyDoc> = { updatedAt: new Date() };
    if (changes.shortcut !== undefined) set.shortcut = changes.shortcut;
    if (changes.title !== undefined) set.title = changes.title;
    if (changes.text !== undefined) set.text = changes.text;
    return uniqueShortcut(changes.shortcut ?? '', () =>
      this.collections.cannedReplies.findOneAndUpdate(
        { _id: id, ownerId: owner },
        { $set: set },
        { returnDocument: 'after' },
      ),
    );
  }

  /** Removes a reply of `owner`'s set; false when the set has no such reply. */
  async remove(owner: CannedOwner, id: string): Promise<boolean> {
    const result = await this.collections.cannedReplies.deleteOne({ _id: id, ownerId: owner });
    return result.deletedCount === 1;
  }
}
