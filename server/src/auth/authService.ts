import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { LoginRequest, LoginResponse, Role } from '@callcenter/shared';
import { ProtocolError } from '@callcenter/shared';
import type { LiveState } from '../live/liveState';
import { agentToUser, customerToUser, type AccountsRepository } from '../store/accounts';
import type { CustomerDoc } from '../store/mongo';
import { dummyPasswordHash, verifyPassword } from './passwords';

/** The session was logged out, revoked or has expired: the socket is told and closed. */
export class SessionEndedError extends ProtocolError {
  constructor() {
    super('unauthorized', 'This session has ended; log in again.');
  }
}

/** Who a verified token speaks for. */
export interface SessionIdentity {
  role: Role;
  userId: string;
  sessionId: string;
  displayName: string;
  /** Expiry, epoch seconds. */
  expiresAt: number;
}

export interface AuthOptions {
  jwtSecret: string;
  tokenTtlSeconds: number;
  loginThrottle: { maxFailures: number; windowSeconds: number };
}

/**
 * R1: credentials in, a short-lived signed token out. A token is honoured only while its
 * session exists in Redis, so logout and account disabling take effect at once on every node.
 */
export class AuthService {
  private readonly key: Uint8Array;

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly live: LiveState,
    private readonly options: AuthOptions,
  ) {
    this.key = new TextEncoder().encode(options.jwtSecret);
  }

  async login(request: LoginRequest, clientAddress: string): Promise<LoginResponse> {
    // Throttled per account and per address, so neither guessing one password nor spraying
    // many accounts from one place gets far.
    const accountKey = `login:${request.role}:${request.login.toLowerCase()}`;
    const addressKey = `ip:${clientAddress}`;
    const throttleKeys = [accountKey, addressKey];
    const [accountFailures, addressFailures] = await Promise.all([
      this.live.loginFailures(accountKey),
      this.live.loginFailures(addressKey),
    ]);
    const { maxFailures, windowSeconds } = this.options.loginThrottle;
    if (accountFailures >= maxFailures || addressFailures >= maxFailures * 4) {
      throw new ProtocolError('rate_limited', 'Too many failed logins; try again later.');
    }
    const account = await this.accounts.findForLogin(request.role, request.login.toLowerCase());
    const valid = await verifyPassword(
      request.password,
      account?.passwordHash ?? (await dummyPasswordHash()),
    );
    if (!account || !valid) {
      await Promise.all(throttleKeys.map((k) => this.live.countLoginFailure(k, windowSeconds)));
      throw new ProtocolError('invalid_credentials', 'Wrong login or password.');
    }
    if (account.disabled) {
      throw new ProtocolError('account_disabled', 'This account is disabled.');
    }
    await this.live.clearLoginFailures(accountKey);

    const sessionId = randomUUID();
    const expiresAt = Math.floor(Date.now() / 1000) + this.options.tokenTtlSeconds;
    await this.live.createSession(
      sessionId,
      `${request.role}:${account._id}`,
      this.options.tokenTtlSeconds,
    );
    const token = await new SignJWT({
      role: request.role,
      sid: sessionId,
      name: account.displayName,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(account._id)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(this.key);
    const user =
      request.role === 'agent' ? agentToUser(account) : customerToUser(account as CustomerDoc);
    return { token, expiresAt: new Date(expiresAt * 1000).toISOString(), user };
  }

  /** Verifies signature, expiry and that the session was not revoked. */
  async verify(token: unknown): Promise<SessionIdentity> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new ProtocolError('unauthorized', 'A token is required.');
    }
    let identity: SessionIdentity;
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      const { sub, role, sid, name, exp } = payload;
      if (
        typeof sub !== 'string' ||
        (role !== 'agent' && role !== 'customer') ||
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
    if (!(await this.live.sessionExists(identity.sessionId))) throw new SessionEndedError();
    return identity;
  }

  /** Not expired yet? Checked on every socket event, with no round trip. */
  notExpired(identity: SessionIdentity): boolean {
    return identity.expiresAt * 1000 > Date.now();
  }

  /** Still valid now? Checked on every socket event (expiry and revocation). */
  async stillValid(identity: SessionIdentity): Promise<boolean> {
    if (!this.notExpired(identity)) return false;
    return this.live.sessionExists(identity.sessionId);
  }

  async logout(identity: SessionIdentity): Promise<void> {
    await this.live.revokeSession(identity.sessionId);
  }
}
