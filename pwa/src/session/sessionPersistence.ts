import { customerStateSchema, loginResponseSchema } from '@callcenter/shared';
import type { CustomerState } from '@callcenter/shared';
import type { CustomerSession } from '@callcenter/shared/machines';

const SESSION_KEY = 'callcenter.customer.session';
const STATE_KEY = 'callcenter.customer.state';

function readJson(storage: Storage, key: string): unknown {
  try {
    const raw = storage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
    return null;
  }
}

/**
 * The signed-in session and the last state the server confirmed, kept in `localStorage`: read
 * synchronously at start-up (so a reload, also offline, opens the chat at once) and shared by
 * every tab, which is how a second tab joins the same session.
 */
export class SessionPersistence {
  constructor(private readonly storage: Storage) {}

  /** The stored session, unless it is missing, malformed or past its expiry. */
  load(now = Date.now()): CustomerSession | null {
    return this.parseSession(readJson(this.storage, SESSION_KEY), now);
  }

  save(session: CustomerSession): void {
    this.storage.setItem(SESSION_KEY, JSON.stringify(session));
  }

  clear(): void {
    this.storage.removeItem(SESSION_KEY);
    this.storage.removeItem(STATE_KEY);
  }

  loadState(userId: string): CustomerState | null {
    const stored = readJson(this.storage, STATE_KEY);
    if (typeof stored !== 'object' || stored === null || !('userId' in stored)) return null;
    if (stored.userId !== userId || !('state' in stored)) return null;
    const parsed = customerStateSchema.safeParse(stored.state);
    return parsed.success ? parsed.data : null;
  }

  saveState(userId: string, state: CustomerState): void {
    this.storage.setItem(STATE_KEY, JSON.stringify({ userId, state }));
  }

  /** Calls back when another tab signs in or out. */
  onOtherTabChange(listener: (session: CustomerSession | null) => void): () => void {
    const onStorage = (event: StorageEvent): void => {
      if (event.storageArea !== this.storage || (event.key !== SESSION_KEY && event.key !== null)) {
        return;
      }
      listener(this.load());
    };
    window.addEventListener('storage', onStorage);
    return () => {
      window.removeEventListener('storage', onStorage);
    };
  }

  private parseSession(value: unknown, now: number): CustomerSession | null {
    // A stored session has the shape of the login answer it came from.
    const parsed = loginResponseSchema.safeParse(value);
    if (!parsed.success || Date.parse(parsed.data.expiresAt) <= now) return null;
    const { token, expiresAt, user } = parsed.data;
    return user.role === 'customer' ? { token, expiresAt, user } : null;
  }
}
