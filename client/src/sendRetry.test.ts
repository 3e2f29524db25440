import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@callcenter/shared';
import { OUTBOX_RETRY } from './outbox';
import { SEND_RETRY, isRetryableSendError, sendRetryDelay } from './sendRetry';

describe('send retry', () => {
  it('retries server trouble only, never a refusal', () => {
    const retried = ERROR_CODES.filter((code) => isRetryableSendError(code));
    expect(retried).toEqual(['rate_limited', 'unavailable', 'internal']);
    expect(sendRetryDelay('assigned_to_other', 1)).toBeNull();
    expect(sendRetryDelay('not_in_chat', 1)).toBeNull();
  });

  it('waits a second longer after each try, and gives up after the last', () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) => sendRetryDelay('unavailable', attempt));
    expect(delays).toEqual([1_000, 2_000, 3_000, 4_000, null]);
    expect(SEND_RETRY.maxAttempts).toBe(5);
  });

  it('keeps trying an outbox message at a steady pace', () => {
    expect(sendRetryDelay('internal', 1_000, OUTBOX_RETRY)).toBe(1_500);
  });
});
