import { formatDate } from '../format';
import { useShownCustomer } from './consoleSelectors';
import { TierBadge } from './TierBadge';

/** R4: who the agent is talking to. */
export function CustomerInfoPanel() {
  const customer = useShownCustomer();
  if (!customer) return null;
  const { profile } = customer;
  const past = customer.pastConversations;
  return (
    <section className="panel customer-info" aria-labelledby="customer-info-title">
      <header className="panel-header">
        <h2 id="customer-info-title">Customer Info</h2>
      </header>
      <div className="customer-name">
        <strong>
          <bdi>{customer.displayName}</bdi>
        </strong>
        <TierBadge tier={profile.tier} />
      </div>
      <dl className="facts">
        <dt>Email</dt>
        <dd dir="auto">{profile.email ?? 'Not given'}</dd>
        <dt>Phone</dt>
        <dd dir="auto">{profile.phone ?? 'Not given'}</dd>
        {profile.company !== null && (
          <>
            <dt>Company</dt>
            <dd dir="auto">{profile.company}</dd>
          </>
        )}
        <dt>Customer since</dt>
        <dd>{formatDate(profile.customerSince)}</dd>
        <dt>Past conversations</dt>
        <dd>
          {past}
          {past === 0 && <span className="muted"> (first contact)</span>}
        </dd>
        {profile.notes !== null && (
          <>
            <dt>Notes</dt>
            <dd className="notes" dir="auto">
              {profile.notes}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
