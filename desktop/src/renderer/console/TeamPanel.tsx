import { useTranslation } from 'react-i18next';
import { useColleagues } from './TransferDialog';

/** Colleagues with their status and load: who is there to hand a chat to. */
export function TeamPanel() {
  const { t } = useTranslation();
  const colleagues = useColleagues();
  if (colleagues.length === 0) return null;
  return (
    <section className="panel team" aria-labelledby="team-title">
      <header className="panel-header">
        <h2 id="team-title">{t('team.title')}</h2>
      </header>
      <ul className="team-list">
        {colleagues.map((member) => {
          const status = member.online ? member.status : 'offline';
          return (
            <li key={member.id} className={`team-member status-${status}`}>
              <span className={`status-dot status-${status}`} aria-hidden="true" />
              <bdi>{member.displayName}</bdi>
              <span className="team-status">
                {t(`team.${status}`)}
                {member.online && ` · ${member.active}/${member.capacity}`}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
