// The session's types and the small helpers every session machine shares (errors, revocation,
// actions an app must provide). The machine itself is `sessionMachine.ts`.
import { ProtocolError, errorBodySchema } from '../protocol/index';
import type { ErrorBody, SessionRevoked, User } from '../protocol/index';

/**
 * Where the client's link to the server stands. `connecting` covers both the socket handshake
 * and the `session.sync` that follows it: until that answer arrives the shown state may be stale.
 */
export type ConnectionStatus = 'offline' | 'connecting' | 'online';

/** What a login (or a resumed session) leaves in a machine's context. */
export interface Session<TUser extends User = User> {
  token: string;
  expiresAt: string;
  user: TUser;
}

/** Input of both machines' `logout` actor: the token to revoke. */
export interface LogoutInput {
  token: string;
}

/**
 * Turns whatever an actor rejected with into a protocol error body. Actors are asked to reject
 * with `{ code, message }` (a `ProtocolError` qualifies); a whole `{ ok: false, error }` ack is
 * accepted too, and anything else (a bug, an unexpected throw) becomes `internal`.
 */
export function toErrorBody(rejection: unknown): ErrorBody {
  const direct = errorBodySchema.safeParse(rejection);
  if (direct.success) return { code: direct.data.code, message: direct.data.message };
  if (typeof rejection === 'object' && rejection !== null && 'error' in rejection) {
    const nested = errorBodySchema.safeParse(rejection.error);
    if (nested.success) return { code: nested.data.code, message: nested.data.message };
  }
  const message = rejection instanceof Error ? rejection.message : String(rejection);
  return { code: 'internal', message };
}

/** The error a login screen shows after the server revoked the session. */
export function revokedError(reason: SessionRevoked['reason'] | undefined): ErrorBody {
  return { code: 'unauthorized', message: `session revoked (${reason ?? 'unknown reason'})` };
}

/**
 * Default for an action only a client can perform (storage, sockets, UI): a no-op that still
 * declares the params type the client's implementation receives.
 */
// The type parameter is the point: it tells `setup` (and so `.provide()`) the params type.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function clientAction<TParams = undefined>(): (args: unknown, params: TParams) => void {
  return () => undefined;
}

/**
 * Default for every actor a client must provide: failing loudly beats a machine that waits
 * forever on a promise nobody wired up.
 */
export function notProvided(actorName: string): () => Promise<never> {
  return () =>
    Promise.reject(
      new ProtocolError('internal', `actor "${actorName}" is not provided; use machine.provide()`),
    );
}
