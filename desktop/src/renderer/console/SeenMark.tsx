import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { ChatMessage } from '@callcenter/shared';
import { useAgentClient } from '../hooks/agentClientContext';

/** Under the newest of the agent's messages the customer has read. */
export function SeenMark() {
  const { t } = useTranslation();
  return <span className="seen-mark">{t('chat.seen')}</span>;
}

/** The seq of the newest agent message of this conversation the customer has read, if any. */
export function useSeenSeq(conversationId: string | null, messages: readonly ChatMessage[]) {
  const client = useAgentClient();
  const customerReadSeq = useStore(client.activity.store, (view) =>
    conversationId === null ? 0 : (view.reads.get(conversationId)?.customer?.seq ?? 0),
  );
  return (
    messages.findLast(
      (message) =>
        message.sender.role === 'agent' &&
        message.notice === undefined &&
        message.call === undefined &&
        message.seq <= customerReadSeq,
    )?.seq ?? null
  );
}

/**
 * Tells the customer the agent read this conversation: its newest customer message, once it is
 * on screen in a visible, focused window (now, or when the window comes back).
 */
export function useReportReading(
  conversationId: string | null,
  messages: readonly ChatMessage[],
): void {
  const client = useAgentClient();
  const newestFromCustomer =
    messages.findLast((message) => message.sender.role === 'customer')?.seq ?? null;
  useEffect(() => {
    if (conversationId === null || newestFromCustomer === null) return undefined;
    const report = (): void => {
      if (document.visibilityState === 'visible' && document.hasFocus()) {
        client.shown(conversationId, newestFromCustomer);
      }
    };
    report();
    window.addEventListener('focus', report);
    document.addEventListener('visibilitychange', report);
    return () => {
      window.removeEventListener('focus', report);
      document.removeEventListener('visibilitychange', report);
    };
  }, [client, conversationId, newestFromCustomer]);
}
