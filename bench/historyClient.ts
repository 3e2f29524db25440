// What the history scenario's clients share, in the bench process and in its load generators.
import type { BenchAccount } from './loadgen';
import { delay } from './lib/work';

/** Socket.IO's reconnection delay as the apps set it: 500 ms doubling to 3 s, ±50 % jitter. */
export function backoffMs(attempt: number): number {
  return Math.min(3_000, 500 * 2 ** (attempt - 1)) * (0.5 + Math.random());
}

/**
 * Logs in over HTTP. A busy server (503 `unavailable`, 429 `rate_limited`) is asked again after
 * its Retry-After or a back-off, as the apps do, for up to `patienceMs`.
 */
export async function login(
  url: string,
  account: BenchAccount,
  patienceMs = 120_000,
): Promise<string> {
  const deadline = performance.now() + patienceMs;
  for (let attempt = 1; ; attempt += 1) {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account),
      signal: AbortSignal.timeout(60_000),
    }).catch((error: unknown) => {
      throw new Error(`login ${account.login}: no answer (${String(error)})`);
    });
    if (response.status === 200) return ((await response.json()) as { token: string }).token;
    const body = await response.text();
    const retryAfterMs = 1000 * Number(response.headers.get('retry-after') ?? 0);
    const wait = Math.max(retryAfterMs, backoffMs(attempt));
    if (
      (response.status !== 503 && response.status !== 429) ||
      performance.now() + wait > deadline
    ) {
      throw new Error(`login ${account.login}: HTTP ${response.status} ${body}`);
    }
    await delay(wait);
  }
}
