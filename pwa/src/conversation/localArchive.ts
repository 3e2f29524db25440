import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ChatMessage } from '@callcenter/shared';
import type { OutboxEntry, OutboxStore } from '@callcenter/client';

interface ArchiveSchema extends DBSchema {
  /** Messages written but not yet acknowledged by the server. */
  outbox: { key: string; value: OutboxEntry; indexes: { byUser: string } };
  /** The customer's stored messages, so the chat shows while offline. */
  messages: { key: string; value: ChatMessage; indexes: { byCustomer: string } };
  /** Each customer's replay cursor (`session.sync { since }`). */
  cursors: { key: string; value: { userId: string; cursor: number } };
}

export const ARCHIVE_DB_NAME = 'callcenter-customer';

/**
 * The app's IndexedDB: the outbox (the client core's `OutboxStore` port) and a copy of the
 * conversation. Shared by every tab of the origin; the outbox is the source of truth for what is
 * unsent, whichever tab wrote it.
 */
export class LocalArchive implements OutboxStore {
  private database: Promise<IDBPDatabase<ArchiveSchema>> | undefined;

  constructor(private readonly name = ARCHIVE_DB_NAME) {}

  private db(): Promise<IDBPDatabase<ArchiveSchema>> {
    this.database ??= openDB<ArchiveSchema>(this.name, 1, {
      upgrade(db) {
        db.createObjectStore('outbox', { keyPath: 'clientMsgId' }).createIndex('byUser', 'userId');
        db.createObjectStore('messages', { keyPath: 'id' }).createIndex('byCustomer', 'customerId');
        db.createObjectStore('cursors', { keyPath: 'userId' });
      },
    });
    return this.database;
  }

  async outbox(userId: string): Promise<OutboxEntry[]> {
    return (await this.db()).getAllFromIndex('outbox', 'byUser', userId);
  }

  async putOutboxEntry(entry: OutboxEntry): Promise<void> {
    await (await this.db()).put('outbox', entry);
  }

  async outboxEntry(clientMsgId: string): Promise<OutboxEntry | undefined> {
    return (await this.db()).get('outbox', clientMsgId);
  }

  async removeOutboxEntries(clientMsgIds: readonly string[]): Promise<void> {
    if (clientMsgIds.length === 0) return;
    const tx = (await this.db()).transaction('outbox', 'readwrite');
    await Promise.all([...clientMsgIds.map((id) => tx.store.delete(id)), tx.done]);
  }

  async clearOutbox(userId: string): Promise<void> {
    const keys = await (await this.db()).getAllKeysFromIndex('outbox', 'byUser', userId);
    await this.removeOutboxEntries(keys);
  }

  async messages(customerId: string): Promise<ChatMessage[]> {
    return (await this.db()).getAllFromIndex('messages', 'byCustomer', customerId);
  }

  async saveMessages(messages: readonly ChatMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const tx = (await this.db()).transaction('messages', 'readwrite');
    await Promise.all([...messages.map((message) => tx.store.put(message)), tx.done]);
  }

  async saveCursor(userId: string, cursor: number): Promise<void> {
    await (await this.db()).put('cursors', { userId, cursor });
  }

  async cursor(userId: string): Promise<number | undefined> {
    return (await (await this.db()).get('cursors', userId))?.cursor;
  }

  /** Forgets a customer's copy of the conversation (on sign-out); the outbox stays. */
  async forgetConversation(customerId: string): Promise<void> {
    const db = await this.db();
    const keys = await db.getAllKeysFromIndex('messages', 'byCustomer', customerId);
    const tx = db.transaction(['messages', 'cursors'], 'readwrite');
    await Promise.all([
      ...keys.map((key) => tx.objectStore('messages').delete(key)),
      tx.objectStore('cursors').delete(customerId),
      tx.done,
    ]);
  }
}
