import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChatMessage } from '@callcenter/shared';
import type { OutboxEntry } from '@callcenter/client';

/** View state of the signed-in customer's chat: stored messages and what is still unsent. */
export interface ConversationView {
  userId: string | null;
  /** Every stored message of this customer, oldest to newest by `seq`, once each. */
  messages: ChatMessage[];
  /** Unsent messages (a mirror of the IndexedDB outbox). */
  outbox: OutboxEntry[];
}

export type ConversationStore = StoreApi<ConversationView>;

export function createConversationStore(): ConversationStore {
  return createStore<ConversationView>(() => ({ userId: null, messages: [], outbox: [] }));
}
