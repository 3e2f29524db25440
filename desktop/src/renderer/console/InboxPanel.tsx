import { useMemo, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { textProblemWords } from '@callcenter/client';
import { isolateBidi, LIMITS, textProblem, type ChatMessage } from '@callcenter/shared';
import { describeSendError } from '../agent/errorText';
import { formatMessageTime } from '../format';
import { useAgentClient, useConsoleView, useMessages } from '../hooks/agentClientContext';
import { useNow } from '../hooks/useNow';
import type { InboxFilter } from '../state/consoleStore';
import { messagePreview } from '../state/callWording';
import { awaitingReply, inboxOrder } from '../state/inbox';
import { useAgentState, useQueue } from './consoleSelectors';
import { IsolatedText } from './IsolatedText';
import { TierBadge, tierOfPriority } from './TierBadge';

function ReplyBox({ message, onClose }: { message: ChatMessage; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useAgentClient();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const name = message.sender.displayName;
  const problem = text.trim() === '' ? null : textProblem(text.trim(), { multiLine: true });

  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    const body = text.trim();
    if (body === '' || sending || problem !== null) return;
    setSending(true);
    setFailure(null);
    void client.sendMessage(message.customerId, body).then((outcome) => {
      setSending(false);
      if (outcome.ok) {
        setText('');
        onClose();
        return;
      }
      // The refusal is shown here, next to what the agent wrote; nothing waits to be resent.
      client.discardMessage(outcome.clientMsgId);
      setFailure(describeSendError(outcome.error, name, t));
    });
  };

  return (
    <form className="reply-box" onSubmit={submit}>
      <textarea
        aria-label={t('inbox.replyTo', { name })}
        placeholder={t('inbox.replyPlaceholder', { name: isolateBidi(name) })}
        maxLength={LIMITS.messageLength}
        rows={2}
        value={text}
        autoFocus
        onChange={(event) => {
          setText(event.target.value);
        }}
      />
      {problem !== null && (
        <p role="alert" className="reply-failure">
          {t('inbox.cantSend', { problem: textProblemWords(problem, t) })}
        </p>
      )}
      {failure && (
        <p role="alert" className="reply-failure">
          <IsolatedText text={failure} />
        </p>
      )}
      <div className="reply-actions">
        <button type="button" className="link" onClick={onClose}>
          {t('inbox.cancel')}
        </button>
        <button
          type="submit"
          className="primary small"
          disabled={sending || text.trim() === '' || problem !== null}
        >
          {sending ? t('inbox.sending') : t('inbox.sendReply')}
        </button>
      </div>
    </form>
  );
}

function InboxItem({
  message,
  now,
  relation,
}: {
  message: ChatMessage;
  now: number;
  relation: string | null;
}) {
  const { t, i18n } = useTranslation();
  const replyingTo = useConsoleView((view) => view.replyingTo);
  const openReply = useConsoleView((view) => view.openReply);
  const open = replyingTo === message.id;
  return (
    <li
      className="inbox-item"
      aria-label={t('inbox.messageFrom', { name: message.sender.displayName })}
    >
      <div className="inbox-meta">
        <TierBadge tier={tierOfPriority(message.priority)} />
        <strong className="inbox-name">
          <bdi>{message.sender.displayName}</bdi>
        </strong>
        <time dateTime={message.createdAt}>
          {formatMessageTime(message.createdAt, now, i18n.language)}
        </time>
      </div>
      {message.call ? (
        <p className="inbox-text inbox-call">
          <IsolatedText text={messagePreview(message, t)} />
        </p>
      ) : (
        <p className="inbox-text" dir="auto">
          {message.text}
        </p>
      )}
      {(relation !== null || !open) && (
        <div className="inbox-footer">
          {relation && <span className="relation">{relation}</span>}
          {!open && (
            <button
              type="button"
              className="link"
              aria-label={t('inbox.replyTo', { name: message.sender.displayName })}
              onClick={() => {
                openReply(message.id);
              }}
            >
              {t('inbox.reply')}
            </button>
          )}
        </div>
      )}
      {open && (
        <ReplyBox
          message={message}
          onClose={() => {
            openReply(null);
          }}
        />
      )}
    </li>
  );
}

const FILTERS: { id: InboxFilter; labelKey: string }[] = [
  { id: 'awaiting', labelKey: 'inbox.awaiting' },
  { id: 'all', labelKey: 'inbox.all' },
];

/**
 * Every customer message (R8), ordered by priority then time (R10), with a reply to that
 * customer (R9). "Awaiting reply" hides what an agent has already answered.
 */
export function InboxPanel() {
  const { t } = useTranslation();
  const byId = useMessages((state) => state.byId);
  const filter = useConsoleView((view) => view.inboxFilter);
  const setFilter = useConsoleView((view) => view.setInboxFilter);
  const agentState = useAgentState();
  const queue = useQueue();
  const now = useNow(30_000);
  const lists = useMemo(
    () => ({ awaiting: awaitingReply(byId.values()), all: inboxOrder(byId.values()) }),
    [byId],
  );
  const shown = lists[filter];
  const myCustomerId =
    agentState?.state === 'inConversation' ? (agentState.customer?.id ?? null) : null;
  const queuePositions = useMemo(
    () => new Map(queue.entries.map((entry, index) => [entry.customerId, index + 1])),
    [queue],
  );
  const relationOf = (message: ChatMessage): string | null => {
    if (message.customerId === myCustomerId) return t('inbox.inYourChat');
    const position = queuePositions.get(message.customerId);
    return position === undefined ? null : t('inbox.waitingAt', { position });
  };

  return (
    <section className="panel inbox" aria-labelledby="inbox-title">
      <header className="panel-header">
        <h2 id="inbox-title">{t('inbox.title')}</h2>
        <div className="tabs" role="tablist" aria-label={t('inbox.filter')}>
          {FILTERS.map(({ id, labelKey }) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={filter === id}
              className={filter === id ? 'selected' : ''}
              onClick={() => {
                setFilter(id);
              }}
            >
              {t(labelKey)} <span className="tab-count">{lists[id].length}</span>
            </button>
          ))}
        </div>
      </header>
      {shown.length === 0 ? (
        <p className="empty">
          {filter === 'awaiting' ? t('inbox.emptyAwaiting') : t('inbox.empty')}
        </p>
      ) : (
        <ol className="inbox-list" aria-label={t('inbox.listLabel')}>
          {shown.map((message) => (
            <InboxItem
              key={message.id}
              message={message}
              now={now}
              relation={relationOf(message)}
            />
          ))}
        </ol>
      )}
    </section>
  );
}
