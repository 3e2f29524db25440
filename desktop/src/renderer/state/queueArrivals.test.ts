import { describe, expect, it } from 'vitest';
import type { QueueEntry, QueueSnapshot } from '@callcenter/shared';
import { arrivalsBetween } from './queueArrivals';

function entry(requestId: string, second: number): QueueEntry {
  return {
    requestId,
    customerId: `c-${requestId}`,
    displayName: `Customer ${requestId}`,
    tier: 'gold',
    priority: 2,
    requestedAt: `2030-01-01T10:00:${String(second).padStart(2, '0')}.000Z`,
    online: true,
    preview: null,
    estimatedWait: null,
  };
}

function snapshot(version: number, entries: QueueEntry[], total = entries.length): QueueSnapshot {
  return { version, total, entries };
}

describe('arrivalsBetween', () => {
  it('reports nobody for the first snapshot after sign-in', () => {
    expect(arrivalsBetween(null, snapshot(1, [entry('a', 1)]))).toEqual([]);
  });

  it('reports the requests that were not there before', () => {
    const before = snapshot(1, [entry('a', 1), entry('b', 2)]);
    const after = snapshot(2, [entry('b', 2), entry('c', 3), entry('d', 4)]);
    expect(arrivalsBetween(before, after)).toEqual([
      { requestId: 'c', displayName: 'Customer c', tier: 'gold' },
      { requestId: 'd', displayName: 'Customer d', tier: 'gold' },
    ]);
  });

  it('reports nobody when customers only leave', () => {
    const before = snapshot(1, [entry('a', 1), entry('b', 2)]);
    expect(arrivalsBetween(before, snapshot(2, [entry('b', 2)]))).toEqual([]);
  });

  it('does not take long-waiting customers coming into view past the entry limit for new', () => {
    const before = snapshot(1, [entry('a', 1), entry('b', 2)], 3);
    const after = snapshot(2, [entry('b', 2), entry('hidden', 3), entry('new', 9)], 3);
    expect(arrivalsBetween(before, after).map((arrival) => arrival.requestId)).toEqual(['new']);
  });
});
