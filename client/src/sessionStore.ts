import { loginResponseSchema } from '@callcenter/shared';
import type { Role, User } from '@callcenter/shared';
import type { Session } from '@callcenter/shared/machines';

/** The user of a role: `UserOf<'agent'>` is `AgentUser`. */
export type UserOf<TRole extends Role> = Extract<User, { role: TRole }>;

/**
 * Port: where a client keeps its signed-in session, so a reload continues it without a new
 * sign-in. Each app brings the storage that fits it.
 */
export interface SessionStore<TUser extends User> {
  /** The stored session, unless it is missing, damaged, of another role or about to expire. */
  load(now?: number): Session<TUser> | null;
  save(session: Session<TUser>): void;
  clear(): void;
}

/** A string key-value storage; Web Storage (`localStorage`, `sessionStorage`) has this shape. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface StoredSessionOptions<TRole extends Role> {
  /** The storage key. */
  key: string;
  /** The only role a stored session may have. */
  role: TRole;
  /** A session with less time left than this is not worth resuming. */
  minRemainingMs?: number;
}

/** A `SessionStore` over a key-value storage, as JSON shaped like the login answer it came from. */
export class StoredSession<TRole extends Role> implements SessionStore<UserOf<TRole>> {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly options: StoredSessionOptions<TRole>,
  ) {}

  load(now = Date.now()): Session<UserOf<TRole>> | null {
    let stored: unknown;
    try {
      stored = JSON.parse(this.storage.getItem(this.options.key) ?? 'null');
    } catch {
      return null;
    }
    const parsed = loginResponseSchema.safeParse(stored);
    if (!parsed.success) return null;
    const { token, expiresAt, user } = parsed.data;
    if (!(Date.parse(expiresAt) - now > (this.options.minRemainingMs ?? 0))) return null;
    return this.isOfRole(user) ? { token, expiresAt, user } : null;
  }

  save(session: Session<UserOf<TRole>>): void {
    this.storage.setItem(this.options.key, JSON.stringify(session));
  }

  clear(): void {
    this.storage.removeItem(this.options.key);
  }

  private isOfRole(user: User): user is UserOf<TRole> {
    return user.role === this.options.role;
  }
}
