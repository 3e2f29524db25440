import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { ChatMessage, ErrorBody } from '@callcenter/shared';
import { describeCallError } from '../agent/errorText';
import { formatMessageTime } from '../format';
import { useAgent, useAgentClient } from '../hooks/agentClientContext';
import { useCallMedia, useCallView } from '../hooks/useCall';
import { useNow } from '../hooks/useNow';
import { callEndedText, callEventText, callTimer, secondsSince } from '../state/callWording';
import { useShownCustomer } from './consoleSelectors';
import { IsolatedText } from './IsolatedText';

export function PhoneIcon() {
  return (
    <svg className="phone-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
      <path
        fill="currentColor"
        d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z"
      />
    </svg>
  );
}

/** Why the agent cannot call now, or null when Call works. */
function useCallBlocked(ended: boolean): string | null {
  const { t } = useTranslation();
  const { status, busy } = useCallView();
  const online = useAgent((snapshot) => snapshot.context.connection === 'online');
  if (ended) return t('call.blocked.ended');
  if (!online) return t('call.blocked.offline');
  if (status !== 'idle' && status !== 'ended') return t('call.blocked.callOn');
  if (busy) return t('call.blocked.busy');
  return null;
}

/** Call, in the conversation's header: calls the customer of the conversation on screen. */
export function CallButton({ conversationId, ended }: { conversationId: string; ended: boolean }) {
  const { t } = useTranslation();
  const client = useAgentClient();
  const blocked = useCallBlocked(ended);
  return (
    <>
      <button
        type="button"
        className="call-button"
        disabled={blocked !== null}
        title={blocked ?? t('call.callCustomer')}
        aria-describedby={blocked === null ? undefined : 'call-blocked'}
        onClick={() => {
          client.call.start(conversationId);
        }}
      >
        <PhoneIcon />
        {t('call.call')}
      </button>
      {blocked !== null && (
        <span id="call-blocked" className="visually-hidden">
          {blocked}
        </span>
      )}
    </>
  );
}

function CallTimer({ since }: { since: string }) {
  const { t } = useTranslation();
  const now = useNow(1_000);
  return (
    <time className="call-timer" role="timer" aria-label={t('call.time')} dateTime={since}>
      {callTimer(secondsSince(since, now))}
    </time>
  );
}

