import { ProtocolError, errorBodySchema, pushKeyAnswerSchema } from '@callcenter/shared';
import type { PushKeyAnswer, PushSubscriptionInput } from '@callcenter/shared';
import { HTTP_TIMEOUT_MS } from './authApi';

// A customer's devices and Web Push (docs/protocol.md 3.9): the server's key, and subscribing
// or unsubscribing a device. Every call carries the session's token.

async function pushRequest(
  serverUrl: string,
  token: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${serverUrl}/api/push/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
  } catch {
    throw new ProtocolError('unavailable', 'The server cannot be reached.');
  }
  if (response.ok) return response;
  const answer: unknown = await response.json().catch(() => null);
  const error =
    typeof answer === 'object' && answer !== null && 'error' in answer
      ? errorBodySchema.safeParse(answer.error)
      : undefined;
  if (error?.success) throw new ProtocolError(error.data.code, error.data.message);
  throw new ProtocolError(
    response.status >= 500 ? 'unavailable' : 'internal',
    `The server answered HTTP ${response.status}.`,
  );
}

/** `GET /api/push/key`: the key to subscribe with, or why the server sends no pushes. */
export async function fetchPushKey(serverUrl: string, token: string): Promise<PushKeyAnswer> {
  const response = await pushRequest(serverUrl, token, 'GET', 'key');
  const parsed = pushKeyAnswerSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new ProtocolError('internal', 'The server sent an unexpected answer.');
  return parsed.data;
}

/** `POST /api/push/subscriptions`: this device gets pushes for the signed-in customer. */
export async function postPushSubscription(
  serverUrl: string,
  token: string,
  subscription: PushSubscriptionInput,
): Promise<void> {
  await pushRequest(serverUrl, token, 'POST', 'subscriptions', subscription);
}

/** `DELETE /api/push/subscriptions`: this device (`endpoint`) or all of them stop getting pushes. */
export async function deletePushSubscription(
  serverUrl: string,
  token: string,
  endpoint?: string,
): Promise<void> {
  await pushRequest(
    serverUrl,
    token,
    'DELETE',
    'subscriptions',
    endpoint === undefined ? {} : { endpoint },
  );
}
