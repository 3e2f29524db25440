import {
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type SyntheticEvent,
} from 'react';
import {
  isolateBidi,
  LIMITS,
  textProblem,
  type ChatMessage,
  type ChatNotice,
} from '@callcenter/shared';
import { Trans, useTranslation } from 'react-i18next';
import { noticeText, textProblemWords } from '@callcenter/client';
import { AttachmentView, PendingFile } from '@callcenter/client/react';
import { describeSendError } from '../agent/errorText';
import { formatMessageTime } from '../format';
import { useAgent, useAgentClient, useConsoleView, useMessages } from '../hooks/agentClientContext';
import { useNow } from '../hooks/useNow';
import { conversationMessages } from '../state/inbox';
import type { PendingMessage } from '../state/messageStore';
import { CallButton, CallEventItem } from './CallControls';
import { useCannedPicker } from './CannedPicker';
import { useCanAct, useShownTab } from './consoleSelectors';
import { TransferDialog } from './TransferDialog';
import { StartChatButton } from './MonitorPanel';
import { IsolatedText } from './IsolatedText';
import { TierBadge } from './TierBadge';
import { TypingIndicator } from './TypingIndicator';
import { ConsoleAttachButton } from './Attachments';
import { SeenMark, useReportReading, useSeenSeq } from './SeenMark';

function MessageItem({
  message,
  now,
  seen = false,
}: {
  message: ChatMessage;
  now: number;
  /** The newest of the agent's messages the customer has read: it says "Seen". */
  seen?: boolean;
}) {
  const { i18n } = useTranslation();
  const fromCustomer = message.sender.role === 'customer';
  return (
    <li className={`message ${fromCustomer ? 'from-customer' : 'from-agent'}`}>
      <div className="message-meta">
        <span className="sender">
          <bdi>{message.sender.displayName}</bdi>
        </span>
        <time dateTime={message.createdAt}>
          {formatMessageTime(message.createdAt, now, i18n.language)}
        </time>
      </div>
      {message.attachment !== undefined && (
        <div className="bubble attachment-bubble">
          <AttachmentView attachment={message.attachment} />
        </div>
      )}
      {message.text !== '' && (
        <p className="bubble" dir="auto">
          {message.text}
        </p>
      )}
      {seen && <SeenMark />}
    </li>
  );
}

/** A server notice (a transfer, the idle warning, a close): an event line, not a message. */
function NoticeItem({ message, now }: { message: ChatMessage; now: number }) {
  const { t, i18n } = useTranslation();
  return (
    <li className={`notice-event notice-${message.notice?.kind ?? 'closed'}`}>
      <span>
        <IsolatedText text={noticeText(message, 'agent', t) ?? message.text} />
      </span>
      <time dateTime={message.createdAt}>
        {formatMessageTime(message.createdAt, now, i18n.language)}
      </time>
    </li>
  );
}

/** A file the server refused (too large, not a kind it keeps) would be refused again. */
function isFileRefusal({ attachment, failure }: PendingMessage): boolean {
  const code = failure?.code;
  return (
    attachment !== undefined &&
    (code === 'too_large' || code === 'unsupported_type' || code === 'invalid_payload')
  );
}

function PendingItem({ pending, customerName }: { pending: PendingMessage; customerName: string }) {
  const { t } = useTranslation();
  const client = useAgentClient();
  const { failure } = pending;
  return (
    <li className={`message from-agent pending ${failure ? 'failed' : 'sending'}`}>
      <div className="message-meta">
        <span className="sender">{t('chat.you')}</span>
        <span>{failure ? t('chat.notSent') : t('chat.sending')}</span>
      </div>
      {pending.attachment !== undefined && (
        <div className="bubble attachment-bubble">
          <PendingFile
            clientMsgId={pending.clientMsgId}
            name={pending.attachment.name}
            size={pending.attachment.size}
            file={pending.attachment.file}
            sending={failure === null}
          />
        </div>
      )}
      {pending.text !== '' && (
        <p className="bubble" dir="auto">
          {pending.text}
        </p>
      )}
      {failure && (
        <div className="pending-failure" role="alert">
          <span>
            <IsolatedText text={describeSendError(failure, customerName, t)} />
          </span>
          {!isFileRefusal(pending) && (
            <button
              type="button"
              className="link"
              onClick={() => {
                void client.retryMessage(pending.clientMsgId);
              }}
            >
              {t('chat.retry')}
            </button>
          )}
          <button
            type="button"
            className="link"
            onClick={() => {
              client.discardMessage(pending.clientMsgId);
            }}
          >
            {t('chat.discard')}
          </button>
        </div>
      )}
    </li>
  );
}

