import { ProtocolError, errorBodySchema, loginResponseSchema } from '@callcenter/shared';
import type { LoginRequest, LoginResponse } from '@callcenter/shared';

const unreachable = (): ProtocolError =>
  new ProtocolError('unavailable', "Can't reach the server. Check your connection and try again.");

async function errorFrom(response: Response): Promise<ProtocolError> {
  const body: unknown = await response.json().catch(() => null);
  const parsed =
    typeof body === 'object' && body !== null && 'error' in body
      ? errorBodySchema.safeParse(body.error)
      : undefined;
  if (parsed?.success) return new ProtocolError(parsed.data.code, parsed.data.message);
  return response.status >= 500
    ? unreachable()
    : new ProtocolError('internal', `The server answered ${response.status}.`);
}

/** `POST /api/auth/login` and `/logout`; rejects with a `ProtocolError` carrying the code. */
export class AuthApi {
  constructor(private readonly serverUrl: string) {}

  async login(request: LoginRequest): Promise<LoginResponse> {
    const response = await fetch(`${this.serverUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    }).catch(() => {
      throw unreachable();
    });
    if (!response.ok) throw await errorFrom(response);
    const parsed = loginResponseSchema.safeParse(await response.json());
    if (!parsed.success)
      throw new ProtocolError('internal', 'The server sent an unexpected answer.');
    return parsed.data;
  }

  async logout(token: string): Promise<void> {
    const response = await fetch(`${this.serverUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    }).catch(() => {
      throw unreachable();
    });
    // 401: the session had already ended, which is what logging out wants.
    if (!response.ok && response.status !== 401) throw await errorFrom(response);
  }
}
