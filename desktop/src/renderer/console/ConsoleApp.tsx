import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgent, useConsoleView, useMessages } from '../hooks/agentClientContext';
import { consoleTitle } from '../state/windowTitle';
import { useTabs } from './consoleSelectors';
import { unreadIn } from './ConversationTabs';
import { LoginScreen } from './LoginScreen';
import { Workspace } from './Workspace';

/**
 * The window title carries the queue count, so a minimised window or a tab still shows it, and
 * which conversation has news the agent has not looked at (the tabs show how much).
 */
function useTitle(): void {
  const { t } = useTranslation();
  const total = useAgent((snapshot) =>
    snapshot.matches('loggedIn') ? (snapshot.context.queue?.total ?? 0) : 0,
  );
  const tabs = useTabs();
  const byId = useMessages((state) => state.byId);
  const readSeq = useConsoleView((view) => view.readSeq);
  const withNews = useMemo(
    () =>
      tabs
        .filter(
          (tab) =>
            !tab.closed &&
            unreadIn(byId.values(), tab.conversationId, readSeq[tab.conversationId] ?? 0) > 0,
        )
        .map((tab) => tab.customer.displayName),
    [tabs, byId, readSeq],
  );
  const title = consoleTitle(total, withNews, t);
  useEffect(() => {
    document.title = title;
  }, [title]);
}

export function ConsoleApp() {
  const signedIn = useAgent((snapshot) => snapshot.matches('loggedIn'));
  useTitle();
  return signedIn ? <Workspace /> : <LoginScreen />;
}
