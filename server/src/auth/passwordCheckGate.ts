import { ProtocolError } from '@callcenter/shared';
import { LoginThrottledError } from './loginThrottledError';

export interface PasswordCheckLimits {
  /** Checks hashing at once (each takes a libuv thread and 32 MiB for ~100 ms). */
  running: number;
  /** Checks admitted to wait for a free slot, over all addresses. */
  waiting: number;
  /** Checks from one client address admitted at once, running or waiting. */
  perAddress: number;
}

/**
 * Bounds the password hashing one node does. Unbounded, a burst of guesses queued every check
 * behind the others (a real login took 11 s during 300 simultaneous guesses). One address gets
 * a few places; the rest of its burst is refused at once, before any work, so logins from
 * everywhere else keep their usual latency.
 */
export class PasswordCheckGate {
  private running = 0;
  private admitted = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly admittedByAddress = new Map<string, number>();

  constructor(private readonly limits: PasswordCheckLimits) {}

  /** Admits a check from `address` or refuses it at once; call the returned function when done. */
  admit(address: string): () => void {
    const fromAddress = this.admittedByAddress.get(address) ?? 0;
    if (fromAddress >= this.limits.perAddress) {
      throw new LoginThrottledError(
        1,
        'Too many logins at once from this address; try again in a moment.',
      );
    }
    if (this.admitted >= this.limits.running + this.limits.waiting) {
      throw new ProtocolError('unavailable', 'The server is busy with logins; try again shortly.');
    }
    this.admitted += 1;
    this.admittedByAddress.set(address, fromAddress + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.admitted -= 1;
      const remaining = (this.admittedByAddress.get(address) ?? 1) - 1;
      if (remaining > 0) this.admittedByAddress.set(address, remaining);
      else this.admittedByAddress.delete(address);
    };
  }

  /** Runs `work` once a slot is free, in arrival order. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.limits.running) this.running += 1;
    // A finishing check hands its slot straight to the next waiter (running stays counted).
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
