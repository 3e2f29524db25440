import { LIMITS } from '@callcenter/shared';
import {
  DrainRunner,
  drainOutbox,
  newClientMsgId,
  uploadedAttachmentId,
  type OutboxAttachment,
  type OutboxEntry,
} from '@callcenter/client';
import type { ChatConnection } from '../connection/chatConnection';
import type { CustomerConversation } from './customerConversation';
import type { LocalArchive } from './localArchive';

const CHANGES_CHANNEL = 'callcenter-outbox';

export interface OutboxSenderOptions {
  archive: LocalArchive;
  conversation: CustomerConversation;
  connection: ChatConnection;
  /** Connected and synced: sending now is in order with what the server already has. */
  isReady: () => boolean;
  /**
   * Uploads a message's file (upload id: its client message id); resolves with its id. `signal`
   * aborts it (the message was deleted meanwhile).
   */
  upload: (
    entry: OutboxEntry & { attachment: OutboxAttachment },
    signal: AbortSignal,
  ) => Promise<{ id: string }>;
}

/**
 * Sends the IndexedDB outbox oldest first, one message at a time, each with its own client
 * message id until the server acknowledges it (so it is stored once whatever the retries).
 * Tabs of one browser share the outbox; a Web Lock lets one of them send at a time.
 */
export class OutboxSender {
  private readonly runner = new DrainRunner(() => this.sendUnderLock());
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private lastQueuedAt = 0;
  private readonly changes: BroadcastChannel | null;
  /** The upload under way, by client message id: deleting the message stops it. */
  private readonly uploading = new Map<string, AbortController>();

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
    if (text.trim() === '' || text.length > LIMITS.messageLength) return;
    await this.queue({ text });
  }

  /**
   * Keeps a file (its bytes too: IndexedDB holds the Blob) as a message of its own, sent like
   * text: uploaded when there is a link, then sent with its attachment id.
   */
  async attach(file: File): Promise<void> {
    await this.queue({ text: '', attachment: { file, name: file.name, size: file.size } });
  }

  private async queue(content: Pick<OutboxEntry, 'text' | 'attachment'>): Promise<void> {
    const userId = this.userId;
    if (userId === null) return;
    this.lastQueuedAt = Math.max(Date.now(), this.lastQueuedAt + 1);
    const entry: OutboxEntry = {
      clientMsgId: newClientMsgId(),
      userId,
      ...content,
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
    await this.options.archive.putOutboxEntry({ ...entry, failure: null, attempts: 0 });
    await this.changed();
    this.kick();
  }

  async discard(clientMsgId: string): Promise<void> {
    await this.options.archive.removeOutboxEntries([clientMsgId]);
    this.uploading.get(clientMsgId)?.abort();
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
    this.runner.kick();
  }

  private async sendUnderLock(): Promise<void> {
    const userId = this.userId;
    if (userId === null) return;
    const drain = () => this.drain(userId);
    if ('locks' in navigator) await navigator.locks.request(`${CHANGES_CHANNEL}-${userId}`, drain);
    else await drain();
  }

  private async drain(userId: string): Promise<void> {
    const { archive, connection, conversation } = this.options;
    const end = await drainOutbox({
      store: archive,
      userId,
      canSend: () => this.options.isReady() && this.userId === userId,
      send: async (entry) => {
        const attachmentId = await this.uploadedAttachmentId(entry);
        const { clientMsgId, text } = entry;
        const payload =
          attachmentId === undefined
            ? { clientMsgId, text }
            : { clientMsgId, attachmentId, ...(text === '' ? {} : { text }) };
        return (await connection.request('message.send', payload)).message;
      },
      onSent: (message) => {
        conversation.receive([message]);
        this.announce();
      },
      onFailed: () => this.changed(),
    });
    // Dropped link: the next connection sends it. Still connected: the server had trouble.
    if (end.end === 'retry' && connection.connected) this.retrySoon(end.afterMs);
  }

  private async uploadedAttachmentId(entry: OutboxEntry): Promise<string | undefined> {
    const controller = new AbortController();
    this.uploading.set(entry.clientMsgId, controller);
    try {
      return await uploadedAttachmentId(entry, this.options.archive, (withFile) =>
        this.options.upload(withFile, controller.signal),
      );
    } finally {
      this.uploading.delete(entry.clientMsgId);
    }
  }

  private retrySoon(afterMs: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.kick();
    }, afterMs);
  }

  private async changed(): Promise<void> {
    await this.options.conversation.refreshOutbox();
    this.announce();
  }

  private announce(): void {
    this.changes?.postMessage('changed');
  }
}
