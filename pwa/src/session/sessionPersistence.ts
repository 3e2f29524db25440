import { customerStateSchema } from '@callcenter/shared';
import type { CustomerState, CustomerUser } from '@callcenter/shared';
import type { CustomerSession } from '@callcenter/shared/machines';
import { StoredSession, type SessionStore } from '@callcenter/client';

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
 * every tab, which is how a second tab joins the same session. The session itself is the client
 * core's `StoredSession`; this adds the last state and other tabs' sign-ins and sign-outs.
 */
export class SessionPersistence implements SessionStore<CustomerUser> {
  private readonly session: StoredSession<'customer'>;

  constructor(private readonly storage: Storage) {
    this.session = new StoredSession(storage, { key: SESSION_KEY, role: 'customer' });
  }

  /** The stored session, unless it is missing, malformed or past its expiry. */
  load(now = Date.now()): CustomerSession | null {
    return this.session.load(now);
  }

  save(session: CustomerSession): void {
    this.session.save(session);
  }

  clear(): void {
    this.session.clear();
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
}
