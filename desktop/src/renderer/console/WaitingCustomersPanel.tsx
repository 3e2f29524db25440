import { useEffect, useRef, useState } from 'react';
import type { QueueEntry, QueueSnapshot } from '@callcenter/shared';
import { waitEstimateText } from '@callcenter/client';
import { useTranslation } from 'react-i18next';
import { formatWaiting } from '../format';
import { useAgentClient, useConsoleView } from '../hooks/agentClientContext';
import { useNow } from '../hooks/useNow';
import { useStore } from 'zustand';
import { waitsTooLong } from '../state/queueAlerts';
import { arrivalsBetween } from '../state/queueArrivals';
import { useCanTakeChat, useQueue } from './consoleSelectors';
import { TierBadge } from './TierBadge';

function WaitingCustomer({
  entry,
  position,
  now,
  canTake,
  tooLong,
}: {
  entry: QueueEntry;
  position: number;
  now: number;
  canTake: boolean;
  /** Waiting longer than its tier's threshold. */
  tooLong: boolean;
}) {
  const client = useAgentClient();
  const { t } = useTranslation();
  // What this customer is shown in its app, word for word.
  const estimate = waitEstimateText(entry.estimatedWait, t);
  return (
    <li
      className={`queue-entry ${tooLong ? 'waits-too-long' : ''}`}
      aria-label={`${position}. ${entry.displayName}`}
    >
      <span className="position" aria-label={`Position ${position}`}>
        {position}
      </span>
      <div className="queue-entry-main">
        <strong className="queue-name">
          <bdi>{entry.displayName}</bdi>
        </strong>
        <div className="queue-entry-facts">
          <TierBadge tier={entry.tier} />
          <span
            className={`presence ${entry.online ? 'online' : 'offline'}`}
            role="img"
            aria-label={entry.online ? 'Online' : 'Offline'}
          />
          {!entry.online && <span className="presence-text">Offline</span>}
          {estimate !== null && <span className="estimate">{estimate}</span>}
          {tooLong && (
            <span className="too-long" title="Waiting longer than this tier should">
              ⚠ Waiting {formatWaiting(entry.requestedAt, now)}
            </span>
          )}
        </div>
        <p className={`preview ${entry.preview === null ? 'none' : ''}`} dir="auto">
          {entry.preview ?? 'No message yet'}
        </p>
      </div>
      <div className="queue-entry-side">
        <span
          className="waited"
          title={`Waiting since ${new Date(entry.requestedAt).toLocaleTimeString()}`}
          aria-label="Waiting time"
        >
          {formatWaiting(entry.requestedAt, now)}
        </span>
        <button
          type="button"
          className="take"
          disabled={!canTake}
          aria-label={`Take ${entry.displayName}`}
          onClick={() => {
            client.takeChat(entry);
          }}
        >
          Take
        </button>
      </div>
    </li>
  );
}

/**
 * Says who joined the queue, for a screen reader: a live region that stays in the page (the
 * list itself may be collapsed), quiet at sign-in when nobody is new.
 */
function QueueArrivalAnnouncer({ queue }: { queue: QueueSnapshot }) {
  const { t } = useTranslation();
  const previous = useRef<QueueSnapshot | null>(null);
  const [said, setSaid] = useState('');
  useEffect(() => {
    const arrivals = arrivalsBetween(previous.current, queue);
    previous.current = queue;
    if (arrivals.length > 0) {
      setSaid(
        arrivals.map((arrival) => t('queue.joined', { name: arrival.displayName })).join(' '),
      );
    }
  }, [queue, t]);
  return (
    <p className="visually-hidden queue-announcer" role="status">
      {said}
    </p>
  );
}

/**
 * R2: the queue, FIFO, live. Collapsed to its count while the agent is in a conversation (the
 * agent may still peek); taking is possible from monitoring or an ended conversation.
 */
export function WaitingCustomersPanel({ collapsed }: { collapsed: boolean }) {
  const queue = useQueue();
  const now = useNow();
  const canTake = useCanTakeChat();
  const expanded = useConsoleView((view) => view.waitingExpanded);
  const setExpanded = useConsoleView((view) => view.setWaitingExpanded);
  const showList = !collapsed || expanded;
  const hidden = queue.total - queue.entries.length;
  const client = useAgentClient();
  const alerts = useStore(client.alerts, (state) => state.settings);
  const tooLong = new Set(
    queue.entries.filter((entry) => waitsTooLong(entry, alerts, now)).map((e) => e.requestId),
  );
  return (
    <section
      className={`panel waiting ${collapsed ? 'collapsed' : ''}`}
      aria-labelledby="waiting-title"
    >
      <header className="panel-header">
        <h2 id="waiting-title">Waiting Customers</h2>
        <span className="queue-count" data-testid="queue-count" aria-label="Customers waiting">
          {queue.total}
        </span>
        {tooLong.size > 0 && (
          <span className="too-long-count" role="status">
            {tooLong.size} waiting long
          </span>
        )}
        {collapsed && (
          <button
            type="button"
            className="link"
            aria-expanded={expanded}
            onClick={() => {
              setExpanded(!expanded);
            }}
          >
            {expanded ? 'Hide list' : 'Show list'}
          </button>
        )}
      </header>
      <QueueArrivalAnnouncer queue={queue} />
      {showList &&
        (queue.entries.length === 0 ? (
          <p className="empty">Nobody is waiting.</p>
        ) : (
          <ol className="queue" aria-label="Waiting customers">
            {queue.entries.map((entry, index) => (
              <WaitingCustomer
                key={entry.requestId}
                entry={entry}
                position={index + 1}
                now={now}
                canTake={canTake}
                tooLong={tooLong.has(entry.requestId)}
              />
            ))}
          </ol>
        ))}
      {showList && hidden > 0 && <p className="more">and {hidden} more waiting</p>}
      {collapsed && !expanded && (
        <p className="collapsed-hint">End this chat to take the next customer.</p>
      )}
    </section>
  );
}
