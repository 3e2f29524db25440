import type { z } from 'zod';
import { CANNED_LIMITS, cannedReplyInputSchema, type CannedReplyInput } from '@callcenter/shared';
import type { CannedReplyDoc } from '../store/documents';
import { DuplicateShortcutError, type CannedRepliesRepository } from '../store/cannedReplies';
import { AdminInputError } from './accountAdmin';

const changesSchema = cannedReplyInputSchema.partial();

/** The first problem of each field: an empty title is too short, not also invisible. */
function describeIssues(error: z.ZodError): string {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    const field = issue.path.join('.');
    if (!byField.has(field))
      byField.set(field, field ? `${field}: ${issue.message}` : issue.message);
  }
  return [...byField.values()].join('; ');
}

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AdminInputError(describeIssues(parsed.error));
  return parsed.data;
}

export interface CannedImportResult {
  created: number;
  updated: number;
}

/** What admins do to the shared canned replies (issue 14), validated; agents keep their own. */
export class CannedAdmin {
  constructor(
    private readonly replies: CannedRepliesRepository,
    private readonly servers: {
      /** Tells the server nodes the shared set changed: they tell their agents. */
      sharedChanged: () => Promise<void>;
    },
  ) {}

  list(): Promise<CannedReplyDoc[]> {
    return this.replies.listOf(null);
  }

  async add(input: unknown): Promise<CannedReplyDoc> {
    const data = parseOrThrow(cannedReplyInputSchema, input);
    await this.checkRoomFor(1);
    const doc = await this.unlessDuplicate(data.shortcut, () => this.replies.create(null, data));
    await this.servers.sharedChanged();
    return doc;
  }

  /** Changes the shared reply whose id or shortcut is `key`; only the fields given change. */
  async update(key: string, changes: unknown): Promise<CannedReplyDoc> {
    const data = parseOrThrow(changesSchema, changes);
    if (data.shortcut === undefined && data.title === undefined && data.text === undefined) {
      throw new AdminInputError('nothing to change: give --shortcut, --title or --text');
    }
    const found = await this.find(key);
    const doc = await this.unlessDuplicate(data.shortcut ?? found.shortcut, () =>
      this.replies.update(null, found._id, data),
    );
    if (!doc) throw new AdminInputError(`no shared canned reply "${key}"`);
    await this.servers.sharedChanged();
    return doc;
  }

  async remove(key: string): Promise<CannedReplyDoc> {
    const found = await this.find(key);
    if (!(await this.replies.remove(null, found._id))) {
      throw new AdminInputError(`no shared canned reply "${key}"`);
    }
    await this.servers.sharedChanged();
    return found;
  }

  /**
   * Creates or updates (by shortcut) every reply of `file`, an array of `{ shortcut, title,
   * text }`. All or nothing: every row is checked first, and one bad row stops the import with
   * each bad row named; nothing is written then.
   */
  async importBulk(file: unknown): Promise<CannedImportResult> {
    if (!Array.isArray(file)) {
      throw new AdminInputError(
        'the file must hold a JSON array of canned replies: [{ "shortcut", "title", "text" }, ...]',
      );
    }
    const problems: string[] = [];
    const rows: CannedReplyInput[] = [];
    const rowOfShortcut = new Map<string, number>();
    file.forEach((item: unknown, index) => {
      const shortcut =
        typeof item === 'object' && item !== null && 'shortcut' in item
          ? ` (${JSON.stringify(item.shortcut)})`
          : '';
      const parsed = cannedReplyInputSchema.safeParse(item);
      if (!parsed.success) {
        problems.push(`row ${index + 1}${shortcut}: ${describeIssues(parsed.error)}`);
        return;
      }
      const earlier = rowOfShortcut.get(parsed.data.shortcut);
      if (earlier !== undefined) {
        problems.push(`row ${index + 1}${shortcut}: the same shortcut as row ${earlier + 1}`);
        return;
      }
      rowOfShortcut.set(parsed.data.shortcut, index);
      rows.push(parsed.data);
    });
    if (problems.length > 0) {
      throw new AdminInputError(
        `${problems.length} of ${file.length} rows are not valid; nothing was imported:\n  ${problems.join('\n  ')}`,
      );
    }
    const existing = new Map((await this.replies.listOf(null)).map((doc) => [doc.shortcut, doc]));
    const added = rows.filter((row) => !existing.has(row.shortcut)).length;
    await this.checkRoomFor(added, existing.size);
    const result: CannedImportResult = { created: 0, updated: 0 };
    for (const row of rows) {
      const doc = existing.get(row.shortcut);
      if (doc) {
        await this.replies.update(null, doc._id, row);
        result.updated += 1;
      } else {
        await this.unlessDuplicate(row.shortcut, () => this.replies.create(null, row));
        result.created += 1;
      }
    }
    if (rows.length > 0) await this.servers.sharedChanged();
    return result;
  }

  /** The shared reply with id `key`, else with shortcut `key` (a leading `/` is allowed). */
  private async find(key: string): Promise<CannedReplyDoc> {
    const byId = await this.replies.findInSet(null, key);
    const found = byId ?? (await this.replies.findByShortcut(null, key.replace(/^\//, '')));
    if (!found) throw new AdminInputError(`no shared canned reply with id or shortcut "${key}"`);
    return found;
  }

  private async checkRoomFor(added: number, stored?: number): Promise<void> {
    const count = stored ?? (await this.replies.countOf(null));
    if (count + added > CANNED_LIMITS.sharedReplies) {
      throw new AdminInputError(
        `there would be ${count + added} shared canned replies; at most ${CANNED_LIMITS.sharedReplies} are kept`,
      );
    }
  }

  private async unlessDuplicate<T>(shortcut: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof DuplicateShortcutError) {
        throw new AdminInputError(`a shared canned reply with shortcut "${shortcut}" exists`);
      }
      throw error;
    }
  }
}
