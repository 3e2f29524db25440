import { LIMITS } from '@callcenter/shared';
import type { ErrorCode } from '@callcenter/shared';
import { toErrorBody } from '@callcenter/shared/machines';
import type { ChatConnection } from '../server/chatConnection';
import type { CustomerConversation } from './customerConversation';
import type { LocalArchive } from './localArchive';
import { compareOutboxOrder, type OutboxEntry } from './messageLog';

/** Refusals that a retry cannot change: the message waits for the customer to retry or discard. */
const PERMANENT_REFUSALS: ReadonlySet<ErrorCode> = new Set([
  'not_in_chat',
  'forbidden',
  'invalid_payload',
]);

/** Server trouble while connected (storage out, rate limit): try again shortly. */
const RETRY_AFTER_MS = 1_500;

const CHANGES_CHANNEL = 'callcenter-outbox';

/**
 * A fresh client message id (128 random bits, in the protocol's id alphabet). Not
 * `crypto.randomUUID()`: that exists only in secure contexts, and the app should still work
 * when opened over plain HTTP on a local network.
 */
export function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `m-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

export interface OutboxSenderOptions {
  archive: LocalArchive;
  conversation: CustomerConversation;
  connection: ChatConnection;
  /** Connected and synced: sending now is in order with what the server already has. */
  isReady: () => boolean;
}

/**
 * Sends the IndexedDB outbox oldest first, one message at a time, each with its own client
 * message id until the server acknowledges it (so it is stored once whatever the retries).
 * Tabs of one browser share the outbox; a Web Lock lets one of them send at a time.
 */
export class OutboxSender {
  private running = false;
  private rerun = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private lastQueuedAt = 0;
  private readonly changes: BroadcastChannel | null;

  constructor(private readonly options: OutboxSenderOptions) {
    this.changes =
      typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANGES_CHANNEL);
    this.changes?.addEventListener('message', () => {
      void this.options.conversation.refreshOutbox();
      this.kick();
    });
  }

  private get userId(): string | null {
    return this.options.conversation.store.getState().userId;
  }

  /** Keeps the message on this device first, then sends it when it can. */
  async write(text: string): Promise<void> {
    const userId = this.userId;
    if (userId === null || text.trim() === '' || text.length > LIMITS.messageLength) return;
    this.lastQueuedAt = Math.max(Date.now(), this.lastQueuedAt + 1);
    const entry: OutboxEntry = {
      clientMsgId: newClientMsgId(),
      userId,
      text,
      queuedAt: this.lastQueuedAt,
      failure: null,
    };
    await this.options.archive.putOutboxEntry(entry);
    this.options.conversation.store.setState((view) => ({ outbox: [...view.outbox, entry] }));
    this.announce();
    this.kick();
  }

  /** Tries a refused message again, with the same client message id. */
  async retry(clientMsgId: string): Promise<void> {
    const entry = await this.options.archive.outboxEntry(clientMsgId);
    if (entry === undefined) return;
    await this.options.archive.putOutboxEntry({ ...entry, failure: null });
    await this.changed();
    this.kick();
  }

  async discard(clientMsgId: string): Promise<void> {
    await this.options.archive.removeOutboxEntries([clientMsgId]);
    await this.changed();
  }

  /** Exit: what was never sent goes with the session. */
  async discardAll(): Promise<void> {
    const userId = this.userId;
    if (userId === null) return;
    await this.options.archive.clearOutbox(userId);
    await this.changed();
  }

  /** Starts sending if there is a link and nothing is being sent already. */
  kick(): void {
    if (!this.options.isReady() || this.userId === null) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    void this.sendUnderLock().finally(() => {
      this.running = false;
      if (this.rerun) {
        this.rerun = false;
        this.kick();
      }
    });
  }

  private async sendUnderLock(): Promise<void> {
    const userId = this.userId;
    if (userId === null) return;
    const drain = () => this.drain(userId);
    try {
      if ('locks' in navigator)
        await navigator.locks.request(`${CHANGES_CHANNEL}-${userId}`, drain);
      else await drain();
    } catch (error) {
      console.warn('sending the outbox failed', error);
    }
  }

  private async drain(userId: string): Promise<void> {
    const { archive, connection, conversation } = this.options;
    for (;;) {
      if (!this.options.isReady() || this.userId !== userId) return;
      // The archive, not this tab's view: another tab may have written or sent meanwhile.
      const next = (await archive.outbox(userId))
        .filter((entry) => entry.failure === null)
        .sort(compareOutboxOrder)[0];
      if (next === undefined) return;
      try {
        const { message } = await connection.request('message.send', {
          clientMsgId: next.clientMsgId,
          text: next.text,
        });
        conversation.receive([message]);
        await archive.removeOutboxEntries([next.clientMsgId]);
        this.announce();
      } catch (rejection) {
        const error = toErrorBody(rejection);
        if (PERMANENT_REFUSALS.has(error.code)) {
          await archive.putOutboxEntry({ ...next, failure: error });
          await this.changed();
          continue;
        }
        // Dropped link: the next connection sends it. Still connected: the server had trouble.
        if (connection.connected && error.code !== 'unauthorized') this.retrySoon();
        return;
      }
    }
  }

  private retrySoon(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.kick();
    }, RETRY_AFTER_MS);
  }

  private async changed(): Promise<void> {
    await this.options.conversation.refreshOutbox();
    this.announce();
  }

  private announce(): void {
    this.changes?.postMessage('changed');
  }
}
