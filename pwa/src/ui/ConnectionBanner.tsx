import { useTranslation } from 'react-i18next';
import { useOnline, useSessionView } from '../app/appContext';

/** Shown while the server cannot be reached; the chat keeps working from this device. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const { browserOnline } = useOnline();
  const { connection } = useSessionView();
  if (browserOnline && connection !== 'offline') return null;
  return (
    <div className="connection-banner" role="status" aria-label={t('connection.label')}>
      <p>
        <strong>
          {browserOnline ? t('connection.serverUnreachable') : t('connection.offline')}
        </strong>{' '}
        {browserOnline ? `${t('connection.reconnecting')} ` : ''}
        {t('connection.kept')}
      </p>
    </div>
  );
}
