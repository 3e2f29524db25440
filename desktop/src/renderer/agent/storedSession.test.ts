import { describe, expect, it } from 'vitest';
import { StoredSession } from './storedSession';

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

const session = {
  token: 'token-1',
  expiresAt: '2030-01-01T12:00:00.000Z',
  user: {
    id: 'agent-1',
    role: 'agent' as const,
    login: 'alice',
    displayName: 'Alice',
    profile: { email: null },
  },
};
const now = Date.parse('2030-01-01T08:00:00.000Z');

describe('StoredSession', () => {
  it('gives back a saved session until shortly before it expires', () => {
    const stored = new StoredSession(new MemoryStorage());
    expect(stored.load(now)).toBeNull();
    stored.save(session);
    expect(stored.load(now)).toEqual(session);
    expect(stored.load(Date.parse('2030-01-01T11:59:30.000Z'))).toBeNull();
    stored.save(null);
    expect(stored.load(now)).toBeNull();
  });

  it('ignores damaged or foreign data', () => {
    const storage = new MemoryStorage();
    const stored = new StoredSession(storage);
    for (const value of [
      '{',
      '"text"',
      JSON.stringify({ ...session, user: { role: 'customer' } }),
    ]) {
      storage.setItem('callcenter.agent.session', value);
      expect(stored.load(now)).toBeNull();
    }
  });
});
