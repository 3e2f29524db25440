import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { useCustomerApp, useSessionView } from '../app/appContext';
import type { PushView } from './pushNotifications';

/** This device's Web Push state, and the session's token to change it with. */
function usePush(): { view: PushView; token: string | null } {
  const { push } = useCustomerApp();
  const view = useStore(push.view);
  const { session } = useSessionView();
  return { view, token: session?.token ?? null };
}

/**
 * The offer after sign-in, in the chat: "Get notified when your agent replies". The browser's
 * permission prompt comes only from its button. Shown while push is possible and off, until
 * the customer turns it on or says "Not now" (Your Info keeps the switch).
 */
export function PushOffer() {
  const { t } = useTranslation();
  const { push } = useCustomerApp();
  const { view, token } = usePush();
  const titleId = useId();
  if (view.status !== 'off' || view.offerDismissed || token === null) return null;
  return (
    <section className="push-offer" aria-labelledby={titleId}>
      <p id={titleId} className="push-offer-title">
        {t('push.offerTitle')}
      </p>
      <p className="push-offer-detail">{t('push.offerDetail')}</p>
      {view.failed && (
        <p className="push-problem" role="alert">
          {t('push.failed')}
        </p>
      )}
      <div className="push-buttons">
        <button
          type="button"
          className="button primary small"
          disabled={view.busy}
          onClick={() => void push.turnOn(token)}
        >
          {t('push.turnOn')}
        </button>
        <button
          type="button"
          className="button small"
          disabled={view.busy}
          onClick={() => {
            push.dismissOffer();
          }}
        >
          {t('push.notNow')}
        </button>
      </div>
    </section>
  );
}

/** Your Info's notifications switch: the state in words, and turning it on or off. */
export function PushSetting() {
  const { t } = useTranslation();
  const { push } = useCustomerApp();
  const { view, token } = usePush();
  const titleId = useId();
  if (view.status === 'unknown' || token === null) return null;
  return (
    <section className="push-setting" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('push.settingTitle')}</h3>
      <p className="push-status" role="status">
        {t(`push.status.${view.status}`)}
      </p>
      {view.failed && (
        <p className="push-problem" role="alert">
          {t('push.failed')}
        </p>
      )}
      {view.status === 'off' && (
        <button
          type="button"
          className="button small"
          disabled={view.busy}
          onClick={() => void push.turnOn(token)}
        >
          {t('push.turnOn')}
        </button>
      )}
      {view.status === 'on' && (
        <button
          type="button"
          className="button small"
          disabled={view.busy}
          onClick={() => void push.turnOff(token)}
        >
          {t('push.turnOff')}
        </button>
      )}
    </section>
  );
}

/**
 * Calls `onOpen` when a push notification of this app is clicked while this window is open
 * (the service worker focuses it and says which conversation).
 */
export function usePushOpened(onOpen: (conversationId: string) => void): void {
  const latest = useRef(onOpen);
  latest.current = onOpen;
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const heard = (event: MessageEvent) => {
      const data = event.data as { type?: unknown; conversationId?: unknown } | null;
      if (data?.type === 'push.open' && typeof data.conversationId === 'string') {
        latest.current(data.conversationId);
      }
    };
    navigator.serviceWorker.addEventListener('message', heard);
    return () => {
      navigator.serviceWorker.removeEventListener('message', heard);
    };
  }, []);
}
