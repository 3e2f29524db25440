import { ProtocolError } from '@callcenter/shared';
import { LoginThrottledError } from './loginThrottledError';

export interface PasswordCheckLimits {
  /** Checks hashing at once (each takes a libuv thread and 32 MiB for ~100 ms). */
  running: number;
  /** Checks admitted (running or waiting) over all addresses. */
  admitted: number;
  /** Checks admitted from one client address (an office NAT logs a shift in at once). */
  perAddress: number;
}

/**
 * Bounds and shares out the password hashing one node does. Unbounded, a burst of guesses
 * queued every check behind the others (a real login took 11 s during 300 simultaneous
 * guesses). Waiting checks are served one address at a time in turn, so a burst from one
 * address waits behind itself and logins from everywhere else keep their usual latency.
 */
export class PasswordCheckGate {
  private running = 0;
  private admitted = 0;
  private readonly admittedByAddress = new Map<string, number>();
  /** Waiting checks per address, in the order the addresses first queued. */
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly limits: PasswordCheckLimits) {}

  /**
   * Admits a check from `address` or refuses it at once. `run` runs the check when its turn
   * comes; `leave` must be called when the login is done either way.
   */
  admit(address: string): { run: <T>(work: () => Promise<T>) => Promise<T>; leave: () => void } {
    const fromAddress = this.admittedByAddress.get(address) ?? 0;
    if (fromAddress >= this.limits.perAddress) {
      throw new LoginThrottledError(
        1,
        'Too many logins at once from this address; try again in a moment.',
      );
    }
    if (this.admitted >= this.limits.admitted) {
      throw new ProtocolError('unavailable', 'The server is busy with logins; try again shortly.');
    }
    this.admitted += 1;
    this.admittedByAddress.set(address, fromAddress + 1);
    let left = false;
    return {
      run: (work) => this.run(address, work),
      leave: () => {
        if (left) return;
        left = true;
        this.admitted -= 1;
        const remaining = (this.admittedByAddress.get(address) ?? 1) - 1;
        if (remaining > 0) this.admittedByAddress.set(address, remaining);
        else this.admittedByAddress.delete(address);
      },
    };
  }

  private async run<T>(address: string, work: () => Promise<T>): Promise<T> {
    if (this.running < this.limits.running) {
      this.running += 1;
    } else {
      // A finishing check hands its slot straight to the next waiter (running stays counted).
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(address);
        if (queue) queue.push(resolve);
        else this.waiting.set(address, [resolve]);
      });
    }
    try {
      return await work();
    } finally {
      this.handOver();
    }
  }

  /** Gives the slot to the first waiter of the next address in turn, which then goes last. */
  private handOver(): void {
    const next = this.waiting.entries().next();
    if (next.done) {
      this.running -= 1;
      return;
    }
    const [address, queue] = next.value;
    const wake = queue.shift();
    this.waiting.delete(address);
    if (queue.length > 0) this.waiting.set(address, queue);
    wake?.();
  }
}
