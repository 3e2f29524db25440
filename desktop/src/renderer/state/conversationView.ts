import type { AgentState, CustomerInfo } from '@callcenter/shared';
import type { ClosedTab } from './consoleStore';

/** What the middle of the console shows. */
export type ConversationView = 'monitor' | 'conversation' | 'ended';

/** A conversation tab: one the agent holds, or one that left it and still shows (closed). */
export interface ConversationTab {
  conversationId: string;
  customer: CustomerInfo;
  closed: boolean;
}

/** The tabs: the conversations held (oldest first, as the server lists them), then closed ones. */
export function tabsOf(
  agentState: AgentState | null,
  closedTabs: readonly ClosedTab[],
): ConversationTab[] {
  const held = (agentState?.conversations ?? []).map((c) => ({
    conversationId: c.conversationId,
    customer: c.customer,
    closed: false,
  }));
  const heldIds = new Set(held.map((tab) => tab.conversationId));
  const closed = closedTabs
    .filter((tab) => !heldIds.has(tab.conversationId))
    .map((tab) => ({ ...tab, closed: true }));
  return [...held, ...closed];
}

/**
 * The tab on screen: the one the agent selected while it is there, else the newest held (the
 * server's `conversationId`), else the newest closed one; null: the monitor view.
 */
export function shownTab(
  tabs: readonly ConversationTab[],
  selected: string | null,
  agentState: AgentState | null,
): ConversationTab | null {
  return (
    tabs.find((tab) => tab.conversationId === selected) ??
    tabs.find((tab) => !tab.closed && tab.conversationId === agentState?.conversationId) ??
    tabs.findLast((tab) => !tab.closed) ??
    tabs.at(-1) ??
    null
  );
}

/**
 * Monitoring until a conversation starts, the conversation while it runs, then the ended
 * conversation until the agent puts it away (the server still says `conversationEnded`).
 */
export function conversationViewOf(shown: ConversationTab | null): ConversationView {
  if (shown === null) return 'monitor';
  return shown.closed ? 'ended' : 'conversation';
}
