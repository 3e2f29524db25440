import { describe, expect, it } from 'vitest';
import type { CustomerState } from '@callcenter/shared';
import type { CustomerSession } from '@callcenter/shared/machines';
import { SessionPersistence } from './sessionPersistence';

/** `localStorage`'s contract, in memory (the tests run outside a browser). */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

const session: CustomerSession = {
  token: 'token-1',
  expiresAt: '2030-01-01T00:00:00.000Z',
  user: {
    id: 'cust-1',
    role: 'customer',
    login: 'carol',
    displayName: 'Carol',
    profile: {
      tier: 'gold',
      email: null,
      phone: null,
      company: null,
      customerSince: '2024-03-01T00:00:00.000Z',
      notes: null,
    },
  },
};

const queued: CustomerState = {
  version: 7,
  state: 'requestSent',
  requestId: 'req-1',
  position: 2,
  estimatedWait: null,
  conversationId: 'conv-1',
  agent: null,
  ratingPending: false,
};

describe('SessionPersistence', () => {
  it('keeps the session and the last confirmed state across a reload', () => {
    const storage = new MemoryStorage();
    new SessionPersistence(storage).save(session);
    new SessionPersistence(storage).saveState('cust-1', queued);

    const reloaded = new SessionPersistence(storage);
    expect(reloaded.load(Date.parse('2029-01-01T00:00:00Z'))).toEqual(session);
    expect(reloaded.loadState('cust-1')).toEqual(queued);
    expect(reloaded.loadState('someone-else')).toBeNull();
  });

  it('does not resume an expired, malformed or non-customer session', () => {
    const storage = new MemoryStorage();
    const persistence = new SessionPersistence(storage);
    persistence.save(session);
    expect(persistence.load(Date.parse('2030-01-01T00:00:00Z'))).toBeNull();

    storage.setItem('callcenter.customer.session', '{not json');
    expect(persistence.load(0)).toBeNull();

    const agentUser = {
      id: 'agent-1',
      role: 'agent',
      login: 'ada',
      displayName: 'Ada',
      profile: { email: null },
    };
    storage.setItem('callcenter.customer.session', JSON.stringify({ ...session, user: agentUser }));
    expect(persistence.load(0)).toBeNull();
  });

  it('forgets both on sign-out', () => {
    const storage = new MemoryStorage();
    const persistence = new SessionPersistence(storage);
    persistence.save(session);
    persistence.saveState('cust-1', queued);
    persistence.clear();
    expect(persistence.load(0)).toBeNull();
    expect(persistence.loadState('cust-1')).toBeNull();
    expect(storage.length).toBe(0);
  });
});
