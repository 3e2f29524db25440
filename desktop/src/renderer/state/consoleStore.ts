import { createStore, type StoreApi } from 'zustand/vanilla';

export interface Notice {
  id: number;
  tone: 'error' | 'info';
  text: string;
}

export type InboxFilter = 'awaiting' | 'all';

// What the agent asked for, and so what a refusal means, is the agent machine's `intent`.
export interface ConsoleViewState {
  notices: readonly Notice[];
  /**
   * The ended conversation the agent put away with "Back to queue". The server keeps the agent
   * in `conversationEnded` (it may take chats from there); only the view goes back to monitoring.
   */
  dismissedConversationId: string | null;
  /** The conversation this agent asked to end, to tell "you ended" from "the customer ended". */
  endRequestedFor: string | null;
  chatDraft: string;
  /** The Waiting Customers list opened while in a conversation (it is collapsed there). */
  waitingExpanded: boolean;
  inboxFilter: InboxFilter;
  /** The inbox message whose reply box is open. */
  replyingTo: string | null;
  soundEnabled: boolean;
}

export interface ConsoleViewActions {
  /** A new attempt makes the previous attempt's refusal stale. */
  clearNotices: () => void;
  notify: (tone: Notice['tone'], text: string) => void;
  dismissNotice: (id: number) => void;
  /** R4: a new conversation starts with an empty panel. */
  clearChatPanel: () => void;
  backToQueue: (conversationId: string) => void;
  requestEnd: (conversationId: string) => void;
  setChatDraft: (text: string) => void;
  setWaitingExpanded: (expanded: boolean) => void;
  setInboxFilter: (filter: InboxFilter) => void;
  openReply: (messageId: string | null) => void;
  setSoundEnabled: (enabled: boolean) => void;
  /** Sign-out: nothing of the previous agent's session stays on screen. */
  reset: () => void;
}

export type ConsoleStore = StoreApi<ConsoleViewState & ConsoleViewActions>;

const MAX_NOTICES = 3;

const initialView: Omit<ConsoleViewState, 'soundEnabled'> = {
  notices: [],
  dismissedConversationId: null,
  endRequestedFor: null,
  chatDraft: '',
  waitingExpanded: false,
  inboxFilter: 'awaiting',
  replyingTo: null,
};

/** View state of the console; the session itself lives in the agent machine. */
export function createConsoleStore(soundEnabled = true): ConsoleStore {
  let nextNoticeId = 1;
  return createStore<ConsoleViewState & ConsoleViewActions>()((set) => ({
    ...initialView,
    soundEnabled,
    clearNotices: () => {
      set({ notices: [] });
    },
    notify: (tone, text) => {
      const notice = { id: nextNoticeId++, tone, text };
      set((state) => ({ notices: [...state.notices, notice].slice(-MAX_NOTICES) }));
    },
    dismissNotice: (id) => {
      set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) }));
    },
    clearChatPanel: () => {
      set({ chatDraft: '', dismissedConversationId: null, endRequestedFor: null });
    },
    backToQueue: (conversationId) => {
      set({ dismissedConversationId: conversationId, waitingExpanded: false, notices: [] });
    },
    requestEnd: (conversationId) => {
      set({ endRequestedFor: conversationId });
    },
    setChatDraft: (chatDraft) => {
      set({ chatDraft });
    },
    setWaitingExpanded: (waitingExpanded) => {
      set({ waitingExpanded });
    },
    setInboxFilter: (inboxFilter) => {
      set({ inboxFilter });
    },
    openReply: (replyingTo) => {
      set({ replyingTo });
    },
    setSoundEnabled: (enabled) => {
      set({ soundEnabled: enabled });
    },
    reset: () => {
      set({ ...initialView });
    },
  }));
}
