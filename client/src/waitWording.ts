import type { WaitEstimate } from '@callcenter/shared';
import type { Translate } from './language';

/**
 * An estimated wait in words, the same in the customer's app and the agent's console: a range of
 * minutes ("2–5 min"), or "under N min" when it may be next to nothing; null without an estimate.
 */
export function waitEstimateText(estimate: WaitEstimate | null, t: Translate): string | null {
  if (estimate === null) return null;
  const min = Math.round(estimate.minSeconds / 60);
  const max = Math.round(estimate.maxSeconds / 60);
  return min === 0 ? t('wait.under', { count: max }) : t('wait.between', { min, max });
}
