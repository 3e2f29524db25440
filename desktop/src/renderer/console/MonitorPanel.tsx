import { Trans, useTranslation } from 'react-i18next';
import { formatWaiting } from '../format';
import { useAgentClient } from '../hooks/agentClientContext';
import { useNow } from '../hooks/useNow';
import { useAgentState, useCanTakeChat, useQueue } from './consoleSelectors';

/** Start Chat (R4): takes the top of the queue; the server decides who wins a race (R5). */
export function StartChatButton({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const client = useAgentClient();
  const canTake = useCanTakeChat();
  const away = useAgentState()?.status === 'away';
  return (
    <button
      type="button"
      className={compact ? 'primary' : 'primary large'}
      disabled={!canTake}
      title={away ? t('monitor.awayHint') : undefined}
      onClick={() => {
        client.startChat();
      }}
    >
      {t('monitor.startChat')}
    </button>
  );
}

/** Monitor mode: no conversation on screen; the queue is on the right. */
export function MonitorPanel() {
  const { t, i18n } = useTranslation();
  const queue = useQueue();
  const now = useNow();
  const top = queue.entries[0];
  const priority = queue.entries.filter((entry) => entry.tier !== 'standard').length;
  return (
    <section className="panel monitor" aria-labelledby="monitor-title">
      <div className="monitor-body">
        <h2 id="monitor-title">{t('monitor.title')}</h2>
        <p className="monitor-summary">
          {top ? (
            <Trans
              i18nKey="monitor.summary"
              values={{
                waiting: t('queue.waiting', { count: queue.total }),
                name: top.displayName,
              }}
              components={{ name: <bdi /> }}
            />
          ) : (
            t('monitor.nobody')
          )}
        </p>
        <dl className="queue-stats">
          <div>
            <dt>{t('monitor.waiting')}</dt>
            <dd>{new Intl.NumberFormat(i18n.language).format(queue.total)}</dd>
          </div>
          <div>
            <dt>{t('monitor.longestWait')}</dt>
            <dd>{top ? formatWaiting(top.requestedAt, now) : '–'}</dd>
          </div>
          <div>
            <dt>{t('monitor.priority')}</dt>
            <dd>{new Intl.NumberFormat(i18n.language).format(priority)}</dd>
          </div>
        </dl>
        <StartChatButton />
        <p className="hint">{t('monitor.hint')}</p>
      </div>
    </section>
  );
}
