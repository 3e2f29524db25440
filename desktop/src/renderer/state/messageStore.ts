import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChatMessage, ErrorBody } from '@callcenter/shared';

/** A message this agent wrote that the server has not acknowledged (yet). */
export interface PendingMessage {
  clientMsgId: string;
  customerId: string;
  text: string;
  status: 'sending' | 'failed';
  error: ErrorBody | null;
}

export interface MessageState {
  /** Every message seen (pushes and syncs), de-duplicated by server id. */
  byId: ReadonlyMap<string, ChatMessage>;
  /** `session.sync` replay cursor; null before the first sync. */
  cursor: number | null;
  pending: readonly PendingMessage[];
}

export interface MessageActions {
  add: (messages: readonly ChatMessage[]) => void;
  setCursor: (cursor: number) => void;
  addPending: (message: Omit<PendingMessage, 'status' | 'error'>) => void;
  markSending: (clientMsgId: string) => void;
  markFailed: (clientMsgId: string, error: ErrorBody) => void;
  discardPending: (clientMsgId: string) => void;
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
    addPending: (message) => {
      set((state) => ({
        pending: [...state.pending, { ...message, status: 'sending', error: null }],
      }));
    },
    markSending: (clientMsgId) => {
      set((state) => ({
        pending: state.pending.map((p) =>
          p.clientMsgId === clientMsgId ? { ...p, status: 'sending', error: null } : p,
        ),
      }));
    },
    markFailed: (clientMsgId, error) => {
      set((state) => ({
        pending: state.pending.map((p) =>
          p.clientMsgId === clientMsgId ? { ...p, status: 'failed', error } : p,
        ),
      }));
    },
    discardPending: (clientMsgId) => {
      set((state) => ({ pending: state.pending.filter((p) => p.clientMsgId !== clientMsgId) }));
    },
    reset: () => {
      set({ ...empty, byId: new Map() });
    },
  }));
}
