import type { AuthService } from '../auth/authService';
import type { ApiApp } from '../http/httpApp';
import { supervisorOf } from './supervisorAuth';
import { supervisorToUser, type AccountsRepository } from '../store/accounts';

/**
 * `/api/supervisor/...`: what the supervisor console reads over HTTP. Every route checks its
 * caller with `supervisorOf` first: agents and customers are refused `forbidden`.
 */
export function supervisorRoutes(deps: { auth: AuthService; accounts: AccountsRepository }) {
  return (app: ApiApp): void => {
    /** The signed-in supervisor as the account says now (its admin right may have changed). */
    app.get('/api/supervisor/me', async (request) => {
      const identity = await supervisorOf(request, deps.auth, deps.accounts, { admin: false });
      const account = await deps.accounts.findSupervisor(identity.userId);
      if (!account) throw new Error('a verified supervisor has no account');
      return { user: supervisorToUser(account) };
    });
  };
}
