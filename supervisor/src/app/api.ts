import { ProtocolError, errorBodySchema } from '@callcenter/shared';
import { serverUrl, useSession } from './session';

/** How long an HTTP request of the console waits before it counts as unreachable. */
const TIMEOUT_MS = 30_000;

async function errorFrom(response: Response): Promise<ProtocolError> {
  const body: unknown = await response.json().catch(() => null);
  const parsed =
    typeof body === 'object' && body !== null && 'error' in body
      ? errorBodySchema.safeParse(body.error)
      : undefined;
  if (parsed?.success) return new ProtocolError(parsed.data.code, parsed.data.message);
  return new ProtocolError(
    response.status >= 500 ? 'unavailable' : 'internal',
    `The server answered HTTP ${response.status}.`,
  );
}

/**
 * A request to the supervisor API (`/api/supervisor/...`) with the session's token. A refused
 * session (401) signs the console out; other refusals reject with the server's code and words.
 */
export async function api(
  path: string,
  init: {
    method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    body?: unknown;
    /** Longer than the usual for a download that may take minutes (it covers the body). */
    timeoutMs?: number;
  } = {},
): Promise<Response> {
  const session = useSession.getState().session;
  if (!session) throw new ProtocolError('unauthorized', 'Sign in first.');
  let response: Response;
  try {
    response = await fetch(`${serverUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${session.token}`,
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(init.timeoutMs ?? TIMEOUT_MS),
    });
  } catch {
    throw new ProtocolError('unavailable', 'The server cannot be reached.');
  }
  if (response.status === 401) {
    useSession.getState().ended('Your session has ended; sign in again.');
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** A JSON answer of the supervisor API. */
export async function apiJson<T>(path: string, init?: Parameters<typeof api>[1]): Promise<T> {
  return (await (await api(path, init)).json()) as T;
}

/** Words for an error of the API or the socket, for the screen. */
export function errorText(error: unknown): string {
  if (error instanceof ProtocolError) return error.message;
  return 'Something went wrong; try again.';
}
