import type { FastifyRequest } from 'fastify';
import {
  ProtocolError,
  isLoopbackHttpEndpoint,
  pushSubscriptionSchema,
  pushUnsubscribeSchema,
  type PushKeyAnswer,
} from '@callcenter/shared';
import type { AuthService, SessionIdentity } from '../auth/authService';
import type { WebPushSettings } from '../config';
import type { ApiApp } from '../http/httpApp';
import type { PushSubscriptionsRepository } from '../store/pushSubscriptions';

/** Why `GET /api/push/key` answers `enabled: false`. */
export const PUSH_OFF_REASON =
  'Push notifications are off on this server: its administrator has not set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT.';

/** The customer an HTTP request speaks for (its Bearer token); agents and supervisors are refused. */
async function customerOf(request: FastifyRequest, auth: AuthService): Promise<SessionIdentity> {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  const identity = await auth.verify(token);
  if (identity.role !== 'customer') {
    throw new ProtocolError('forbidden', 'Only customers subscribe to push notifications.');
  }
  return identity;
}

function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .map((issue) => `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`)
    .join('; ');
}

/**
 * `/api/push/...`: a customer's devices subscribe to Web Push and unsubscribe (docs/protocol.md
 * 3.9). With push off, the key says so and subscribing is refused `not_found`.
 */
export function pushRoutes(deps: {
  auth: AuthService;
  subscriptions: PushSubscriptionsRepository;
  settings: WebPushSettings;
}) {
  const { vapid } = deps.settings;
  const refuseWhenOff = (): void => {
    if (vapid === null) throw new ProtocolError('not_found', PUSH_OFF_REASON);
  };
  return (app: ApiApp): void => {
    app.get('/api/push/key', async (request): Promise<PushKeyAnswer> => {
      await customerOf(request, deps.auth);
      return vapid === null
        ? { enabled: false, reason: PUSH_OFF_REASON }
        : { enabled: true, publicKey: vapid.publicKey };
    });

    app.post('/api/push/subscriptions', async (request, reply) => {
      const customer = await customerOf(request, deps.auth);
      refuseWhenOff();
      const parsed = pushSubscriptionSchema.safeParse(request.body);
      if (!parsed.success) {
        throw new ProtocolError('invalid_payload', issuesOf(parsed.error));
      }
      // A customer could otherwise have this server post to services on its own machine.
      if (isLoopbackHttpEndpoint(parsed.data.endpoint) && !deps.settings.loopbackEndpoints) {
        throw new ProtocolError('invalid_payload', 'endpoint: a push endpoint is an https URL');
      }
      await deps.subscriptions.save(
        { customerId: customer.userId, sessionId: customer.sessionId },
        parsed.data,
      );
      return reply.status(204).send();
    });

    app.delete('/api/push/subscriptions', async (request, reply) => {
      const customer = await customerOf(request, deps.auth);
      const parsed = pushUnsubscribeSchema.safeParse(request.body ?? {});
      if (!parsed.success) {
        throw new ProtocolError('invalid_payload', issuesOf(parsed.error));
      }
      await deps.subscriptions.remove(customer.userId, parsed.data.endpoint);
      return reply.status(204).send();
    });
  };
}
