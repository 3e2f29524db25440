// Wording of the queue count and of arrival and message notifications (R12), in the console's
// language. Pure, so both the main process (tray, native notifications) and the renderer in a
// plain browser (Notification API) use it, each with its own `t`.
import type { Translate } from '@callcenter/client/language';
import { isolateBidi, type Tier } from '@callcenter/shared';
import type { QueueArrival } from '../ipc/channels';

/**
 * What the tray (and the window title) say about the queue; `waitingLong` of them waited longer
 * than their tier's threshold.
 */
export function queueLabel(t: Translate, total: number | null, waitingLong = 0): string {
  if (total === null) return t('attention.notSignedIn');
  if (total === 0) return t('attention.noneWaiting');
  const waiting = t('queue.waiting', { count: total });
  if (waitingLong === 0) return waiting;
  return t('attention.waitingAndLong', {
    waiting,
    long: t('queue.waitingLong', { count: waitingLong }),
  });
}

/** The title of a customer's message notification: who wrote, and their tier. */
export function messageNoticeTitle(t: Translate, customerName: string, tier?: Tier): string {
  const name = isolateBidi(customerName);
  return tier === undefined
    ? t('attention.wrote', { name })
    : t('attention.wroteWithTier', { name, tier: t(`tiers.${tier}`) });
}

/** The notification for customers who just joined the queue. */
export function arrivalNotice(
  t: Translate,
  arrivals: readonly QueueArrival[],
  total: number | null,
): { title: string; body: string } {
  const waiting = total === null ? null : queueLabel(t, total);
  const [first] = arrivals;
  if (arrivals.length === 1 && first) {
    const tier = t(`tiers.${first.tier}`);
    return {
      title: t('attention.isWaiting', { name: isolateBidi(first.displayName) }),
      body:
        waiting === null
          ? t('attention.joined', { tier })
          : t('attention.joinedWithCount', { tier, waiting }),
    };
  }
  const named = arrivals.map((arrival) =>
    t('attention.nameWithTier', {
      name: isolateBidi(arrival.displayName),
      tier: t(`tiers.${arrival.tier}`),
    }),
  );
  const names = named.length > 3 ? [...named.slice(0, 3), t('attention.others')] : named;
  return {
    title: t('attention.severalJoined', { count: arrivals.length }),
    body:
      waiting === null
        ? t('attention.names', { names })
        : t('attention.namesWithCount', { names, waiting }),
  };
}
