import { MongoClient, MongoServerError, type Collection, type Db } from 'mongodb';
import { collectionsOf, type Collections, type MessageDoc } from './documents';
import { MessagePagesRepository } from './messagePages';

export interface MongoStore {
  client: MongoClient;
  db: Db;
  collections: Collections;
  /**
   * The messages through a client without the usual socket time-out: for reads FerretDB may
   * take minutes to answer (page 0's messages from before pages, sorted in its memory).
   */
  messagesForLongReads: Collection<MessageDoc>;
  close(): Promise<void>;
}

/** The longest the store may take to answer one command before it counts as gone. */
export const STORE_SOCKET_TIMEOUT_MS = 10_000;

/**
 * How long start-up's own work in storage may take: building an index that is new to a large
 * history (an upgrade), or giving old messages their page, may take minutes on FerretDB.
 */
export const STORE_MIGRATION_TIMEOUT_MS = 30 * 60_000;

/** Connections to the store per node (the driver's default is 100). */
export const MAX_STORE_CONNECTIONS = 20;

/** A store command's name, outcome and duration, from the driver's command monitoring. */
export type StoreCommandObserver = (command: string, ok: boolean, durationMs: number) => void;

/** Times every command of `client` (the driver's command monitoring must be on). */
function observeCommands(client: MongoClient, observe: StoreCommandObserver): void {
  client.on('commandSucceeded', (event) => {
    observe(event.commandName, true, event.duration);
  });
  client.on('commandFailed', (event) => {
    observe(event.commandName, false, event.duration);
  });
}

/**
 * Connects; creates the indexes every query relies on and starts the message pages' record.
 * `observe`, when given, hears every command's duration (for the metrics).
 */
export async function connectMongo(
  url: string,
  dbName: string,
  observe?: StoreCommandObserver,
): Promise<MongoStore> {
  const client = new MongoClient(url, {
    monitorCommands: observe !== undefined,
    serverSelectionTimeoutMS: 5_000,
    // Sends wait for storage rather than fail at once while it is briefly away.
    retryWrites: true,
    // A store that stops answering (frozen, or a network dropping packets rather than refusing)
    // fails the request as `unavailable` within these instead of holding it for good; no
    // query here runs anywhere near that long.
    connectTimeoutMS: 5_000,
    socketTimeoutMS: STORE_SOCKET_TIMEOUT_MS,
    // Commands in flight per node. Writes are batched, so a few connections carry the load;
    // the bound keeps nodes clear of FerretDB's pool deadlock (tools/ferretdb/poolsize.go).
    maxPoolSize: MAX_STORE_CONNECTIONS,
  });
  await client.connect();
  const db = client.db(dbName);
  const collections = collectionsOf(db);
  // The usual socket time-out would fail a start-up whose index build outlasts it (a new index
  // on 1,000,000 stored messages did), and the reads of messages from before pages: a client
  // of their own lets them finish.
  const longRunning = new MongoClient(url, {
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    socketTimeoutMS: STORE_MIGRATION_TIMEOUT_MS,
    maxPoolSize: 4,
    monitorCommands: observe !== undefined,
  });
  if (observe !== undefined) {
    observeCommands(client, observe);
    observeCommands(longRunning, observe);
  }
  const slow = collectionsOf(longRunning.db(dbName));
  try {
    await createIndexes(slow);
    await new MessagePagesRepository(slow).start();
  } catch (error) {
    await Promise.all([client.close(), longRunning.close()]);
    throw error;
  }
  return {
    client,
    db,
    collections,
    messagesForLongReads: slow.messages,
    close: async () => {
      await Promise.all([client.close(), longRunning.close()]);
    },
  };
}

/** The indexes every query relies on (idempotent). */
export async function createIndexes(collections: Collections): Promise<void> {
  await Promise.all([
    collections.agents.createIndex({ login: 1 }, { unique: true, name: 'login_unique' }, undefined),
    collections.customers.createIndex(
      { login: 1 },
      { unique: true, name: 'login_unique' },
      undefined,
    ),
    collections.supervisors.createIndex(
      { login: 1 },
      { unique: true, name: 'login_unique' },
      undefined,
    ),
    collections.auditLog.createIndex({ at: -1 }),
    collections.conversations.createIndex({ customerId: 1, startedAt: -1 }),
    collections.conversations.createIndex({ agentId: 1, startedAt: -1 }),
    // Transcripts are listed newest first (keyset paging on startedAt, _id); retention finds
    // the ended ones by their end.
    collections.conversations.createIndex({ startedAt: -1, _id: -1 }),
    collections.conversations.createIndex({ endedAt: 1 }),
    collections.messages.createIndex(
      { senderKey: 1, clientMsgId: 1 },
      { unique: true, name: 'sender_clientMsgId_unique' },
      undefined,
    ),
    ensureUniqueSeqIndex(collections.messages),
    collections.messages.createIndex({ customerId: 1, seq: 1 }),
    collections.messages.createIndex({ conversationId: 1, seq: 1 }),
    collections.messages.createIndex({ page: 1 }),
    // A customer's devices are read for every push to it; a logout removes its session's.
    collections.pushSubscriptions.createIndex({ customerId: 1 }),
    collections.pushSubscriptions.createIndex({ sessionId: 1 }),
    // One shortcut per set (the shared set is owner null); lists are read by owner.
    collections.cannedReplies.createIndex(
      { ownerId: 1, shortcut: 1 },
      { unique: true, name: 'owner_shortcut_unique' },
      undefined,
    ),
  ]);
}

/**
 * Sequence numbers are the replay cursor: two messages under one number would hide one of them
 * from a client whose cursor sits between. Databases made before this index was unique have a
 * plain `seq_1` index on the same key, which MongoDB will not keep beside a unique one.
 */
async function ensureUniqueSeqIndex(messages: Collection<MessageDoc>): Promise<void> {
  const create = () =>
    messages.createIndex({ seq: 1 }, { unique: true, name: 'seq_unique' }, undefined);
  try {
    await create();
  } catch (error) {
    if (!isIndexConflict(error)) throw error;
    await messages.dropIndex('seq_1');
    await create();
  }
}

function isIndexConflict(error: unknown): boolean {
  return error instanceof MongoServerError && (error.code === 85 || error.code === 86);
}

/** True for MongoDB's duplicate-key error (a unique index refused the write). */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}
