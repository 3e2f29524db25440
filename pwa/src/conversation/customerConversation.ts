import type { CallState, ChatMessage, CustomerState, ReadCursor } from '@callcenter/shared';
import { syncPages } from '@callcenter/client';
import type { ChatConnection } from '../connection/chatConnection';
import type { ConversationStore } from './conversationStore';
import type { LocalArchive } from './localArchive';
import { mergeMessages, storedClientIds } from './messageLog';

function logArchiveFailure(error: unknown): void {
  console.warn('could not update the local copy of the chat', error);
}

/**
 * The customer's messages: what the server pushed or replayed, kept in view and in IndexedDB,
 * and the replay cursor for the next `session.sync`.
 */
export class CustomerConversation {
  private cursor: number | undefined;
  private opening: Promise<void> = Promise.resolve();

  constructor(
    private readonly archive: LocalArchive,
    readonly store: ConversationStore,
  ) {}

  private get userId(): string | null {
    return this.store.getState().userId;
  }

  /** Shows the customer's archived chat and outbox at once, before the server answers. */
  open(userId: string): Promise<void> {
    if (this.userId === userId) return this.opening;
    this.cursor = undefined;
    this.store.setState({ userId, messages: [], outbox: [] });
    this.opening = Promise.all([
      this.archive.messages(userId),
      this.archive.outbox(userId),
      this.archive.cursor(userId),
    ]).then(
      ([messages, outbox, cursor]) => {
        if (this.userId !== userId) return;
        this.cursor = cursor;
        this.store.setState((view) => {
          // Anything written in the meantime is in `view.outbox` and in the archive's list.
          const known = new Set(outbox.map((entry) => entry.clientMsgId));
          return {
            messages: mergeMessages(view.messages, messages),
            outbox: [...outbox, ...view.outbox.filter((entry) => !known.has(entry.clientMsgId))],
          };
        });
      },
      (error: unknown) => {
        logArchiveFailure(error);
      },
    );
    return this.opening;
  }

  /** Adds stored messages (push, ack or replay); an unsent copy of any of them is done with. */
  receive(messages: readonly ChatMessage[]): void {
    const userId = this.userId;
    const own = messages.filter((message) => message.customerId === userId);
    if (userId === null || own.length === 0) return;
    const stored = storedClientIds(own);
    this.store.setState((view) => ({
      messages: mergeMessages(view.messages, own),
      outbox: view.outbox.filter((entry) => !stored.has(entry.clientMsgId)),
    }));
    this.archive.saveMessages(own).catch(logArchiveFailure);
    // Another tab may have written it: look in the archive too, not only in this view.
    this.archive.removeOutboxEntries([...stored]).catch(logArchiveFailure);
  }

  /** Re-reads the outbox (another tab, or the sender, changed it). */
  async refreshOutbox(): Promise<void> {
    const userId = this.userId;
    if (userId === null) return;
    const outbox = await this.archive.outbox(userId);
    if (this.userId !== userId) return;
    const stored = storedClientIds(this.store.getState().messages);
    this.store.setState({ outbox: outbox.filter((entry) => !stored.has(entry.clientMsgId)) });
  }

  /**
   * `session.sync` from the cursor, page by page; answers the server's current state. Called
   * after every (re)connection, so whatever was missed while offline arrives here.
   */
  /** Replays what was missed; answers the state, and the call ringing or established, if any. */
  async sync(
    connection: ChatConnection,
  ): Promise<{ state: CustomerState; call: CallState | null; reads: ReadCursor[] }> {
    await this.opening;
    const userId = this.userId;
    const last = await syncPages({
      ask: (payload) => connection.request('session.sync', payload),
      since: this.cursor,
      onPage: (page) => {
        if (this.userId !== userId) return false;
        this.receive(page.messages);
        return true;
      },
    });
    if (this.userId === userId) {
      this.cursor = last.cursor;
      if (userId !== null) this.archive.saveCursor(userId, last.cursor).catch(logArchiveFailure);
    }
    return { state: last.state, call: last.call, reads: last.reads };
  }

  /** Signed out: clear the view and this device's copy of the chat (the outbox stays). */
  forget(): void {
    const userId = this.userId;
    this.cursor = undefined;
    this.opening = Promise.resolve();
    this.store.setState({ userId: null, messages: [], outbox: [] });
    if (userId !== null) this.archive.forgetConversation(userId).catch(logArchiveFailure);
  }
}
