import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentState, QueueAlerts, QueueEntry, QueueSnapshot } from '@callcenter/shared';
import {
  RepeatingAlert,
  countWaitingLong,
  loadRepeatPreference,
  repeatPeriodSeconds,
  saveRepeatPreference,
  shouldRepeatAlert,
  waitsTooLong,
} from './queueAlerts';

const alerts: QueueAlerts = {
  repeatSeconds: 30,
  waitSeconds: { standard: 120, gold: 60, platinum: 30 },
};

function entry(tier: QueueEntry['tier'], requestedAt: string): QueueEntry {
  return {
    requestId: 'r1',
    customerId: 'c1',
    displayName: 'Dana',
    tier,
    priority: 1,
    requestedAt,
    online: true,
    preview: null,
    estimatedWait: null,
  };
}

function agent(status: AgentState['status'], held: number, capacity = 1): AgentState {
  return {
    version: 1,
    state: held > 0 ? 'inConversation' : 'monitoring',
    conversationId: null,
    customer: null,
    status,
    capacity,
    conversations: Array.from({ length: held }, (_, i) => ({
      conversationId: `c${i}`,
      customer: {
        id: `cu${i}`,
        displayName: 'x',
        profile: {
          tier: 'standard',
          email: null,
          phone: null,
          company: null,
          customerSince: '2030-01-01T00:00:00.000Z',
          notes: null,
        },
        pastConversations: 0,
      },
      startedAt: '2030-01-01T00:00:00.000Z',
      assignedAt: '2030-01-01T00:00:00.000Z',
      transferredFrom: null,
    })),
  };
}

const queue: QueueSnapshot = { version: 1, total: 1, entries: [] };

describe('queue alerts', () => {
  it('marks an entry past its tier’s threshold', () => {
    const now = Date.parse('2030-01-01T10:01:01.000Z');
    expect(waitsTooLong(entry('gold', '2030-01-01T10:00:00.000Z'), alerts, now)).toBe(true);
    expect(waitsTooLong(entry('standard', '2030-01-01T10:00:00.000Z'), alerts, now)).toBe(false);
    expect(waitsTooLong(entry('gold', '2030-01-01T10:00:00.000Z'), null, now)).toBe(false);
    const waiting: QueueSnapshot = {
      version: 2,
      total: 3,
      entries: [
        entry('gold', '2030-01-01T10:00:00.000Z'),
        entry('platinum', '2030-01-01T10:00:45.000Z'),
        entry('standard', '2030-01-01T10:00:00.000Z'),
      ],
    };
    expect(countWaitingLong(waiting, alerts, now)).toBe(1);
    expect(countWaitingLong(waiting, null, now)).toBe(0);
    expect(countWaitingLong(null, alerts, now)).toBe(0);
  });

  it('repeats only while customers wait and the agent is available with room and sound on', () => {
    const base = { queue, alerts, soundEnabled: true };
    expect(shouldRepeatAlert({ ...base, agentState: agent('available', 0) })).toBe(true);
    expect(shouldRepeatAlert({ ...base, agentState: agent('available', 1, 2) })).toBe(true);
    expect(shouldRepeatAlert({ ...base, agentState: agent('available', 1) })).toBe(false);
    expect(shouldRepeatAlert({ ...base, agentState: agent('away', 0) })).toBe(false);
    expect(
      shouldRepeatAlert({ ...base, soundEnabled: false, agentState: agent('available', 0) }),
    ).toBe(false);
    expect(
      shouldRepeatAlert({
        ...base,
        queue: { ...queue, total: 0 },
        agentState: agent('available', 0),
      }),
    ).toBe(false);
  });
});

describe('the agent’s own repeat period', () => {
  function memoryStorage(): Storage {
    const held = new Map<string, string>();
    return {
      get length() {
        return held.size;
      },
      clear: () => {
        held.clear();
      },
      getItem: (k) => held.get(k) ?? null,
      key: (i) => [...held.keys()][i] ?? null,
      removeItem: (k) => {
        held.delete(k);
      },
      setItem: (k, v) => {
        held.set(k, v);
      },
    };
  }

  it('overrides the server’s, is kept, and 0 turns the repeat off', () => {
    const storage = memoryStorage();
    expect(loadRepeatPreference(storage)).toBeNull();
    expect(repeatPeriodSeconds(null, alerts)).toBe(30);
    expect(repeatPeriodSeconds(null, null)).toBe(30);
    saveRepeatPreference(storage, 60);
    expect(loadRepeatPreference(storage)).toBe(60);
    expect(repeatPeriodSeconds(60, alerts)).toBe(60);
    saveRepeatPreference(storage, 0);
    expect(loadRepeatPreference(storage)).toBe(0);
    const base = { queue, alerts, soundEnabled: true, agentState: agent('available', 0) };
    expect(shouldRepeatAlert({ ...base, repeatSeconds: 0 })).toBe(false);
    expect(shouldRepeatAlert({ ...base, repeatSeconds: 15 })).toBe(true);
  });

  it('refuses a period that is not whole seconds from 0 to an hour, and ignores a bad stored one', () => {
    const storage = memoryStorage();
    expect(() => {
      saveRepeatPreference(storage, -5);
    }).toThrow(/from 0 \(off\) to 3600, got -5/);
    expect(() => {
      saveRepeatPreference(storage, 1.5);
    }).toThrow(RangeError);
    storage.setItem('callcenter.agent.alertRepeatSeconds', 'soon');
    expect(loadRepeatPreference(storage)).toBeNull();
    expect(loadRepeatPreference(undefined)).toBeNull();
  });
});

describe('RepeatingAlert', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('plays every period while on, keeps its time when set on again, and stops', () => {
    const play = vi.fn();
    const alert = new RepeatingAlert(play);
    alert.set(true, 1000);
    vi.advanceTimersByTime(900);
    alert.set(true, 1000);
    vi.advanceTimersByTime(100);
    expect(play).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2000);
    expect(play).toHaveBeenCalledTimes(3);
    alert.set(false, 1000);
    vi.advanceTimersByTime(5000);
    expect(play).toHaveBeenCalledTimes(3);
  });
});
