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
          <bdi>{customerName}</bdi> is typing…
        </>
      )}
    </p>
  );
}
