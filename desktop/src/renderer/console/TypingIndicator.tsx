import { Trans } from 'react-i18next';
import { useStore } from 'zustand';
import { useAgentClient } from '../hooks/agentClientContext';

/** "Carol is typing…" (a polite status line) while the customer types in this conversation. */
export function TypingIndicator({
  conversationId,
  customerName,
}: {
  conversationId: string;
  customerName: string;
}) {
  const client = useAgentClient();
  const typing = useStore(client.activity.store, (view) => view.typing.has(conversationId));
  return (
    <p className="typing-indicator" role="status" aria-live="polite">
      {typing && (
        <>
          <Trans
            i18nKey="chat.typing"
            values={{ name: customerName }}
            components={{ name: <bdi /> }}
          />
        </>
      )}
    </p>
  );
}
