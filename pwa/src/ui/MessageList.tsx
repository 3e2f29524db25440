import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { Translate } from '@callcenter/client';
import { AttachmentView, PendingFile } from '@callcenter/client/react';
import { useAgentTyping, useChatLines, useCustomerApp, useSessionView } from '../app/appContext';
import { deliveryLabel, type ChatLine } from '../conversation/messageLog';
import { PhoneIcon } from '../call/CallScreens';
import { failedMessageText } from './errorText';

/** A message's time: the clock time, and the full date and time on hover; in the app's language. */
function useTimeFormats(): { time: Intl.DateTimeFormat; full: Intl.DateTimeFormat } {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return {
    time: new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit' }),
    full: new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }),
  };
}

function emptyText(state: string | undefined, t: Translate): string {
  switch (state) {
    case 'requestSent':
      return t('chat.emptyRequestSent');
    case 'inConversation':
      return t('chat.emptyInConversation');
    default:
      return t('chat.empty');
  }
}

/** How close to the bottom still counts as "reading the latest". */
const STICK_TO_BOTTOM_PX = 80;

/**
 * The chat is about to close for want of messages: said above the composer until someone writes
 * (the warning is the newest thing in the chat) or it closes.
 */
export function IdleWarning() {
  const lines = useChatLines();
  const { customerState } = useSessionView();
  const last = lines.at(-1);
  if (customerState?.state !== 'inConversation' || last?.idleWarning !== true) return null;
  return (
    <p className="idle-warning" role="alert">
      {last.text}
    </p>
  );
}

/** "Ada is typing…", while the agent types in this conversation. */
export function TypingIndicator() {
  const { t } = useTranslation();
  const typing = useAgentTyping();
  const { customerState } = useSessionView();
  const name = customerState?.agent?.displayName ?? t('common.yourAgent');
  return (
    <p className="typing-indicator" role="status" aria-live="polite">
      {typing && (
        <>
          <Trans i18nKey="chat.typing" values={{ name }} components={{ name: <bdi /> }} />
        </>
      )}
    </p>
  );
}

export function MessageList() {
  const { t } = useTranslation();
  const lines = useChatLines();
  const { customerState } = useSessionView();
  const { reading } = useCustomerApp();
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const lastKey = lines.at(-1)?.key;
  const lastIsOwn = lines.at(-1)?.own ?? false;
  // What the agent wrote is read once it is on screen: the newest of it in view (the list is
  // at its end) while the app is visible and focused.
  const newestTheirs = lines.findLast((line) => !line.own && line.seq !== null)?.seq ?? null;
  const reportReading = useCallback(() => {
    const seen = document.visibilityState === 'visible' && document.hasFocus();
    if (newestTheirs !== null && seen && atBottom.current) reading.shown(newestTheirs);
  }, [newestTheirs, reading]);
  useEffect(() => {
    reportReading();
    window.addEventListener('focus', reportReading);
    document.addEventListener('visibilitychange', reportReading);
    return () => {
      window.removeEventListener('focus', reportReading);
      document.removeEventListener('visibilitychange', reportReading);
    };
  }, [reportReading]);

  // Follow new messages while the customer reads the latest; never yank them away from history,
  // except to show what they just wrote.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element !== null && (atBottom.current || lastIsOwn)) {
      element.scrollTop = element.scrollHeight;
    }
  }, [lastKey, lastIsOwn]);

  return (
    <div
      ref={scrollRef}
      className="message-scroll"
      role="log"
      aria-label={t('chat.messages')}
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottom.current =
          element.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
        reportReading();
      }}
    >
      {lines.length === 0 ? (
        <p className="empty-chat">{emptyText(customerState?.state, t)}</p>
      ) : (
        <ol className="message-list">
          {lines.map((line) => (
            <MessageItem key={line.key} line={line} />
          ))}
        </ol>
      )}
    </div>
  );
}

/** A refused file stays refused: only a message whose refusal may pass is offered a retry. */
function isRetryable(line: ChatLine): boolean {
  return line.pendingFile === null || line.failure?.code === 'not_in_chat';
}

function MessageItem({ line }: { line: ChatLine }) {
  const { t } = useTranslation();
  const { outbox } = useCustomerApp();
  const formats = useTimeFormats();
  const time = new Date(line.time);
  if (line.notice) {
    return (
      <li className="notice-event">
        <span dir="auto">{line.text}</span>
        <time dateTime={line.time} title={formats.full.format(time)}>
          {formats.time.format(time)}
        </time>
      </li>
    );
  }
  if (line.callEvent) {
    return (
      <li className="call-event">
        <PhoneIcon size={14} />
        <span dir="auto">{line.text}</span>
        <time dateTime={line.time} title={formats.full.format(time)}>
          {formats.time.format(time)}
        </time>
      </li>
    );
  }
  return (
    <li
      className={`message ${line.own ? 'own' : 'theirs'}`}
      data-delivery={line.delivery ?? undefined}
    >
      <div className="bubble">
        <p className="author" dir="auto">
          {line.authorName}
        </p>
        {line.attachment !== null && <AttachmentView attachment={line.attachment} />}
        {line.pendingFile !== null && line.clientMsgId !== null && (
          <PendingFile
            clientMsgId={line.clientMsgId}
            name={line.pendingFile.name}
            size={line.pendingFile.size}
            file={line.pendingFile.file}
            sending={line.delivery === 'sending'}
          />
        )}
        {line.text !== '' && (
          <p className="text" dir="auto">
            {line.text}
          </p>
        )}
        <p className="meta">
          <time dateTime={line.time} title={formats.full.format(time)}>
            {formats.time.format(time)}
          </time>
          {line.delivery !== null && (
            <span className={`delivery delivery-${line.delivery}`}>
              {deliveryLabel(line.delivery, t)}
            </span>
          )}
        </p>
      </div>
      {line.failure !== null && line.clientMsgId !== null && (
        <div className="failed-message">
          <p>{failedMessageText(line.failure, t, line.pendingFile !== null)}</p>
          {isRetryable(line) && (
            <button
              type="button"
              className="button small"
              onClick={() => {
                if (line.clientMsgId !== null) void outbox.retry(line.clientMsgId);
              }}
            >
              {t('chat.retry')}
            </button>
          )}
          <button
            type="button"
            className="button small"
            onClick={() => {
              if (line.clientMsgId !== null) void outbox.discard(line.clientMsgId);
            }}
          >
            {t('chat.delete')}
          </button>
        </div>
      )}
    </li>
  );
}
