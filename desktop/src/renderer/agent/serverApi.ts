import { ProtocolError, errorBodySchema, loginResponseSchema } from '@callcenter/shared';
import type { LoginRequest, LoginResponse } from '@callcenter/shared';

const HTTP_TIMEOUT_MS = 15_000;

function unreachable(): ProtocolError {
  return new ProtocolError('unavailable', 'The server cannot be reached.');
}

async function readError(response: Response): Promise<ProtocolError> {
  const body: unknown = await response.json().catch(() => null);
  const parsed =
    typeof body === 'object' && body !== null && 'error' in body
      ? errorBodySchema.safeParse(body.error)
      : null;
  if (parsed?.success) return new ProtocolError(parsed.data.code, parsed.data.message);
  return new ProtocolError(
    response.status >= 500 ? 'unavailable' : 'internal',
    `HTTP ${response.status}`,
  );
}

/** `POST /api/auth/login` (R1); rejects with a `ProtocolError` carrying the server's code. */
export async function login(serverUrl: string, request: LoginRequest): Promise<LoginResponse> {
  let response: Response;
  try {
    response = await fetch(`${serverUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
  } catch {
    throw unreachable();
  }
  if (!response.ok) throw await readError(response);
  return loginResponseSchema.parse(await response.json());
}

/** `POST /api/auth/logout`; a token the server no longer knows counts as logged out. */
export async function logout(serverUrl: string, token: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${serverUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
  } catch {
    throw unreachable();
  }
  if (response.ok || response.status === 401) return;
  throw await readError(response);
}
