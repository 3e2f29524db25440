// Wording of the queue count and of arrival notifications (R12). Pure, so both the main process
// (tray, native notifications) and the renderer in a plain browser (Notification API) use it.
import type { Tier } from '@callcenter/shared';
import type { QueueArrival } from '../ipc/channels';

/**
 * What the tray (and the window title) say about the queue; `waitingLong` of them waited longer
 * than their tier's threshold.
 */
export function queueLabel(total: number | null, waitingLong = 0): string {
  if (total === null) return 'Not signed in';
  if (total === 0) return 'No customers waiting';
  const waiting = total === 1 ? '1 customer waiting' : `${total} customers waiting`;
  return waitingLong > 0 ? `${waiting}, ${waitingLong} waiting long` : waiting;
}

function tierName(arrival: Pick<QueueArrival, 'tier'>): string {
  return arrival.tier.charAt(0).toUpperCase() + arrival.tier.slice(1);
}

/** The title of a customer's message notification: who wrote, and their tier. */
export function messageNoticeTitle(customerName: string, tier?: Tier): string {
  return tier === undefined
    ? `${customerName} wrote`
    : `${customerName} (${tierName({ tier })}) wrote`;
}

/** The notification for customers who just joined the queue. */
export function arrivalNotice(
  arrivals: readonly QueueArrival[],
  total: number | null,
): { title: string; body: string } {
  const waiting = total === null ? '' : ` ${queueLabel(total)}.`;
  const [first] = arrivals;
  if (arrivals.length === 1 && first) {
    return {
      title: `${first.displayName} is waiting`,
      body: `${tierName(first)} customer joined the queue.${waiting}`,
    };
  }
  const names = arrivals.map((arrival) => `${arrival.displayName} (${tierName(arrival)})`);
  const listed = names.length > 3 ? `${names.slice(0, 3).join(', ')} and others` : names.join(', ');
  return {
    title: `${arrivals.length} customers joined the queue`,
    body: `${listed}.${waiting}`,
  };
}
