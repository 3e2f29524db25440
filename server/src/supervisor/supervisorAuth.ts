import type { FastifyRequest } from 'fastify';
import { ProtocolError } from '@callcenter/shared';
import type { AuthService, SupervisorIdentity } from '../auth/authService';
import type { AccountsRepository } from '../store/accounts';

/**
 * The supervisor an HTTP request speaks for (its `Authorization: Bearer` token), or a refusal:
 * `unauthorized` without a valid session, `forbidden` for agents and customers, and for
 * supervisors without the admin right where `admin` is asked. The right is read from the
 * account on every request, so taking it away takes effect at once.
 */
export async function supervisorOf(
  request: FastifyRequest,
  auth: AuthService,
  accounts: AccountsRepository,
  need: { admin: boolean },
): Promise<SupervisorIdentity> {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  const identity = await auth.verify(token);
  if (identity.role !== 'supervisor') {
    throw new ProtocolError('forbidden', 'Only supervisors may use this.');
  }
  if (need.admin) {
    const account = await accounts.findSupervisor(identity.userId);
    if (!account || account.disabled || !account.admin) {
      throw new ProtocolError('forbidden', 'This needs the administration right.');
    }
  }
  return { ...identity, role: 'supervisor' };
}
