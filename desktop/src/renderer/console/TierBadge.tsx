import { TIERS, priorityForTier, type Tier } from '@callcenter/shared';
import { useTranslation } from 'react-i18next';

export function tierOfPriority(priority: number): Tier {
  return TIERS.find((tier) => priorityForTier(tier) === priority) ?? 'standard';
}

export function TierBadge({ tier }: { tier: Tier }) {
  const { t } = useTranslation();
  return <span className={`tier tier-${tier}`}>{t(`tiers.${tier}`)}</span>;
}
