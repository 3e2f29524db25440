import { ProtocolError, type ChatMessage, type ErrorBody } from '@callcenter/shared';
import { toErrorBody } from '@callcenter/shared/machines';
import { sendRetryDelay, type SendRetryPolicy } from './sendRetry';

/**
 * A file going with an outbox message. Its bytes stay with the entry (IndexedDB keeps a Blob), so
 * a file picked offline is uploaded on reconnect; the upload's id is the message's client id, so
 * a retried upload answers the same attachment.
 */
export interface OutboxAttachment {
  /** The bytes: a Blob in the browsers (typed by what the core needs, it has no DOM types). */
  file: { readonly size: number; readonly type: string };
  name: string;
  size: number;
  /** Set once the server has kept the file: a retried send skips the upload. */
  attachmentId?: string;
}

/** A message written but not yet acknowledged by the server. */
export interface OutboxEntry {
  /** Sent with every attempt, so the server stores the message once however often it is retried. */
  clientMsgId: string;
  userId: string;
  /** Whom it is for: the customer an agent writes to. Absent when a customer writes in their chat. */
  to?: string;
  /** Empty when the message is only a file. */
  text: string;
  attachment?: OutboxAttachment;
  /** Local time of writing (ms), the order in which the outbox is sent. */
  queuedAt: number;
  /** Set when the server refused it for good (e.g. the chat ended before it could be sent). */
  failure: ErrorBody | null;
  /** Tries that ended in server trouble so far (absent: none), counted against the policy. */
  attempts?: number;
}

/** Sending order: oldest first, ties by id so every tab picks the same next message. */
export function compareOutboxOrder(a: OutboxEntry, b: OutboxEntry): number {
  return a.queuedAt - b.queuedAt || (a.clientMsgId < b.clientMsgId ? -1 : 1);
}

/**
 * Port: where unsent messages wait, surviving reloads and shared by every window of the user
 * (the PWA keeps them in IndexedDB). It is the source of truth for what is unsent.
 */
export interface OutboxStore {
  outbox(userId: string): Promise<OutboxEntry[]>;
  outboxEntry(clientMsgId: string): Promise<OutboxEntry | undefined>;
  putOutboxEntry(entry: OutboxEntry): Promise<void>;
  removeOutboxEntries(clientMsgIds: readonly string[]): Promise<void>;
  clearOutbox(userId: string): Promise<void>;
}

/**
 * An outbox message is tried until the server answers it: it is kept on the device, shown as
 * waiting, and its client message id makes every retry safe.
 */
export const OUTBOX_RETRY: SendRetryPolicy = {
  maxAttempts: Number.POSITIVE_INFINITY,
  backoffMs: () => 1_500,
};

export interface DrainOutboxOptions {
  store: OutboxStore;
  userId: string;
  /** Checked before each message: connected, synced, and still this user. */
  canSend: () => boolean;
  /** Sends one message; resolves with the stored message, rejects with the server's error. */
  send: (entry: OutboxEntry) => Promise<ChatMessage>;
  /** The server stored it (already removed from the store). */
  onSent: (message: ChatMessage, entry: OutboxEntry) => void;
  /** It failed for good: refused, or out of tries (its failure is already in the store). */
  onFailed: (entry: OutboxEntry) => Promise<void> | void;
  /** How often server trouble is retried before a message fails; `OUTBOX_RETRY` by default. */
  policy?: SendRetryPolicy;
}

/**
 * How a drain ended: `done` (nothing left to send now, or it may not send), `retry` (server
 * trouble: try again after `afterMs`, if still connected), `held` (the session ended: what is
 * unsent waits for the next sign-in).
 */
export type DrainEnd = { end: 'done' } | { end: 'held' } | { end: 'retry'; afterMs: number };

/** Sends the outbox oldest first, one message at a time, each with its own client message id. */
export async function drainOutbox(options: DrainOutboxOptions): Promise<DrainEnd> {
  const { store, userId, policy = OUTBOX_RETRY } = options;
  for (;;) {
    if (!options.canSend()) return { end: 'done' };
    // The store, not a view: another window may have written or sent meanwhile.
    const tried = (await store.outbox(userId))
      .filter((entry) => entry.failure === null)
      .sort(compareOutboxOrder)[0];
    if (tried === undefined) return { end: 'done' };
    try {
      const message = await options.send(tried);
      await store.removeOutboxEntries([tried.clientMsgId]);
      options.onSent(message, tried);
    } catch (rejection) {
      const error = toErrorBody(rejection);
      if (error.code === 'unauthorized') return { end: 'held' };
      // As stored now: the send may have noted its file's upload meanwhile. Gone: discarded
      // while it was on its way (in this window or another), and it stays gone.
      const next = await store.outboxEntry(tried.clientMsgId);
      if (next === undefined) continue;
      const attempts = (next.attempts ?? 0) + 1;
      const afterMs = sendRetryDelay(error.code, attempts, policy);
      if (afterMs !== null) {
        await store.putOutboxEntry({ ...next, attempts });
        return { end: 'retry', afterMs };
      }
      const failed = { ...next, attempts, failure: error };
      await store.putOutboxEntry(failed);
      await options.onFailed(failed);
    }
  }
}

/**
 * Runs a drain one at a time: a kick while one runs asks for one more run after it (what was
 * written meanwhile goes then), never two at once.
 */
export class DrainRunner {
  private running = false;
  private again = false;

  constructor(
    private readonly drain: () => Promise<void>,
    private readonly onError: (error: unknown) => void = (error) => {
      console.warn('sending the outbox failed', error);
    },
  ) {}

  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.drain()
      .catch(this.onError)
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }
}

/**
 * The id of the entry's file on the server, uploading it first when that is not done yet (and
 * remembering it in the store, so a retried send does not upload again). Undefined without a
 * file. Rejects with the upload's error, which the drain treats like a send's, or `not_found`
 * when the entry was discarded while its file went up.
 */
export async function uploadedAttachmentId(
  entry: OutboxEntry,
  store: OutboxStore,
  upload: (entry: OutboxEntry & { attachment: OutboxAttachment }) => Promise<{ id: string }>,
): Promise<string | undefined> {
  const { attachment } = entry;
  if (attachment === undefined) return undefined;
  if (attachment.attachmentId !== undefined) return attachment.attachmentId;
  const { id } = await upload({ ...entry, attachment });
  // Discarded while its file went up (here or in another window): it is not sent after all.
  if ((await store.outboxEntry(entry.clientMsgId)) === undefined) {
    throw new ProtocolError('not_found', 'The message was discarded before it was sent.');
  }
  await store.putOutboxEntry({ ...entry, attachment: { ...attachment, attachmentId: id } });
  return id;
}
