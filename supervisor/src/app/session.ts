import { create } from 'zustand';
import { ProtocolError, loginResponseSchema } from '@callcenter/shared';
import type { LoginResponse, SupervisorUser } from '@callcenter/shared';
import { postLogin, postLogout } from '@callcenter/client';

/** The console's sign-in: the token, its expiry, and the supervisor it speaks for. */
export interface SupervisorSession {
  token: string;
  expiresAt: string;
  user: SupervisorUser;
}

/** Kept for the tab's life only: a shared wallboard screen should not stay signed in for good. */
const STORAGE_KEY = 'callcenter.supervisor.session';

/** The server the console came from: it is served at /supervisor/ by the server itself. */
export const serverUrl = window.location.origin;

function sessionOf(response: LoginResponse): SupervisorSession | null {
  const { user } = response;
  if (user.role !== 'supervisor') return null;
  return { token: response.token, expiresAt: response.expiresAt, user };
}

function restore(): SupervisorSession | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (raw === null) return null;
    const parsed = loginResponseSchema.safeParse(JSON.parse(raw));
    const session = parsed.success ? sessionOf(parsed.data) : null;
    if (!session || Date.parse(session.expiresAt) <= Date.now()) return null;
    return session;
  } catch {
    return null;
  }
}

interface SessionStore {
  session: SupervisorSession | null;
  /** Why the last sign-in failed or the session ended, in words. */
  error: string | null;
  busy: boolean;
  login: (login: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** The server ended the session (logged out elsewhere, disabled, expired). */
  ended: (reason: string) => void;
}

export const useSession = create<SessionStore>((set, get) => ({
  session: restore(),
  error: null,
  busy: false,
  login: async (login, password) => {
    set({ busy: true, error: null });
    try {
      const response = await postLogin(serverUrl, { role: 'supervisor', login, password });
      const session = sessionOf(response);
      if (!session) throw new ProtocolError('forbidden', 'This is not a supervisor account.');
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(response));
      set({ session, busy: false });
    } catch (error) {
      set({ busy: false, error: signInError(error) });
    }
  },
  logout: async () => {
    const { session } = get();
    sessionStorage.removeItem(STORAGE_KEY);
    set({ session: null, error: null });
    if (session) await postLogout(serverUrl, session.token).catch(() => undefined);
  },
  ended: (reason) => {
    sessionStorage.removeItem(STORAGE_KEY);
    set({ session: null, error: reason });
  },
}));

function signInError(error: unknown): string {
  if (!(error instanceof ProtocolError)) return 'Signing in failed; try again.';
  switch (error.code) {
    case 'invalid_credentials':
      return 'Wrong login or password, or not a supervisor account.';
    case 'account_disabled':
      return 'This account is disabled.';
    case 'rate_limited':
      return 'Too many attempts; wait a minute and try again.';
    case 'unavailable':
      return 'The server cannot be reached; check the connection and try again.';
    default:
      return error.message;
  }
}
