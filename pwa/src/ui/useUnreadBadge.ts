import { useEffect } from 'react';
import { useCustomerApp } from '../app/appContext';

/**
 * While the app is in the background, counts the agent's new messages in the tab title and,
 * for an installed app, on its icon (Badging API where the platform has it).
 */
export function useUnreadBadge(): void {
  const { conversation } = useCustomerApp();
  useEffect(() => {
    const title = document.title;
    const seen = new Set(conversation.store.getState().messages.map((message) => message.id));
    let unread = 0;
    const show = (): void => {
      document.title = unread > 0 ? `(${unread}) ${title}` : title;
      if ('setAppBadge' in navigator) {
        (unread > 0 ? navigator.setAppBadge(unread) : navigator.clearAppBadge()).catch(
          () => undefined,
        );
      }
    };
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
      if (fromAgent === 0) return;
      unread += fromAgent;
      show();
    });
    const onVisibility = (): void => {
      if (document.visibilityState === 'visible' && unread > 0) {
        unread = 0;
        show();
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      unsubscribe();
      document.removeEventListener('visibilitychange', onVisibility);
      document.title = title;
    };
  }, [conversation]);
}
