import { agentUserSchema } from '@callcenter/shared';
import type { AgentSession } from '@callcenter/shared/machines';

const SESSION_KEY = 'callcenter.agent.session';
/** A session this close to expiry is not worth resuming. */
const MIN_REMAINING_MS = 60_000;

/**
 * The signed-in session, kept in `sessionStorage`: a reload (or a trip to the desktop app's
 * settings page and back) continues the shift without a new sign-in; closing the window ends it.
 */
export class StoredSession {
  constructor(private readonly storage: Storage) {}

  save(session: AgentSession | null): void {
    if (session === null) this.clear();
    else this.storage.setItem(SESSION_KEY, JSON.stringify(session));
  }

  clear(): void {
    this.storage.removeItem(SESSION_KEY);
  }

  /** The stored session if it is intact and not about to expire. */
  load(now = Date.now()): AgentSession | null {
    let value: unknown;
    try {
      value = JSON.parse(this.storage.getItem(SESSION_KEY) ?? 'null');
    } catch {
      return null;
    }
    if (typeof value !== 'object' || value === null) return null;
    const { token, expiresAt, user } = value as Record<string, unknown>;
    if (typeof token !== 'string' || typeof expiresAt !== 'string') return null;
    if (!(Date.parse(expiresAt) - now > MIN_REMAINING_MS)) return null;
    const parsedUser = agentUserSchema.safeParse(user);
    return parsedUser.success ? { token, expiresAt, user: parsedUser.data } : null;
  }
}
