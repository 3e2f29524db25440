import { useEffect, useRef } from 'react';
import { useSessionView } from '../app/appContext';

const TIER_NAMES = { standard: 'Standard', gold: 'Gold', platinum: 'Platinum' } as const;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

interface YourInfoPanelProps {
  id: string;
  /** Phones: shown on demand over the chat. Wide screens show it beside the chat always. */
  open: boolean;
  onClose: () => void;
}

/** The customer's own context, as the agent sees it in the Customer Info panel. */
export function YourInfoPanel({ id, open, onClose }: YourInfoPanelProps) {
  const { session } = useSessionView();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (open) headingRef.current?.focus();
  }, [open]);

  if (session === null) return null;
  const { displayName, login, profile } = session.user;
  const rows: [string, string | null][] = [
    ['Name', displayName],
    ['Login', login],
    ['Service tier', TIER_NAMES[profile.tier]],
    ['E-mail', profile.email],
    ['Phone', profile.phone],
    ['Company', profile.company],
    ['Customer since', dateFormat.format(new Date(profile.customerSince))],
    ['Notes', profile.notes],
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
          Your Info
        </h2>
        <button type="button" className="button subtle close-info" onClick={onClose}>
          Close
        </button>
      </div>
      <dl>
        {rows
          .filter((row): row is [string, string] => row[1] !== null && row[1] !== '')
          .map(([term, value]) => (
            <div key={term} className="info-row">
              <dt>{term}</dt>
              <dd dir="auto">{value}</dd>
            </div>
          ))}
      </dl>
      <p className="info-note">This is what our agents see about you.</p>
    </aside>
  );
}
