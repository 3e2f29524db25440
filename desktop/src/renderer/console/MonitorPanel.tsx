import { queueLabel } from '../../common/queueNotice';
import { formatWaiting } from '../format';
import { useAgentClient } from '../hooks/agentClientContext';
import { useNow } from '../hooks/useNow';
import { useCanTakeChat, useQueue } from './consoleSelectors';

/** Start Chat (R4): takes the top of the queue; the server decides who wins a race (R5). */
export function StartChatButton() {
  const client = useAgentClient();
  const canTake = useCanTakeChat();
  return (
    <button
      type="button"
      className="primary large"
      disabled={!canTake}
      onClick={() => {
        client.startChat();
      }}
    >
      Start Chat
    </button>
  );
}

/** Monitor mode: no conversation on screen; the queue is on the right. */
export function MonitorPanel() {
  const queue = useQueue();
  const now = useNow();
  const top = queue.entries[0];
  return (
    <section className="panel monitor" aria-labelledby="monitor-title">
      <div className="monitor-body">
        <h2 id="monitor-title">Ready for the next customer</h2>
        <p className="monitor-summary">
          {top
            ? `${queueLabel(queue.total)}. The longest has waited ${formatWaiting(top.requestedAt, now)}.`
            : 'Nobody is waiting right now. New customers appear under Waiting Customers as they join.'}
        </p>
        <StartChatButton />
        <p className="hint">
          Start Chat takes the customer at the top of the queue. To help someone else first, use
          Take next to them under Waiting Customers, or reply from the Inbox.
        </p>
      </div>
    </section>
  );
}
