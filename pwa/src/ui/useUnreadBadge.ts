import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCustomerApp } from '../app/appContext';

/**
 * The tab's title is the app's name in its language. While the app is in the background, it
 * counts the agent's new messages in front of that name and, for an installed app, on its icon
 * (Badging API where the platform has it).
 */
export function useUnreadBadge(): void {
  const { conversation } = useCustomerApp();
  const { t } = useTranslation();
  const [unread, setUnread] = useState(0);
  const title =
    unread > 0
      ? t('app.titleWithUnread', { count: unread, title: t('app.title') })
      : t('app.title');

  useEffect(() => {
    const seen = new Set(conversation.store.getState().messages.map((message) => message.id));
    const unsubscribe = conversation.store.subscribe((view) => {
      const fresh = view.messages.filter((message) => !seen.has(message.id));
      for (const message of fresh) seen.add(message.id);
      if (document.visibilityState !== 'hidden') return;
      // A call's events and the server's notices are not messages to read.
      const fromAgent = fresh.filter(
        (message) =>
          message.sender.role === 'agent' &&
          message.call === undefined &&
          message.notice === undefined,
      ).length;
      if (fromAgent > 0) setUnread((count) => count + fromAgent);
    });
    const onVisibility = (): void => {
      if (document.visibilityState === 'visible') setUnread(0);
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      unsubscribe();
      document.removeEventListener('visibilitychange', onVisibility);
      setUnread(0);
    };
  }, [conversation]);

  // Also on a language switch: the count stays in front of the name, in the new language's digits.
  useEffect(() => {
    document.title = title;
  }, [title]);

  useEffect(() => {
    if (!('setAppBadge' in navigator)) return;
    (unread > 0 ? navigator.setAppBadge(unread) : navigator.clearAppBadge()).catch(() => undefined);
  }, [unread]);
}
