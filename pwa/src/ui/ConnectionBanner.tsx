import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOnline, useSessionView } from '../app/appContext';

/**
 * Shown while the server cannot be reached; the chat keeps working from this device. A live
 * region that is always in the page says when the connection goes and when it is back (a
 * region added with its text, like the banner, is not announced by every screen reader).
 */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const { browserOnline } = useOnline();
  const { connection } = useSessionView();
  const offline = !browserOnline || connection === 'offline';
  const [announcement, setAnnouncement] = useState('');
  const wasOffline = useRef(false);
  useEffect(() => {
    if (offline) {
      wasOffline.current = true;
      setAnnouncement(browserOnline ? t('connection.serverUnreachable') : t('connection.offline'));
    } else if (wasOffline.current) {
      wasOffline.current = false;
      setAnnouncement(t('connection.back'));
    }
  }, [offline, browserOnline, t]);
  return (
    <>
      <p className="visually-hidden connection-announcer" role="status" aria-live="polite">
        {announcement}
      </p>
      {offline && (
        <div className="connection-banner" role="status" aria-label={t('connection.label')}>
          <p>
            <strong>
              {browserOnline ? t('connection.serverUnreachable') : t('connection.offline')}
            </strong>{' '}
            {browserOnline ? `${t('connection.reconnecting')} ` : ''}
            {t('connection.kept')}
          </p>
        </div>
      )}
    </>
  );
}
