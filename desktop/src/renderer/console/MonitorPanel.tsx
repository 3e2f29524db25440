import { queueLabel } from '../../common/queueNotice';
import { formatWaiting } from '../format';
import { useAgentClient } from '../hooks/agentClientContext';
import { useNow } from '../hooks/useNow';
import { useAgentState, useCanTakeChat, useQueue } from './consoleSelectors';

/** Start Chat (R4): takes the top of the queue; the server decides who wins a race (R5). */
export function StartChatButton({ compact = false }: { compact?: boolean }) {
  const client = useAgentClient();
  const canTake = useCanTakeChat();
  const away = useAgentState()?.status === 'away';
  return (
    <button
      type="button"
      className={compact ? 'primary' : 'primary large'}
      disabled={!canTake}
      title={away ? 'You are set to Away: set yourself Available to take customers.' : undefined}
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
  const priority = queue.entries.filter((entry) => entry.tier !== 'standard').length;
  return (
    <section className="panel monitor" aria-labelledby="monitor-title">
      <div className="monitor-body">
        <h2 id="monitor-title">Ready for the next customer</h2>
        <p className="monitor-summary">
          {top ? (
            <>
              {queueLabel(queue.total)}. Start Chat takes <bdi>{top.displayName}</bdi>, who has
              waited longest.
            </>
          ) : (
            'Nobody is waiting right now. New customers appear under Waiting Customers as they join.'
          )}
        </p>
        <dl className="queue-stats">
          <div>
            <dt>Waiting</dt>
            <dd>{queue.total}</dd>
          </div>
          <div>
            <dt>Longest wait</dt>
            <dd>{top ? formatWaiting(top.requestedAt, now) : '–'}</dd>
          </div>
          <div>
            <dt>Gold + platinum</dt>
            <dd>{priority}</dd>
          </div>
        </dl>
        <StartChatButton />
        <p className="hint">
          To help someone else first, use Take next to them under Waiting Customers, or reply from
          the Inbox.
        </p>
      </div>
    </section>
  );
}