function Composer({
  conversationId,
  customerId,
  customerName,
}: {
  conversationId: string;
  customerId: string;
  customerName: string;
}) {
  const { t } = useTranslation();
  const client = useAgentClient();
  const draft = useConsoleView((view) => view.chatDraft);
  const setDraft = useConsoleView((view) => view.setChatDraft);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, [customerId]);
  const canned = useCannedPicker({ draft, setDraft, customerId, customerName, input });
  const [fileProblem, setFileProblem] = useState<string | null>(null);

  // The server's own text rules, so a refusal shows before anything is sent.
  const problem = draft.trim() === '' ? null : textProblem(draft.trim(), { multiLine: true });
  const send = (): void => {
    const text = draft.trim();
    if (text === '' || problem !== null) return;
    setDraft('');
    client.typingStopped(conversationId);
    void client.sendMessage(customerId, text);
  };
  const onSubmit = (event: SyntheticEvent): void => {
    event.preventDefault();
    send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (canned.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };
  const remaining = LIMITS.messageLength - draft.length;
  return (
    <form className="composer" onSubmit={onSubmit}>
      {canned.picker}
      <ConsoleAttachButton
        customerId={customerId}
        customerName={customerName}
        onProblem={setFileProblem}
      />
      <textarea
        ref={input}
        {...canned.inputProps}
        aria-label={t('chat.messageTo', { name: customerName })}
        placeholder={t('chat.placeholder', { name: isolateBidi(customerName) })}
        maxLength={LIMITS.messageLength}
        rows={3}
        value={draft}
        onChange={(event) => {
          setDraft(event.target.value);
          client.typingChanged(conversationId, event.target.value);
        }}
        onBlur={() => {
          client.typingStopped(conversationId);
        }}
        onKeyDown={onKeyDown}
      />
      <div className="composer-actions">
        {fileProblem !== null && (
          <span className="counter file-problem" role="alert">
            {fileProblem}
          </span>
        )}
        {problem !== null && (
          <span className="counter" role="alert">
            {t('chat.cantSend', { problem: textProblemWords(problem, t) })}
          </span>
        )}
        {remaining < 200 && (
          <span className="counter">{t('chat.charactersLeft', { count: remaining })}</span>
        )}
        <button
          type="submit"
          className="primary"
          disabled={draft.trim() === '' || problem !== null}
        >
          {t('chat.send')}
        </button>
      </div>
    </form>
  );
}

/** How a conversation left this agent, from its history: handed over by this agent, or not. */
function handedOverBy(
  messages: readonly ChatMessage[],
  agentId: string | undefined,
): ChatNotice | null {
  const last = messages.findLast((message) => message.notice?.kind === 'transferred');
  const notice = last?.notice;
  return notice?.kind === 'transferred' && notice.from.id === agentId ? notice : null;
}

function EndedBanner({
  customerName,
  conversationId,
  messages,
}: {
  customerName: string;
  conversationId: string;
  messages: readonly ChatMessage[];
}) {
  const { t } = useTranslation();
  const client = useAgentClient();
  const agentId = useAgent((snapshot) => snapshot.context.session?.user.id);
  const endedByMe = useConsoleView((view) => view.endRequestedFor.includes(conversationId));
  const handedOver = handedOverBy(messages, agentId);
  let what: ReactNode;
  if (handedOver?.kind === 'transferred') {
    what =
      handedOver.to === null ? (
        t('chat.youRequeued')
      ) : (
        <Trans
          i18nKey="chat.youTransferred"
          values={{ name: handedOver.to.displayName }}
          components={{ name: <bdi /> }}
        />
      );
  } else if (endedByMe) {
    what = t('chat.youEnded');
  } else {
    what = (
      <Trans
        i18nKey="chat.customerEnded"
        values={{ name: customerName }}
        components={{ name: <bdi /> }}
      />
    );
  }
  return (
    <div className="ended-banner">
      <p>
        <strong>{what}</strong> {t('chat.nextStep')}
      </p>
      <div className="ended-actions">
        <button
          type="button"
          onClick={() => {
            client.backToQueue(conversationId);
          }}
        >
          {t('chat.backToQueue')}
        </button>
        <StartChatButton />
      </div>
    </div>
  );
}

