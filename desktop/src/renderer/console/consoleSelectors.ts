import { useMemo } from 'react';
import type { AgentState, CustomerInfo, QueueSnapshot } from '@callcenter/shared';
import { useAgent, useConsoleView } from '../hooks/agentClientContext';
import {
  conversationViewOf,
  shownTab,
  tabsOf,
  type ConversationTab,
  type ConversationView,
} from '../state/conversationView';

const NO_QUEUE: QueueSnapshot = { version: 0, total: 0, entries: [] };

export function useAgentState(): AgentState | null {
  return useAgent((snapshot) => snapshot.context.agentState);
}

export function useQueue(): QueueSnapshot {
  return useAgent((snapshot) => snapshot.context.queue) ?? NO_QUEUE;
}

/** The conversation tabs: those held, then closed ones still shown. */
export function useTabs(): ConversationTab[] {
  const agentState = useAgentState();
  const closedTabs = useConsoleView((view) => view.closedTabs);
  return useMemo(() => tabsOf(agentState, closedTabs), [agentState, closedTabs]);
}

/** The tab on screen (see `shownTab`); null in the monitor view. */
export function useShownTab(): ConversationTab | null {
  const tabs = useTabs();
  const agentState = useAgentState();
  const selected = useConsoleView((view) => view.selectedConversationId);
  return useMemo(() => shownTab(tabs, selected, agentState), [tabs, selected, agentState]);
}

export function useConversationView(): ConversationView {
  return conversationViewOf(useShownTab());
}

/** The customer of the conversation on screen (running or ended). */
export function useShownCustomer(): CustomerInfo | null {
  return useShownTab()?.customer ?? null;
}

/** The agent can act when online and no other intent is in flight. */
export function useCanAct(): boolean {
  return useAgent((snapshot) => snapshot.context.connection === 'online' && !snapshot.context.busy);
}

/** R4: Start Chat and Take work while available with room for another conversation. */
export function useCanTakeChat(): boolean {
  const canAct = useCanAct();
  const state = useAgentState();
  if (!canAct) return false;
  if (state === null) return true;
  return state.status === 'available' && state.conversations.length < state.capacity;
}