function CallError({ error, onDismiss }: { error: string; onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="notice notice-error">
      <span>
        <IsolatedText text={error} />
      </span>
      <button type="button" className="notice-close" aria-label={t('dismiss')} onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}

/**
 * The call in the workspace: an incoming call to accept or decline, the call being placed, the
 * call in progress (time, Mute, Hang up), and the note after it; a failed ask in words.
 */
export function CallBar() {
  const { t } = useTranslation();
  const client = useAgentClient();
  const { status, context } = useCallView();
  const customer = useShownCustomer();
  const media = useCallMedia((state) => state);
  const [dismissedError, setDismissedError] = useState<ErrorBody | null>(null);
  const call = context?.call ?? null;
  const error = context?.error ?? null;
  const errorText =
    error !== null && error !== dismissedError
      ? describeCallError(error, context?.intent ?? null, t)
      : null;
  const customerName =
    call?.from.role === 'customer'
      ? call.from.displayName
      : (customer?.displayName ?? t('call.theCustomer'));

  let bar: ReactNode = null;
  if (call !== null && status === 'incomingRinging') {
    bar = (
      <section className="call-bar incoming" aria-label={t('call.incoming')}>
        <PhoneIcon />
        <p className="call-words">
          <strong>
            <Trans
              i18nKey="call.isCalling"
              values={{ name: customerName }}
              components={{ name: <bdi /> }}
            />
          </strong>
          <span className="call-sub">{t('call.voiceCall')}</span>
        </p>
        <div className="call-actions">
          <button
            type="button"
            className="accept"
            onClick={() => {
              client.call.accept();
            }}
          >
            {t('call.accept')}
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => {
              client.call.decline();
            }}
          >
            {t('call.decline')}
          </button>
        </div>
      </section>
    );
  } else if (call !== null && status === 'outgoingRinging') {
    bar = (
      <section className="call-bar outgoing" aria-label={t('call.call')}>
        <PhoneIcon />
        <p className="call-words">
          <strong>
            <Trans
              i18nKey="call.calling"
              values={{ name: customerName }}
              components={{ name: <bdi /> }}
            />
          </strong>
        </p>
        <div className="call-actions">
          <button
            type="button"
            onClick={() => {
              client.call.hangUp(call.callId);
            }}
          >
            {t('call.cancel')}
          </button>
        </div>
      </section>
    );
  } else if (call !== null && status === 'established') {
    const here = media.joinedCallId === call.callId;
    bar = (
      <section className="call-bar established" aria-label={t('call.call')}>
        <PhoneIcon />
        <p className="call-words">
          <strong>
            <bdi>{customerName}</bdi>
          </strong>
          <span className="call-sub">
            {here ? t('call.inCall') : t('call.inCallElsewhere')}
            {here && media.muted && ` · ${t('call.muted')}`}
          </span>
        </p>
        <CallTimer since={call.answeredAt ?? call.startedAt} />
        <div className="call-actions">
          {here && (
            <button
              type="button"
              aria-pressed={media.muted}
              onClick={() => {
                client.call.setMuted(!media.muted);
              }}
            >
              {t('call.mute')}
            </button>
          )}
          <button
            type="button"
            className="hang-up"
            onClick={() => {
              client.call.hangUp(call.callId);
            }}
          >
            {t('call.hangUp')}
          </button>
        </div>
      </section>
    );
  } else if (call !== null && status === 'ended') {
    const placedByAgent = call.from.role === 'agent';
    bar = (
      <section className="call-bar ended" aria-label={t('call.call')}>
        <PhoneIcon />
        <p className="call-words" role="status">
          <IsolatedText
            text={callEndedText(
              {
                reason: call.reason,
                customerName: placedByAgent ? customerName : call.from.displayName,
                placedByAgent,
                answered: call.answeredAt !== null,
                inCallHere: media.joinedCallId === call.callId,
                hungUpHere: media.hungUpCallId === call.callId,
                ownMicrophoneMissing: media.noMicrophoneCallId === call.callId,
              },
              t,
            )}
          />
        </p>
        <div className="call-actions">
          <button
            type="button"
            className="link"
            onClick={() => {
              client.call.dismiss();
            }}
          >
            {t('dismiss')}
          </button>
        </div>
      </section>
    );
  }

  if (bar === null && errorText === null) return null;
  return (
    <div className="call-area">
      {bar}
      {errorText !== null && (
        <CallError
          error={errorText}
          onDismiss={() => {
            setDismissedError(error);
          }}
        />
      )}
    </div>
  );
}

/** Plays the customer's side of the call; nothing to see. */
export function CallAudioOutput() {
  const stream = useCallMedia((state) => state.remoteStream);
  const player = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const element = player.current;
    if (!element) return;
    element.srcObject = stream;
    if (stream) element.play().catch(() => undefined);
  }, [stream]);
  return <audio ref={player} className="call-audio" autoPlay />;
}

/** A call's event in the transcript: a centred line, not a bubble. */
export function CallEventItem({ message, now }: { message: ChatMessage; now: number }) {
  const { t, i18n } = useTranslation();
  const text = callEventText(message, t) ?? message.text;
  return (
    <li className={`call-event call-${message.call?.event ?? 'ended'}`}>
      <PhoneIcon />
      <span className="call-event-text">
        <IsolatedText text={text} />
      </span>
      <time dateTime={message.createdAt}>
        {formatMessageTime(message.createdAt, now, i18n.language)}
      </time>
    </li>
  );
}
