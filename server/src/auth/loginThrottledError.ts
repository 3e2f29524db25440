import { ProtocolError } from '@callcenter/shared';

/** A login refused for now; `retryAfterSeconds` says when to try again. */
export class LoginThrottledError extends ProtocolError {
  constructor(
    readonly retryAfterSeconds: number,
    message = `Too many failed logins; try again in ${formatWait(retryAfterSeconds)}.`,
  ) {
    super('rate_limited', message);
  }
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
