import { randomUUID, webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { AccountRole, LoginRequest, LoginResponse, Role } from '@callcenter/shared';
import { ACCOUNT_ROLES, ProtocolError } from '@callcenter/shared';
import type { LoginThrottle } from '../live/loginThrottle';
import type { Sessions } from '../live/sessions';
import { accountToUser, type AccountsRepository } from '../store/accounts';
import type { AccountDoc } from '../store/documents';
import { LoginThrottledError } from './loginThrottledError';
import { PasswordCheckGate } from './passwordCheckGate';
import { dummyPasswordHash, verifyPassword } from '../passwords';

/** The session was logged out, revoked or has expired: the socket is told and closed. */
export class SessionEndedError extends ProtocolError {
  constructor() {
    super('unauthorized', 'This session has ended; log in again.');
  }
}

/** Who a verified token speaks for. */
export interface SessionIdentity {
  role: AccountRole;
  userId: string;
  sessionId: string;
  displayName: string;
  /** Expiry, epoch seconds. */
  expiresAt: number;
}

export interface AuthOptions {
  jwtSecret: string;
  tokenTtlSeconds: number;
  /**
   * `maxFailures` failed logins per account and address are free within the window; the
   * account (from anywhere) gets twice that, an address (at any account) four times.
   */
  loginThrottle: { maxFailures: number; windowSeconds: number; atOncePerAddress: number };
}

function isAccountRole(value: unknown): value is AccountRole {
  return (ACCOUNT_ROLES as readonly unknown[]).includes(value);
}

/** A chat party's identity: an agent's or a customer's, never a supervisor's. */
export type PartyIdentity = SessionIdentity & { role: Role };

/** A supervisor's identity (the console at /supervisor/). */
export type SupervisorIdentity = SessionIdentity & { role: 'supervisor' };

/** A check due within this long is held until then; a later one is refused with Retry-After. */
const MAX_HELD_WAIT_MS = 2_000;
/** How long a successful login marks its address as one that account uses. */
const KNOWN_ADDRESS_SECONDS = 30 * 24 * 3600;

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * R1: credentials in, a short-lived signed token out. A token is honoured only while its
 * session exists in Redis, so logout and account disabling take effect at once on every node.
 */
export class AuthService {
  /**
   * The token key, imported into WebCrypto once: given raw bytes, jose imports them again on
   * every call, which doubled the CPU of each token check (about 130 µs against 65 µs), paid
   * by every handshake of a reconnect storm.
   */
  private readonly key: Promise<webcrypto.CryptoKey>;
  private readonly passwordChecks: PasswordCheckGate;

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly sessions: Sessions,
    private readonly loginThrottle: LoginThrottle,
    private readonly options: AuthOptions,
  ) {
    this.key = webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(options.jwtSecret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    this.passwordChecks = new PasswordCheckGate({
      // Two cores: two hashes at once leave the other libuv threads to files and DNS.
      running: 2,
      admitted: 1_000,
      perAddress: options.loginThrottle.atOncePerAddress,
    });
  }

  async login(request: LoginRequest, clientAddress: string): Promise<LoginResponse> {
    const login = request.login.toLowerCase();
    const admission = this.passwordChecks.admit(clientAddress);
    try {
      const account = await this.checkPassword(request, login, clientAddress, admission.run);
      if (account.disabled) {
        throw new ProtocolError('account_disabled', 'This account is disabled.');
      }
      return await this.openSession(request.role, account);
    } finally {
      admission.leave();
    }
  }

  /**
   * Counts the attempt first (atomically, in Redis), then checks the password; known and
   * unknown logins take the same path and the same time (a dummy hash for unknown ones).
   */
  private async checkPassword(
    request: LoginRequest,
    login: string,
    clientAddress: string,
    inTurn: <T>(work: () => Promise<T>) => Promise<T>,
  ): Promise<AccountDoc> {
    const { maxFailures, windowSeconds } = this.options.loginThrottle;
    const account = `${request.role}:${login}`;
    const pairKey = `pair:${account}@${clientAddress}`;
    const accountKey = `account:${account}`;
    const addressKey = `address:${clientAddress}`;
    const knownKey = `${account}@${clientAddress}`;
    const pair = { key: pairKey, free: maxFailures, gatesKnown: true, countsAhead: true };
    const anywhere = {
      key: accountKey,
      free: maxFailures * 2,
      gatesKnown: false,
      countsAhead: true,
    };
    // An address's simultaneous logins are mostly good ones (a shift starting behind one NAT):
    // its failures count after the check, and how many it has at once is bounded per node.
    const address = {
      key: addressKey,
      free: maxFailures * 4,
      gatesKnown: false,
      countsAhead: false,
    };
    const reservation = await this.loginThrottle.reserveAttempt({
      nowMs: Date.now(),
      windowSeconds,
      maxWaitMs: MAX_HELD_WAIT_MS,
      knownKey,
      throttles: [pair, anywhere, address],
    });
    if (!reservation.ok) {
      throw new LoginThrottledError(Math.ceil(reservation.retryAfterMs / 1000));
    }
    if (reservation.waitMs > 0) await sleep(reservation.waitMs);

    const { found, valid } = await inTurn(async () => {
      const stored = await this.accounts.findForLogin(request.role, login);
      const matches = await verifyPassword(
        request.password,
        stored?.passwordHash ?? (await dummyPasswordHash()),
      );
      return { found: stored, valid: matches };
    });
    // From a known address the account's key neither gated nor counted this attempt ahead.
    const countedAhead = reservation.known ? [] : [accountKey];
    if (!found || !valid) {
      await this.loginThrottle.recordFailure({
        nowMs: Date.now(),
        windowSeconds,
        keys: reservation.known ? [accountKey, addressKey] : [addressKey],
      });
      throw new ProtocolError('invalid_credentials', 'Wrong login or password.');
    }
    await this.loginThrottle.recordSuccess({
      knownKey,
      knownSeconds: KNOWN_ADDRESS_SECONDS,
      pairKey,
      otherKeys: countedAhead,
    });
    return found;
  }

  private async openSession(role: AccountRole, account: AccountDoc): Promise<LoginResponse> {
    const sessionId = randomUUID();
    const expiresAt = Math.floor(Date.now() / 1000) + this.options.tokenTtlSeconds;
    await this.sessions.create(sessionId, `${role}:${account._id}`, this.options.tokenTtlSeconds);
    const token = await new SignJWT({
      role,
      sid: sessionId,
      name: account.displayName,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(account._id)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(await this.key);
    const user = accountToUser(role, account);
    return { token, expiresAt: new Date(expiresAt * 1000).toISOString(), user };
  }

  /** Verifies signature, expiry and that the session was not revoked. */
  async verify(token: unknown): Promise<SessionIdentity> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new ProtocolError('unauthorized', 'A token is required.');
    }
    let identity: SessionIdentity;
    try {
      const { payload } = await jwtVerify(token, await this.key, { algorithms: ['HS256'] });
      const { sub, role, sid, name, exp } = payload;
      if (
        typeof sub !== 'string' ||
        !isAccountRole(role) ||
        typeof sid !== 'string' ||
        typeof name !== 'string' ||
        typeof exp !== 'number'
      ) {
        throw new ProtocolError('unauthorized', 'Malformed token.');
      }
      identity = { role, userId: sub, sessionId: sid, displayName: name, expiresAt: exp };
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      if (error instanceof joseErrors.JOSEError) {
        throw new ProtocolError('unauthorized', 'Invalid or expired token.');
      }
      throw error;
    }
    // The claims must be the session's own: a token re-signed with another role or user
    // (which needs the secret) still finds the session it names belongs to someone else.
    const owner = await this.sessions.owner(identity.sessionId);
    if (owner === null) throw new SessionEndedError();
    if (owner !== `${identity.role}:${identity.userId}`) {
      throw new ProtocolError('unauthorized', 'This token does not match its session.');
    }
    return identity;
  }

  /** Not expired yet? Checked on every socket event, with no round trip. */
  notExpired(identity: SessionIdentity): boolean {
    return identity.expiresAt * 1000 > Date.now();
  }

  /** Still valid now (expiry and revocation)? Socket events marked `checked-first` ask this. */
  async stillValid(identity: SessionIdentity): Promise<boolean> {
    if (!this.notExpired(identity)) return false;
    return this.sessions.exists(identity.sessionId);
  }

  async logout(identity: SessionIdentity): Promise<void> {
    await this.sessions.revoke(identity.sessionId);
  }
}
