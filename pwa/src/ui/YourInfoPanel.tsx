import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '@callcenter/client/react';
import { useSessionView } from '../app/appContext';
import { PushSetting } from '../push/PushControls';

interface YourInfoPanelProps {
  id: string;
  /** Phones: shown on demand over the chat. Wide screens show it beside the chat always. */
  open: boolean;
  onClose: () => void;
}

/** The customer's own context, as the agent sees it in the Customer Info panel. */
export function YourInfoPanel({ id, open, onClose }: YourInfoPanelProps) {
  const { t, i18n } = useTranslation();
  const { session } = useSessionView();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (open) headingRef.current?.focus();
  }, [open]);

  if (session === null) return null;
  const { displayName, login, profile } = session.user;
  const rows: [string, string | null][] = [
    [t('info.name'), displayName],
    [t('info.login'), login],
    [t('info.tier'), t(`info.tiers.${profile.tier}`)],
    [t('info.email'), profile.email],
    [t('info.phone'), profile.phone],
    [t('info.company'), profile.company],
    [
      t('info.customerSince'),
      new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long' }).format(
        new Date(profile.customerSince),
      ),
    ],
    [t('info.notes'), profile.notes],
  ];

  return (
    <aside
      id={id}
      className={`your-info${open ? ' open' : ''}`}
      aria-labelledby={`${id}-title`}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) onClose();
      }}
    >
      <div className="your-info-header">
        <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
          {t('info.title')}
        </h2>
        <button type="button" className="button subtle close-info" onClick={onClose}>
          {t('info.close')}
        </button>
      </div>
      <dl>
        {rows
          .filter((row): row is [string, string] => row[1] !== null && row[1] !== '')
          .map(([term, value]) => (
            <div key={term} className="info-row">
              <dt>{term}</dt>
              {/* A phone number reads left to right in every language (not "0100 555 1+"). */}
              <dd dir={term === t('info.phone') ? 'ltr' : 'auto'}>{value}</dd>
            </div>
          ))}
      </dl>
      <p className="info-note">{t('info.note')}</p>
      <LanguageSwitch />
      <PushSetting />
    </aside>
  );
}
