import { useTranslation } from 'react-i18next';
import { useSessionView } from '../app/appContext';
import { IsolatedText } from './IsolatedText';
import { describeState } from './stateText';

/** Where the customer's chat stands (R3): the server's last word, live. */
export function StateBanner() {
  const { t } = useTranslation();
  const { customerState } = useSessionView();
  const { title, detail, estimate, tone } = describeState(customerState, t);
  return (
    <div
      className={`state-banner tone-${tone}`}
      role="status"
      aria-label={t('state.label')}
      data-state={customerState?.state ?? 'unknown'}
    >
      <p className="state-title">{title}</p>
      <p className="state-detail">
        <IsolatedText text={detail} />
      </p>
      {estimate !== null && (
        <p className="state-estimate">
          {estimate} <span className="state-estimate-note">{t('state.estimateNote')}</span>
        </p>
      )}
    </div>
  );
}
