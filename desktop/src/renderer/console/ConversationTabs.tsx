import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '@callcenter/shared';
import { useAgentClient, useConsoleView, useMessages } from '../hooks/agentClientContext';
import type { ConversationTab } from '../state/conversationView';
import { useShownTab, useTabs } from './consoleSelectors';
import { StartChatButton } from './MonitorPanel';
import { TierBadge } from './TierBadge';

/** A customer's messages in a conversation newer than `readSeq` (calls and notices are not news). */
export function unreadIn(
  messages: Iterable<ChatMessage>,
  conversationId: string,
  readSeq: number,
): number {
  let count = 0;
  for (const message of messages) {
    if (message.conversationId !== conversationId || message.seq <= readSeq) continue;
    if (message.sender.role !== 'customer') continue;
    if (message.call !== undefined || message.notice !== undefined) continue;
    count += 1;
  }
  return count;
}

function Tab({ tab, selected }: { tab: ConversationTab; selected: boolean }) {
  const { t } = useTranslation();
  const client = useAgentClient();
  const byId = useMessages((state) => state.byId);
  const readSeq = useConsoleView((view) => view.readSeq[tab.conversationId] ?? 0);
  const unread = useMemo(
    () => (selected ? 0 : unreadIn(byId.values(), tab.conversationId, readSeq)),
    [byId, tab.conversationId, readSeq, selected],
  );
  return (
    <button
      type="button"
      role="tab"
      id={`tab-${tab.conversationId}`}
      aria-selected={selected}
      aria-controls="chat-panel"
      className={`conversation-tab ${tab.closed ? 'closed' : ''}`}
      onClick={() => {
        client.view.getState().selectTab(tab.conversationId);
      }}
    >
      <bdi className="tab-name">{tab.customer.displayName}</bdi>
      <TierBadge tier={tab.customer.profile.tier} />
      {tab.closed && <span className="tab-closed">{t('tabs.ended')}</span>}
      {unread > 0 && (
        <span className="tab-unread" aria-label={t('tabs.unread', { count: unread })}>
          {unread}
        </span>
      )}
    </button>
  );
}

/**
 * One tab per conversation the agent holds (and those just ended or handed over), with the
 * customer's tier and unread count. Shown once there is more than one, or room for more.
 */
export function ConversationTabs({ capacity }: { capacity: number }) {
  const { t } = useTranslation();
  const tabs = useTabs();
  const shown = useShownTab();
  if (tabs.length === 0 || (tabs.length === 1 && capacity <= 1)) return null;
  return (
    <div className="conversation-tabs-bar">
      <div className="conversation-tabs" role="tablist" aria-label={t('tabs.label')}>
        {tabs.map((tab) => (
          <Tab
            key={tab.conversationId}
            tab={tab}
            selected={tab.conversationId === shown?.conversationId}
          />
        ))}
      </div>
      {capacity > 1 && <StartChatButton compact />}
    </div>
  );
}
