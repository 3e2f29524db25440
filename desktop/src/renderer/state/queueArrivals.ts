import type { QueueSnapshot } from '@callcenter/shared';
import type { QueueArrival } from '../../ipc/channels';

/**
 * Customers in `next` who were not in `previous` (R12): the ones worth a notification. With no
 * previous snapshot (just signed in) nobody is new: the agent is looking at the queue anyway.
 */
export function arrivalsBetween(
  previous: QueueSnapshot | null,
  next: QueueSnapshot,
): QueueArrival[] {
  if (previous === null) return [];
  const known = new Set(previous.entries.map((entry) => entry.requestId));
  // Past the snapshot's entry limit the previous list was cut short: the customers queued
  // unseen behind it come, in FIFO order, before anyone who is really new.
  const unseenBefore = Math.max(0, previous.total - previous.entries.length);
  return next.entries
    .filter((entry) => !known.has(entry.requestId))
    .slice(unseenBefore)
    .map(({ requestId, displayName, tier }) => ({ requestId, displayName, tier }));
}
