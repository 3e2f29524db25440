import { ProtocolError, errorBodySchema, loginResponseSchema } from '@callcenter/shared';
import type { LoginRequest, LoginResponse } from '@callcenter/shared';

/** How long a sign-in or sign-out waits for the server before it counts as unreachable. */
export const HTTP_TIMEOUT_MS = 15_000;

const unreachable = (): ProtocolError =>
  new ProtocolError('unavailable', 'The server cannot be reached.');

/** The server's `{ error }` body when it sent one; a 5xx without one is the server being out. */
async function errorFrom(response: Response): Promise<ProtocolError> {
  const body: unknown = await response.json().catch(() => null);
  const parsed =
    typeof body === 'object' && body !== null && 'error' in body
      ? errorBodySchema.safeParse(body.error)
      : undefined;
  if (parsed?.success) return new ProtocolError(parsed.data.code, parsed.data.message);
  return response.status >= 500
    ? unreachable()
    : new ProtocolError('internal', `The server answered HTTP ${response.status}.`);
}

async function post(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, {
      ...init,
      method: 'POST',
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
  } catch {
    throw unreachable();
  }
}

/** `POST /api/auth/login` (R1); rejects with a `ProtocolError` carrying the server's code. */
export async function postLogin(serverUrl: string, request: LoginRequest): Promise<LoginResponse> {
  const response = await post(`${serverUrl}/api/auth/login`, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (!response.ok) throw await errorFrom(response);
  const parsed = loginResponseSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new ProtocolError('internal', 'The server sent an unexpected answer.');
  return parsed.data;
}

/** `POST /api/auth/logout`; a token the server no longer knows counts as signed out. */
export async function postLogout(serverUrl: string, token: string): Promise<void> {
  const response = await post(`${serverUrl}/api/auth/logout`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok && response.status !== 401) throw await errorFrom(response);
}
