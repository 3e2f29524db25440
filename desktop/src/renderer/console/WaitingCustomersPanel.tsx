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
  const { t, i18n } = useTranslation();
  // What this customer is shown in its app, word for word.
  const estimate = waitEstimateText(entry.estimatedWait, t);
  return (
    <li
      className={`queue-entry ${tooLong ? 'waits-too-long' : ''}`}
      aria-label={`${position}. ${entry.displayName}`}
    >
      <span className="position" aria-label={t('queue.position', { position })}>
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
            aria-label={entry.online ? t('queue.online') : t('queue.offline')}
          />
          {!entry.online && <span className="presence-text">{t('queue.offline')}</span>}
          {estimate !== null && <span className="estimate">{estimate}</span>}
          {tooLong && (
            <span className="too-long" title={t('queue.tooLongTitle')}>
              ⚠ {t('queue.waitingFor', { time: formatWaiting(entry.requestedAt, now) })}
            </span>
          )}
        </div>
        <p className={`preview ${entry.preview === null ? 'none' : ''}`} dir="auto">
          {entry.preview ?? t('queue.noMessage')}
        </p>
      </div>
      <div className="queue-entry-side">
        <span
          className="waited"
          title={t('queue.since', {
            time: new Date(entry.requestedAt).toLocaleTimeString(i18n.language),
          })}
          aria-label={t('queue.waitingTime')}
        >
          {formatWaiting(entry.requestedAt, now)}
        </span>
        <button
          type="button"
          className="take"
          disabled={!canTake}
          aria-label={t('queue.takeName', { name: entry.displayName })}
          onClick={() => {
            client.takeChat(entry);
          }}
        >
          {t('queue.take')}
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
  const { t } = useTranslation();
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
        <h2 id="waiting-title">{t('queue.title')}</h2>
        <span className="queue-count" data-testid="queue-count" aria-label={t('queue.countLabel')}>
          {queue.total}
        </span>
        {tooLong.size > 0 && (
          <span className="too-long-count" role="status">
            {t('queue.waitingLong', { count: tooLong.size })}
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
            {expanded ? t('queue.hideList') : t('queue.showList')}
          </button>
        )}
      </header>
      <QueueArrivalAnnouncer queue={queue} />
      {showList &&
        (queue.entries.length === 0 ? (
          <p className="empty">{t('queue.nobodyShort')}</p>
        ) : (
          <ol className="queue" aria-label={t('queue.listLabel')}>
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
      {showList && hidden > 0 && <p className="more">{t('queue.more', { count: hidden })}</p>}
      {collapsed && !expanded && <p className="collapsed-hint">{t('queue.collapsedHint')}</p>}
    </section>
  );
}
