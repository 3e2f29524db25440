import { useTranslation } from 'react-i18next';
import { formatDate, languageName } from '../format';
import { useShownCustomer } from './consoleSelectors';
import { TierBadge } from './TierBadge';

/** R4: who the agent is talking to. */
export function CustomerInfoPanel() {
  const { t, i18n } = useTranslation();
  const customer = useShownCustomer();
  if (!customer) return null;
  const { profile } = customer;
  const past = customer.pastConversations;
  return (
    <section className="panel customer-info" aria-labelledby="customer-info-title">
      <header className="panel-header">
        <h2 id="customer-info-title">{t('customerInfo.title')}</h2>
      </header>
      <div className="customer-name">
        <strong>
          <bdi>{customer.displayName}</bdi>
        </strong>
        <TierBadge tier={profile.tier} />
      </div>
      <dl className="facts">
        <dt>{t('customerInfo.email')}</dt>
        <dd dir="auto">{profile.email ?? t('customerInfo.notGiven')}</dd>
        <dt>{t('customerInfo.phone')}</dt>
        <dd dir={profile.phone === null ? undefined : 'ltr'}>
          {profile.phone ?? t('customerInfo.notGiven')}
        </dd>
        {profile.company !== null && (
          <>
            <dt>{t('customerInfo.company')}</dt>
            <dd dir="auto">{profile.company}</dd>
          </>
        )}
        {profile.language != null && (
          <>
            <dt>{t('customerInfo.language')}</dt>
            <dd data-language={profile.language}>
              {t('customerInfo.languageValue', {
                name: languageName(profile.language, i18n.language),
                tag: profile.language,
              })}
            </dd>
          </>
        )}
        <dt>{t('customerInfo.customerSince')}</dt>
        <dd>{formatDate(profile.customerSince, i18n.language)}</dd>
        <dt>{t('customerInfo.pastConversations')}</dt>
        <dd>
          {new Intl.NumberFormat(i18n.language).format(past)}
          {past === 0 && <span className="muted">{t('customerInfo.firstContact')}</span>}
        </dd>
        {profile.notes !== null && (
          <>
            <dt>{t('customerInfo.notes')}</dt>
            <dd className="notes" dir="auto">
              {profile.notes}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
