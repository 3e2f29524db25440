import { TIERS, priorityForTier, type Tier } from '@callcenter/shared';
import { capitalize } from '../format';

export function tierOfPriority(priority: number): Tier {
  return TIERS.find((tier) => priorityForTier(tier) === priority) ?? 'standard';
}

export function TierBadge({ tier }: { tier: Tier }) {
  return <span className={`tier tier-${tier}`}>{capitalize(tier)}</span>;
}