/**
 * The conversation (R4, R6): only this conversation's messages, oldest first, with the customer
 * and End Chat; once ended, read-only with the way to the next customer.
 */
export function ChatPanel({ ended }: { ended: boolean }) {
  const { t } = useTranslation();
  const client = useAgentClient();
  const tab = useShownTab();
  const customer = tab?.customer ?? null;
  const canAct = useCanAct();
  const now = useNow(30_000);
  const byId = useMessages((state) => state.byId);
  const allPending = useMessages((state) => state.pending);
  const markRead = useConsoleView((view) => view.markRead);
  const [transferring, setTransferring] = useState(false);
  const conversationId = tab?.conversationId ?? null;
  const messages = useMemo(
    () => (conversationId === null ? [] : conversationMessages(byId.values(), conversationId)),
    [byId, conversationId],
  );
  const customerId = customer?.id ?? null;
  const pending = useMemo(
    () => allPending.filter((p) => p.to === customerId),
    [allPending, customerId],
  );
  const list = useRef<HTMLOListElement>(null);
  const latest = `${messages.length}:${pending.length}`;
  useEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [latest]);
  // What is on screen is read: its tab shows no unread count.
  const newestSeq = messages.at(-1)?.seq ?? 0;
  useEffect(() => {
    if (conversationId !== null && newestSeq > 0) markRead(conversationId, newestSeq);
  }, [conversationId, newestSeq, markRead]);
  // The customer learns it was read once it is on screen in a visible, focused window.
  useReportReading(conversationId, messages);
  const seenSeq = useSeenSeq(conversationId, messages);

  if (!customer || conversationId === null) return null;
  return (
    <section
      id="chat-panel"
      className={`panel chat ${ended ? 'ended' : ''}`}
      aria-labelledby="chat-title"
    >
      <header className="chat-header">
        <div className="chat-title">
          <h2 id="chat-title">
            <bdi>{customer.displayName}</bdi>
          </h2>
          <TierBadge tier={customer.profile.tier} />
          {/* A live region: "Conversation ended" is announced when the customer leaves. */}
          <span className={`chat-state ${ended ? 'ended' : 'active'}`} role="status">
            {ended ? t('chat.ended') : t('chat.active')}
          </span>
        </div>
        <div className="chat-actions">
          <CallButton conversationId={conversationId} ended={ended} />
          {!ended && (
            <button
              type="button"
              disabled={!canAct}
              aria-haspopup="dialog"
              onClick={() => {
                setTransferring(true);
              }}
            >
              {t('chat.transfer')}
            </button>
          )}
          {!ended && (
            <button
              type="button"
              className="danger"
              disabled={!canAct}
              onClick={() => {
                client.endChat(conversationId);
              }}
            >
              {t('chat.endChat')}
            </button>
          )}
        </div>
      </header>
      {/* Polite live region: a new message is read out without moving the agent's focus. */}
      <ol
        className="messages"
        aria-label={t('chat.conversation')}
        aria-live="polite"
        aria-relevant="additions"
        ref={list}
      >
        {messages.length === 0 && pending.length === 0 && (
          <li className="messages-empty">
            {ended ? (
              t('chat.noneExchanged')
            ) : (
              <Trans
                i18nKey="chat.sayHello"
                values={{ name: customer.displayName }}
                components={{ name: <bdi /> }}
              />
            )}
          </li>
        )}
        {messages.map((message) => {
          if (message.notice !== undefined) {
            return <NoticeItem key={message.id} message={message} now={now} />;
          }
          return message.call === undefined ? (
            <MessageItem
              key={message.id}
              message={message}
              now={now}
              seen={message.seq === seenSeq}
            />
          ) : (
            <CallEventItem key={message.id} message={message} now={now} />
          );
        })}
        {pending.map((item) => (
          <PendingItem key={item.clientMsgId} pending={item} customerName={customer.displayName} />
        ))}
      </ol>
      {transferring && !ended && (
        <TransferDialog
          conversationId={conversationId}
          customerName={customer.displayName}
          onClose={() => {
            setTransferring(false);
          }}
        />
      )}
      {ended ? (
        <EndedBanner
          customerName={customer.displayName}
          conversationId={conversationId}
          messages={messages}
        />
      ) : (
        <>
          <TypingIndicator conversationId={conversationId} customerName={customer.displayName} />
          <Composer
            conversationId={conversationId}
            customerId={customer.id}
            customerName={customer.displayName}
          />
        </>
      )}
    </section>
  );
}
