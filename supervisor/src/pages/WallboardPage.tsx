import { useState } from 'react';
import type { WallboardSnapshot } from '@callcenter/shared';
import { TIERS } from '@callcenter/shared';
import { useLive } from '../app/connection';
import { QueueCharts } from '../ui/QueueCharts';
import { WatchPanel } from '../ui/WatchPanel';
import {
  TIER_LABEL,
  formatDuration,
  formatPercent,
  formatRating,
  secondsSince,
} from '../ui/format';
import { useNow } from '../ui/useNow';

/** The queue, the agents and the day at a glance, live; any conversation opens read-only. */
export function WallboardPage() {
  const snapshot = useLive((state) => state.snapshot);
  const connection = useLive((state) => state.connection);
  const [watching, setWatching] = useState<string | null>(null);
  const now = useNow();

  if (!snapshot) {
    return (
      <p className="loading" role="status">
        {connection === 'online' ? 'Loading the wallboard…' : 'Connecting to the server…'}
      </p>
    );
  }
  return (
    <div className="wallboard">
      <Summary snapshot={snapshot} now={now} />
      <section aria-labelledby="tiers-title" className="panel">
        <h2 id="tiers-title">Queue by tier</h2>
        <TierTable snapshot={snapshot} now={now} />
      </section>
      <QueueCharts />
      <section aria-labelledby="agents-title" className="panel">
        <h2 id="agents-title">Agents</h2>
        <AgentTable snapshot={snapshot} now={now} onWatch={setWatching} />
      </section>
      {watching !== null && (
        <WatchPanel
          conversationId={watching}
          snapshot={snapshot}
          onClose={() => {
            setWatching(null);
          }}
        />
      )}
    </div>
  );
}

function Summary({ snapshot, now }: { snapshot: WallboardSnapshot; now: number }) {
  const tiers = TIERS.map((tier) => snapshot.tiers[tier]);
  const waiting = tiers.reduce((sum, t) => sum + t.waiting, 0);
  const oldest = tiers
    .map((t) => t.oldestRequestedAt)
    .filter((at): at is string => at !== null)
    .sort()[0];
  // The mean over tiers, weighted by how many wait in each.
  const waitSum = tiers.reduce(
    (sum, t) => sum + (secondsSince(t.meanRequestedAt, now) ?? 0) * t.waiting,
    0,
  );
  const openChats = snapshot.agents.reduce((sum, a) => sum + a.conversations.length, 0);
  const online = snapshot.agents.filter((a) => a.online);
  const available = online.filter((a) => a.status === 'available').length;
  const answered = tiers.reduce((sum, t) => sum + t.answered, 0);
  const inTime = tiers.reduce((sum, t) => sum + t.answeredWithinTarget, 0);
  const figures: [string, string, string][] = [
    ['waiting', 'Waiting', String(waiting)],
    ['longest', 'Longest wait', formatDuration(oldest ? secondsSince(oldest, now) : null)],
    ['average', 'Average wait', formatDuration(waiting > 0 ? waitSum / waiting : null)],
    ['open', 'Open chats', String(openChats)],
    ['agents', 'Agents available', `${available} of ${online.length} online`],
    ['handled', 'Handled today', String(snapshot.today.handled)],
    ['handle-time', 'Average handle time', formatDuration(snapshot.today.averageHandleSeconds)],
    ['in-time', 'Answered in time today', formatPercent(inTime, answered)],
    ['rating', 'Satisfaction today', formatRating(snapshot.ratings.overall)],
  ];
  return (
    <section aria-label="Summary" className="figures">
      {figures.map(([id, label, value]) => (
        <div key={id} className="figure" data-figure={id}>
          <p className="figure-label">{label}</p>
          <p className="figure-value">{value}</p>
        </div>
      ))}
    </section>
  );
}

function TierTable({ snapshot, now }: { snapshot: WallboardSnapshot; now: number }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Tier</th>
          <th scope="col">Waiting</th>
          <th scope="col">Longest wait</th>
          <th scope="col">Average wait</th>
          <th scope="col">Answered today</th>
          <th scope="col">Within target</th>
          <th scope="col">Target</th>
        </tr>
      </thead>
      <tbody>
        {TIERS.map((tier) => {
          const t = snapshot.tiers[tier];
          return (
            <tr key={tier} data-tier={tier}>
              <th scope="row">{TIER_LABEL[tier]}</th>
              <td data-cell="waiting">{t.waiting}</td>
              <td data-cell="longest">{formatDuration(secondsSince(t.oldestRequestedAt, now))}</td>
              <td data-cell="average">{formatDuration(secondsSince(t.meanRequestedAt, now))}</td>
              <td data-cell="answered">{t.answered}</td>
              <td data-cell="within-target">
                {formatPercent(t.answeredWithinTarget, t.answered)}
                {t.answered > 0 && (
                  <span className="muted">
                    {' '}
                    ({t.answeredWithinTarget} of {t.answered})
                  </span>
                )}
              </td>
              <td>{formatDuration(t.targetSeconds)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const STATUS_TEXT = { available: 'Available', away: 'Away' } as const;

function AgentTable({
  snapshot,
  now,
  onWatch,
}: {
  snapshot: WallboardSnapshot;
  now: number;
  onWatch: (conversationId: string) => void;
}) {
  if (snapshot.agents.length === 0) return <p className="muted">No agents yet.</p>;
  return (
    <table className="table agents">
      <thead>
        <tr>
          <th scope="col">Agent</th>
          <th scope="col">Status</th>
          <th scope="col">Load</th>
          <th scope="col">Handled today</th>
          <th scope="col">Satisfaction today</th>
          <th scope="col">Conversations</th>
        </tr>
      </thead>
      <tbody>
        {snapshot.agents.map((agent) => {
          const rating = snapshot.ratings.byAgent[agent.id] ?? { count: 0, average: null };
          return (
            <tr key={agent.id} data-agent={agent.id}>
              <th scope="row">{agent.displayName}</th>
              <td data-cell="status">
                <span className={`status status-${agent.online ? agent.status : 'offline'}`}>
                  {agent.online ? STATUS_TEXT[agent.status] : 'Offline'}
                </span>
              </td>
              <td data-cell="load">
                {agent.conversations.length} of {agent.capacity}
              </td>
              <td data-cell="handled">{agent.handledToday}</td>
              <td data-cell="rating">{formatRating(rating)}</td>
              <td>
                {agent.conversations.length === 0 ? (
                  <span className="muted">None</span>
                ) : (
                  <ul className="conversations">
                    {agent.conversations.map((conv) => (
                      <li key={conv.conversationId}>
                        <span>
                          {conv.customer.displayName}{' '}
                          <span className={`tier tier-${conv.customer.tier}`}>
                            {TIER_LABEL[conv.customer.tier]}
                          </span>{' '}
                          <span className="muted">
                            {formatDuration(secondsSince(conv.assignedAt, now))}
                          </span>
                        </span>
                        <button
                          type="button"
                          className="link"
                          aria-label={`Watch the chat of ${conv.customer.displayName} with ${agent.displayName}`}
                          onClick={() => {
                            onWatch(conv.conversationId);
                          }}
                        >
                          Watch
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
