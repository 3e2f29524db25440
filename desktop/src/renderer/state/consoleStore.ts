import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CustomerInfo } from '@callcenter/shared';

export interface Notice {
  id: number;
  tone: 'error' | 'info';
  text: string;
}

export type InboxFilter = 'awaiting' | 'all';

/**
 * A conversation this agent no longer holds (ended, or handed over) that still shows as a tab,
 * read-only, until the agent closes it or a new conversation opens (R4 clears the panel).
 */
export interface ClosedTab {
  conversationId: string;
  customer: CustomerInfo;
}

// What the agent asked for, and so what a refusal means, is the agent machine's `intent`.
export interface ConsoleViewState {
  notices: readonly Notice[];
  /**
   * The ended conversations the agent put away with "Back to queue". The server keeps the agent
   * in `conversationEnded` (it may take chats from there); only the view goes back to monitoring.
   */
  dismissed: readonly string[];
  /** Conversations that left the agent but still show as tabs (see ClosedTab). */
  closedTabs: readonly ClosedTab[];
  /** The tab on screen; when it is gone, the newest conversation held is shown. */
  selectedConversationId: string | null;
  /** The newest message sequence seen in each tab while it was on screen (for unread counts). */
  readSeq: Readonly<Record<string, number>>;
  /** The conversations this agent asked to end, to tell "you ended" from "the customer ended". */
  endRequestedFor: readonly string[];
  /** The draft of the tab on screen; each tab keeps its own (`drafts`). */
  chatDraft: string;
  drafts: Readonly<Record<string, string>>;
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
  /** R4: a new conversation starts with an empty panel: closed tabs go. */
  clearChatPanel: () => void;
  /** A conversation left this agent: it stays as a read-only tab. */
  keepClosedTab: (tab: ClosedTab) => void;
  /** Puts a closed tab away (R6's "Back to queue" when it was the last). */
  backToQueue: (conversationId: string) => void;
  selectTab: (conversationId: string) => void;
  markRead: (conversationId: string, seq: number) => void;
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
  dismissed: [],
  closedTabs: [],
  selectedConversationId: null,
  readSeq: {},
  endRequestedFor: [],
  chatDraft: '',
  drafts: {},
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
      set((state) => {
        const closed = new Set(state.closedTabs.map((tab) => tab.conversationId));
        const drafts = Object.fromEntries(
          Object.entries(state.drafts).filter(([id]) => !closed.has(id)),
        );
        return { closedTabs: [], drafts, endRequestedFor: [] };
      });
    },
    keepClosedTab: (tab) => {
      set((state) =>
        state.closedTabs.some((closed) => closed.conversationId === tab.conversationId) ||
        state.dismissed.includes(tab.conversationId)
          ? {}
          : { closedTabs: [...state.closedTabs, tab] },
      );
    },
    backToQueue: (conversationId) => {
      set((state) => ({
        closedTabs: state.closedTabs.filter((tab) => tab.conversationId !== conversationId),
        dismissed: [...state.dismissed.slice(-20), conversationId],
        waitingExpanded: false,
        notices: [],
      }));
    },
    selectTab: (conversationId) => {
      set((state) => {
        if (state.selectedConversationId === conversationId) return {};
        const drafts =
          state.selectedConversationId === null
            ? state.drafts
            : { ...state.drafts, [state.selectedConversationId]: state.chatDraft };
        return {
          selectedConversationId: conversationId,
          drafts,
          chatDraft: drafts[conversationId] ?? '',
        };
      });
    },
    markRead: (conversationId, seq) => {
      set((state) =>
        (state.readSeq[conversationId] ?? 0) >= seq
          ? {}
          : { readSeq: { ...state.readSeq, [conversationId]: seq } },
      );
    },
    requestEnd: (conversationId) => {
      set((state) => ({ endRequestedFor: [...state.endRequestedFor, conversationId] }));
    },
    setChatDraft: (chatDraft) => {
      set((state) =>
        state.selectedConversationId === null
          ? { chatDraft }
          : { chatDraft, drafts: { ...state.drafts, [state.selectedConversationId]: chatDraft } },
      );
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
