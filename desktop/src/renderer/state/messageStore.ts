import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChatMessage } from '@callcenter/shared';
import type { OutboxEntry, OutboxStore } from '@callcenter/client';

/**
 * A reply this agent wrote that the server has not stored (yet): an outbox entry with its
 * addressee. Sending while `failure` is null; otherwise kept, with the reason, until retried or
 * discarded.
 */
export type PendingMessage = OutboxEntry & { to: string };

export interface MessageState {
  /** Every message seen (pushes and syncs), de-duplicated by server id. */
  byId: ReadonlyMap<string, ChatMessage>;
  /** `session.sync` replay cursor; null before the first sync. */
  cursor: number | null;
  /** This agent's unsent replies, in the order written. */
  pending: readonly PendingMessage[];
}

export interface MessageActions {
  add: (messages: readonly ChatMessage[]) => void;
  setCursor: (cursor: number) => void;
  /**
   * Replaces the reply with this client message id where it stands. A new one (no tries yet) is
   * added; an update to one no longer here (the server's push settled it) is dropped.
   */
  putPending: (message: PendingMessage) => void;
  removePending: (clientMsgIds: readonly string[]) => void;
  reset: () => void;
}

export type MessageStore = StoreApi<MessageState & MessageActions>;

const empty: MessageState = { byId: new Map(), cursor: null, pending: [] };

/** Messages of every customer, as agents see them (R8, R9), plus this agent's unsent ones. */
export function createMessageStore(): MessageStore {
  return createStore<MessageState & MessageActions>()((set) => ({
    ...empty,
    add: (messages) => {
      if (messages.length === 0) return;
      set((state) => {
        const byId = new Map(state.byId);
        for (const message of messages) byId.set(message.id, message);
        // A stored agent message settles the pending one with its client id (push or ack).
        const delivered = new Set(
          messages.filter((m) => m.sender.role === 'agent').map((m) => m.clientMsgId),
        );
        const pending = state.pending.filter((p) => !delivered.has(p.clientMsgId));
        return { byId, pending: pending.length === state.pending.length ? state.pending : pending };
      });
    },
    setCursor: (cursor) => {
      set((state) => ({ cursor: Math.max(cursor, state.cursor ?? 0) }));
    },
    putPending: (message) => {
      set((state) => {
        const at = state.pending.findIndex((p) => p.clientMsgId === message.clientMsgId);
        if (at === -1) {
          const fresh = message.failure === null && (message.attempts ?? 0) === 0;
          return fresh ? { pending: [...state.pending, message] } : {};
        }
        const pending = [...state.pending];
        pending[at] = message;
        return { pending };
      });
    },
    removePending: (clientMsgIds) => {
      const removed = new Set(clientMsgIds);
      set((state) => ({ pending: state.pending.filter((p) => !removed.has(p.clientMsgId)) }));
    },
    reset: () => {
      set({ ...empty, byId: new Map() });
    },
  }));
}

/**
 * The client core's outbox port over the store's pending replies: the console keeps its outbox
 * in memory, with the session (closing the window ends both). Entries without an addressee are
 * not the console's and are refused.
 */
export function pendingOutbox(messages: MessageStore): OutboxStore {
  const ofUser = (userId: string) =>
    messages.getState().pending.filter((entry) => entry.userId === userId);
  return {
    outbox: (userId) => Promise.resolve([...ofUser(userId)]),
    outboxEntry: (clientMsgId) =>
      Promise.resolve(messages.getState().pending.find((p) => p.clientMsgId === clientMsgId)),
    putOutboxEntry: (entry) => {
      const { to } = entry;
      if (to === undefined) return Promise.reject(new Error('A reply needs its addressee.'));
      messages.getState().putPending({ ...entry, to });
      return Promise.resolve();
    },
    removeOutboxEntries: (clientMsgIds) => {
      messages.getState().removePending(clientMsgIds);
      return Promise.resolve();
    },
    clearOutbox: (userId) => {
      messages.getState().removePending(ofUser(userId).map((entry) => entry.clientMsgId));
      return Promise.resolve();
    },
  };
}
