import type { ChatMessage, ErrorBody } from '@callcenter/shared';
import {
  DrainRunner,
  SEND_RETRY,
  drainOutbox,
  newClientMsgId,
  type OutboxAttachment,
  type OutboxEntry,
  type OutboxStore,
} from '@callcenter/client';

/** How a send ended; `clientMsgId` names the pending message (to retry or discard it). */
export type SendOutcome =
  | { ok: true; clientMsgId: string; message: ChatMessage }
  | { ok: false; clientMsgId: string; error: ErrorBody };

/** How long a reply waits for the link before it shows as not sent (with Retry and Discard). */
export const LINK_WAIT_MS = 30_000;

const NOT_CONNECTED: ErrorBody = { code: 'unavailable', message: 'Not connected to the server.' };

export interface ReplyOutboxOptions {
  /** Where the replies wait: the console's message store, through the client core's port. */
  store: OutboxStore;
  /** The signed-in agent, whose replies these are. */
  userId: string;
  /** Sends one reply (`message.send`); resolves with the stored message. */
  send: (entry: OutboxEntry & { to: string }) => Promise<ChatMessage>;
}

/**
 * The console's outbox, one per session (the session machine's `outbox` child). Replies go
 * oldest first, one at a time, each with its own client message id, once the machine says the
 * console is connected and synced. Server trouble is retried a few times (`SEND_RETRY`); a
 * refusal, the last try, or half a minute without a link leaves the reply failed, for the agent
 * to retry or discard. Every write answers with how its reply ended.
 */
export class ReplyOutbox {
  private ready = false;
  private closed = false;
  private readonly runner = new DrainRunner(() => this.drain());
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Per reply waiting without a link: when it stops waiting. */
  private readonly linkTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private lastQueuedAt = 0;
  private readonly waiting = new Map<string, ((outcome: SendOutcome) => void)[]>();

  constructor(private readonly options: ReplyOutboxOptions) {}

  /**
   * Keeps the reply (text, a file, or both), then sends it when it can; resolves once it is
   * sent or has failed. A file is uploaded first, with the reply's client id as its upload id.
   */
  async write(to: string, text: string, attachment?: OutboxAttachment): Promise<SendOutcome> {
    this.lastQueuedAt = Math.max(Date.now(), this.lastQueuedAt + 1);
    const entry: OutboxEntry = {
      clientMsgId: newClientMsgId(),
      userId: this.options.userId,
      to,
      text,
      ...(attachment === undefined ? {} : { attachment }),
      queuedAt: this.lastQueuedAt,
      failure: null,
    };
    const outcome = this.outcomeOf(entry.clientMsgId);
    await this.options.store.putOutboxEntry(entry);
    this.kick();
    return outcome;
  }

  /** Tries a failed reply again, with the same client message id and a fresh set of tries. */
  async retry(clientMsgId: string): Promise<SendOutcome> {
    const entry = await this.options.store.outboxEntry(clientMsgId);
    if (entry === undefined || this.closed) {
      const error = { code: 'not_found' as const, message: 'No such unsent message.' };
      return { ok: false, clientMsgId, error };
    }
    const outcome = this.outcomeOf(clientMsgId);
    await this.options.store.putOutboxEntry({ ...entry, failure: null, attempts: 0 });
    this.kick();
    return outcome;
  }

  async discard(clientMsgId: string): Promise<void> {
    await this.options.store.removeOutboxEntries([clientMsgId]);
  }

  /** The machine's word: `true` once connected and synced, `false` when the link drops. */
  setReady(ready: boolean): void {
    this.ready = ready;
    this.kick();
  }

  /** The session ended: nothing more is sent, and every write still waiting hears so. */
  close(): void {
    this.closed = true;
    this.ready = false;
    clearTimeout(this.retryTimer);
    this.stopWaitingForLink();
    const signedOut: ErrorBody = { code: 'unavailable', message: 'Signed out.' };
    for (const clientMsgId of [...this.waiting.keys()]) this.settle(clientMsgId, signedOut);
  }

  private outcomeOf(clientMsgId: string): Promise<SendOutcome> {
    return new Promise((resolve) => {
      this.waiting.set(clientMsgId, [...(this.waiting.get(clientMsgId) ?? []), resolve]);
    });
  }

  private settle(clientMsgId: string, result: ChatMessage | ErrorBody): void {
    const waiters = this.waiting.get(clientMsgId) ?? [];
    this.waiting.delete(clientMsgId);
    const outcome: SendOutcome =
      'code' in result
        ? { ok: false, clientMsgId, error: result }
        : { ok: true, clientMsgId, message: result };
    for (const resolve of waiters) resolve(outcome);
  }

  private kick(): void {
    if (this.closed) return;
    if (!this.ready) {
      void this.waitForLink();
      return;
    }
    this.stopWaitingForLink();
    this.runner.kick();
  }

  private async drain(): Promise<void> {
    const { store, userId, send } = this.options;
    const result = await drainOutbox({
      store,
      userId,
      policy: SEND_RETRY,
      canSend: () => this.ready && !this.closed,
      send: (entry) => {
        const { to } = entry;
        if (to === undefined) throw new Error('A reply needs its addressee.');
        return send({ ...entry, to });
      },
      onSent: (message, entry) => {
        this.settle(entry.clientMsgId, message);
      },
      onFailed: (entry) => {
        if (entry.failure) this.settle(entry.clientMsgId, entry.failure);
      },
    });
    // `held`: the session is over (the machine stops this outbox). `retry` while connected: the
    // server had trouble; after a dropped link the next `ready` sends again.
    if (result.end !== 'retry' || this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.kick();
    }, result.afterMs);
  }

  /** Without a link, each unsent reply fails `LINK_WAIT_MS` after it began to wait. */
  private async waitForLink(): Promise<void> {
    const { store, userId } = this.options;
    for (const entry of await store.outbox(userId)) {
      const { clientMsgId } = entry;
      if (entry.failure !== null || this.linkTimers.has(clientMsgId)) continue;
      const timer = setTimeout(() => {
        this.linkTimers.delete(clientMsgId);
        void this.failWithoutLink(clientMsgId);
      }, LINK_WAIT_MS);
      this.linkTimers.set(clientMsgId, timer);
    }
  }

  private stopWaitingForLink(): void {
    for (const timer of this.linkTimers.values()) clearTimeout(timer);
    this.linkTimers.clear();
  }

  private async failWithoutLink(clientMsgId: string): Promise<void> {
    if (this.ready || this.closed) return;
    const entry = await this.options.store.outboxEntry(clientMsgId);
    if (entry === undefined || entry.failure !== null) return;
    await this.options.store.putOutboxEntry({ ...entry, failure: NOT_CONNECTED });
    this.settle(clientMsgId, NOT_CONNECTED);
  }
}
