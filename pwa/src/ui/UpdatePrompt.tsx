import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRegisterSW } from 'virtual:pwa-register/react';

/** How often an open app asks the server for a new version (also on every return to the tab). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/** "Ready to work offline" is news once; it leaves by itself. */
const OFFLINE_READY_SHOWN_MS = 8_000;

/**
 * Reloads once the new version controls the page. The plugin reloads by itself only when this
 * page was already controlled at start; after a first visit it would not.
 */
function reloadWhenUpdated(): void {
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading) return;
    reloading = true;
    window.location.reload();
  });
}

/** Registers the service worker and offers a new version once it is ready. */
export function UpdatePrompt() {
  const { t } = useTranslation();
  const [registration, setRegistration] = useState<ServiceWorkerRegistration | null>(null);
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW: (_url, registered) => {
      if (registered !== undefined) setRegistration(registered);
    },
    onRegisterError: (error: unknown) => {
      console.warn('the service worker could not be registered', error);
    },
  });

  useEffect(() => {
    if (registration === null) return;
    const check = () => {
      if (navigator.onLine) registration.update().catch(() => undefined);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') check();
    };
    const timer = setInterval(check, UPDATE_CHECK_MS);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [registration]);

  useEffect(() => {
    if (!offlineReady) return;
    const timer = setTimeout(() => {
      setOfflineReady(false);
    }, OFFLINE_READY_SHOWN_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [offlineReady, setOfflineReady]);

  if (needRefresh) {
    return (
      <div className="update-prompt" role="status" aria-label={t('update.label')}>
        <p>{t('update.available')}</p>
        <div className="update-actions">
          <button
            type="button"
            className="button primary small"
            onClick={() => {
              reloadWhenUpdated();
              void updateServiceWorker(true);
            }}
          >
            {t('update.now')}
          </button>
          <button
            type="button"
            className="button small"
            onClick={() => {
              setNeedRefresh(false);
            }}
          >
            {t('update.later')}
          </button>
        </div>
      </div>
    );
  }
  if (offlineReady) {
    return (
      <div className="update-prompt" role="status" aria-label={t('update.label')}>
        <p>{t('update.offlineReady')}</p>
        <div className="update-actions">
          <button
            type="button"
            className="button small"
            onClick={() => {
              setOfflineReady(false);
            }}
          >
            {t('update.ok')}
          </button>
        </div>
      </div>
    );
  }
  return null;
}
