import { useEffect, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { callTimer, secondsSince } from '@callcenter/client';
import { useCustomerApp, useOnline, useSessionView } from '../app/appContext';
import { callBlockedText, callEndedText, callErrorText } from './callText';
import { useCallMedia, useCallView } from './useCall';

export function PhoneIcon({ size = 20 }: { size?: number }) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true">
      <path
        fill="currentColor"
        d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z"
      />
    </svg>
  );
}

/** Call, in the chat's header: calls the agent of the conversation. */
export function CallButton() {
  const { t } = useTranslation();
  const { call } = useCustomerApp();
  const { customerState } = useSessionView();
  const { online } = useOnline();
  const view = useCallView();
  const conversationId = customerState?.conversationId ?? null;
  const blocked = callBlockedText(
    {
      inConversation: customerState?.state === 'inConversation' && conversationId !== null,
      online,
      callOn: view.status !== 'idle' && view.status !== 'ended',
      busy: view.busy,
    },
    t,
  );
  return (
    <>
      <button
        type="button"
        className="button subtle call-button"
        disabled={blocked !== null}
        title={blocked ?? t('call.callAgent')}
        aria-describedby={blocked === null ? undefined : 'call-blocked'}
        onClick={() => {
          if (conversationId !== null) call.start(conversationId);
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

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, intervalMs);
    return () => {
      clearInterval(timer);
    };
  }, [intervalMs]);
  return now;
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

/** Plays the agent's audio. */
function RemoteAudio() {
  const stream = useCallMedia((media) => media.remoteStream);
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (ref.current !== null) ref.current.srcObject = stream;
  }, [stream]);
  return <audio ref={ref} className="call-audio" autoPlay />;
}

/** The call takes the whole screen: it rings (either way) or is connected on this device. */
export function useCallOnScreen(): boolean {
  const { status, context } = useCallView();
  const joinedCallId = useCallMedia((media) => media.joinedCallId);
  if (status === 'established') return context?.call?.callId === joinedCallId;
  return status === 'outgoingRinging' || status === 'incomingRinging';
}

/**
 * The call in the chat's flow: the agent's audio, and a note once a call ended, an ask failed,
 * or the call was answered on another of the customer's devices. `noteAction` gets the note's
 * button, for the keyboard to land on when the full-screen call closes.
 */
export function CallLayer({ noteAction }: { noteAction: Ref<HTMLButtonElement> }) {
  const { t } = useTranslation();
  const { status } = useCallView();
  const onScreen = useCallOnScreen();
  return (
    <>
      <RemoteAudio />
      {status === 'established' && !onScreen ? (
        <div className="call-note" role="status">
          <PhoneIcon />
          <p>{t('call.elsewhere')}</p>
        </div>
      ) : (
        !onScreen && <CallNote action={noteAction} />
      )}
    </>
  );
}

/** The full-screen call: ringing in or out, or connected (see `useCallOnScreen`). */
export function CallScreen() {
  const { t } = useTranslation();
  const { call } = useCustomerApp();
  const { status, busy, context } = useCallView();
  const muted = useCallMedia((media) => media.muted);
  const first = useRef<HTMLButtonElement>(null);
  const state = context?.call ?? null;
  const placedByMe = state?.from.role === 'customer';
  // Who is on the other end: the agent of the conversation. A call the agent placed names
  // them; for one the customer placed, the session knows the conversation's agent.
  const agentName = useAgentName(placedByMe ? null : (state?.from.displayName ?? null));

  useEffect(() => {
    first.current?.focus();
  }, [status]);

  const headline =
    status === 'incomingRinging'
      ? t('call.isCalling')
      : status === 'outgoingRinging'
        ? t('call.calling')
        : t('call.inCall');
  return (
    <div
      className={`call-screen call-${status}`}
      role="dialog"
      aria-modal="true"
      aria-labelledby="call-with"
      aria-describedby="call-status"
    >
      <div className="call-party">
        <span className="call-avatar" aria-hidden="true">
          <PhoneIcon size={40} />
        </span>
        <h2 id="call-with" dir="auto">
          {agentName}
        </h2>
        <p id="call-status" className="call-status">
          {headline}
        </p>
        {status === 'established' && state?.answeredAt != null && (
          <CallTimer since={state.answeredAt} />
        )}
      </div>
      <div className="call-actions">
        {status === 'incomingRinging' ? (
          <>
            <button
              ref={first}
              type="button"
              className="call-round accept"
              disabled={busy}
              onClick={() => {
                call.accept();
              }}
            >
              <PhoneIcon size={28} />
              {t('call.accept')}
            </button>
            <button
              type="button"
              className="call-round hang-up"
              disabled={busy}
              onClick={() => {
                call.decline();
              }}
            >
              <PhoneIcon size={28} />
              {t('call.decline')}
            </button>
          </>
        ) : (
          <>
            {status === 'established' && (
              <button
                type="button"
                className="call-round mute"
                aria-pressed={muted}
                onClick={() => {
                  call.setMuted(!muted);
                }}
              >
                {muted ? t('call.unmute') : t('call.mute')}
              </button>
            )}
            <button
              ref={first}
              type="button"
              className="call-round hang-up"
              onClick={() => {
                if (state !== null) call.hangUp(state.callId);
              }}
            >
              <PhoneIcon size={28} />
              {status === 'outgoingRinging' ? t('call.cancel') : t('call.hangUp')}
            </button>
          </>
        )}
      </div>
    </div>
  );
}

/** The agent's name: the caller's when the agent called, else the conversation's agent. */
function useAgentName(caller: string | null): string {
  const { t } = useTranslation();
  const { customerState } = useSessionView();
  return caller ?? customerState?.agent?.displayName ?? t('common.yourAgent');
}

function CallNote({ action }: { action: Ref<HTMLButtonElement> }) {
  const { t } = useTranslation();
  const { call } = useCustomerApp();
  const { status, context } = useCallView();
  const blockedCallId = useCallMedia((media) => media.noMicrophoneCallId);
  const state = context?.call ?? null;
  const agentName = useAgentName(state?.from.role === 'agent' ? state.from.displayName : null);
  const error = context?.error ?? null;
  const [dismissedError, setDismissedError] = useState<typeof error>(null);
  if (status === 'ended' && state !== null) {
    const text = callEndedText(
      {
        reason: state.reason,
        agentName,
        placedByMe: state.from.role === 'customer',
        ownMicrophoneBlocked: blockedCallId === state.callId,
      },
      t,
    );
    return (
      <div
        className={`call-note${state.reason === 'no_microphone' ? ' call-note-alert' : ''}`}
        role={state.reason === 'no_microphone' ? 'alert' : 'status'}
      >
        <PhoneIcon />
        <p dir="auto">{text}</p>
        <button
          ref={action}
          type="button"
          className="button small"
          onClick={() => {
            call.dismiss();
          }}
        >
          {t('common.dismiss')}
        </button>
      </div>
    );
  }
  if (error !== null && error !== dismissedError) {
    return (
      <div className="call-note call-note-alert" role="alert">
        <p>{callErrorText(error, t)}</p>
        <button
          ref={action}
          type="button"
          className="button small"
          onClick={() => {
            setDismissedError(error);
          }}
        >
          {t('common.dismiss')}
        </button>
      </div>
    );
  }
  return null;
}
