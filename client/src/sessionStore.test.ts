import { describe, expect, it } from 'vitest';
import type { AgentSession, CustomerSession } from '@callcenter/shared/machines';
import { StoredSession, type KeyValueStorage } from './sessionStore';

/** Web Storage's contract, in memory (the tests run outside a browser). */
class MemoryStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const agentSession: AgentSession = {
  token: 'token-1',
  expiresAt: '2030-01-01T12:00:00.000Z',
  user: {
    id: 'agent-1',
    role: 'agent',
    login: 'alice',
    displayName: 'Alice',
    profile: { email: null },
  },
};
const customerSession: CustomerSession = {
  token: 'token-2',
  expiresAt: '2030-01-01T12:00:00.000Z',
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
const now = Date.parse('2030-01-01T08:00:00.000Z');
const key = 'session';

describe('StoredSession', () => {
  it('gives back a saved session until shortly before it expires, and forgets it', () => {
    const storage = new MemoryStorage();
    const stored = new StoredSession(storage, { key, role: 'agent', minRemainingMs: 60_000 });
    expect(stored.load(now)).toBeNull();
    stored.save(agentSession);
    expect(new StoredSession(storage, { key, role: 'agent' }).load(now)).toEqual(agentSession);
    expect(stored.load(Date.parse('2030-01-01T11:59:30.000Z'))).toBeNull();
    stored.clear();
    expect(stored.load(now)).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it('without a margin, keeps a session until it expires', () => {
    const stored = new StoredSession(new MemoryStorage(), { key, role: 'customer' });
    stored.save(customerSession);
    expect(stored.load(Date.parse('2030-01-01T11:59:59.000Z'))).toEqual(customerSession);
    expect(stored.load(Date.parse('2030-01-01T12:00:00.000Z'))).toBeNull();
  });

  it("ignores damaged data and another role's session", () => {
    const storage = new MemoryStorage();
    const stored = new StoredSession(storage, { key, role: 'agent' });
    for (const value of ['{', '"text"', JSON.stringify({ ...agentSession, token: 7 })]) {
      storage.setItem(key, value);
      expect(stored.load(now)).toBeNull();
    }
    storage.setItem(key, JSON.stringify(customerSession));
    expect(stored.load(now)).toBeNull();
  });
});
