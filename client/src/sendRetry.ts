import type { ErrorCode } from '@callcenter/shared';

/**
 * Server trouble, not a refusal: the store or Redis was out (`unavailable`, also what a
 * time-out or a dropped link gives), the server failed (`internal`), or the sender is over its
 * budget (`rate_limited`). The same message, with the same client message id, may go again;
 * every other code is the server's answer to this message and a retry would get it again.
 */
const RETRYABLE_SEND_ERRORS: ReadonlySet<ErrorCode> = new Set([
  'unavailable',
  'internal',
  'rate_limited',
]);

export function isRetryableSendError(code: ErrorCode): boolean {
  return RETRYABLE_SEND_ERRORS.has(code);
}

/** How often, and how long apart, a client sends one message before giving up on it. */
export interface SendRetryPolicy {
  /** Tries in all, the first one included. */
  maxAttempts: number;
  /** The wait after try `attempt` (1-based) failed. */
  backoffMs: (attempt: number) => number;
}

/** A few tries, each waiting a second longer: for messages kept only in memory. */
export const SEND_RETRY: SendRetryPolicy = {
  maxAttempts: 5,
  backoffMs: (attempt) => 1_000 * attempt,
};

/**
 * What to do after try `attempt` of a send failed with `code`: the milliseconds to wait before
 * the next try, or `null` when the failure stands (a refusal, or the last try).
 */
export function sendRetryDelay(
  code: ErrorCode,
  attempt: number,
  policy: SendRetryPolicy = SEND_RETRY,
): number | null {
  if (!isRetryableSendError(code) || attempt >= policy.maxAttempts) return null;
  return policy.backoffMs(attempt);
}
