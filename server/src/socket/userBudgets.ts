import { TokenBucket } from './rateLimiter';

export interface UserBudgetLimits {
  /** Sockets one user may hold open on this node. */
  socketsPerUser: number;
  /** Sockets one client address may hold open on this node (an office NAT has many users). */
  socketsPerAddress: number;
  /** Events per second, and the burst, shared by all of a user's sockets on this node. */
  eventsPerSecond: number;
  burst: number;
  /** Events of one user being handled at once; more wait their turn. */
  inFlightPerUser: number;
  /** Events of one user waiting; more are refused. */
  queuedPerUser: number;
  /** A waiting event older than this is dropped: its client has stopped waiting for the ack. */
  maxQueueWaitMs: number;
}

/** An event's work as the budget runs it. */
export interface BudgetedWork {
  run: () => Promise<void>;
  /** Tokens it takes from the user's event bucket (a full re-sync costs more than a send). */
  cost: number;
  /** Heavy work (a re-sync reads storage) runs one at a time per user. */
  heavy: boolean;
  /** False once the socket has gone: its work is dropped, not done. */
  stillWanted: () => boolean;
  dropped: () => void;
}

interface QueuedWork extends BudgetedWork {
  queuedAt: number;
}

interface UserBudget {
  sockets: number;
  bucket: TokenBucket;
  running: number;
  heavyRunning: boolean;
  queue: QueuedWork[];
}

/** Why a socket or an event was turned away. */
export type Refusal = 'user_sockets' | 'address_sockets' | 'user_rate' | 'user_queue';

/**
 * What one user (and one address) may cost this node: open sockets, events per second and work
 * in flight, over all of that user's sockets together. Per-socket limits alone let one
 * account open many sockets and multiply its share; here a flood from one account queues
 * behind itself and leaves every other user's latency alone.
 */
export class UserBudgets {
  private readonly users = new Map<string, UserBudget>();
  private readonly addresses = new Map<string, number>();

  constructor(private readonly limits: UserBudgetLimits) {}

  /** Counts a new socket of `userKey` from `address`; returns a release function, or why not. */
  openSocket(userKey: string, address: string): (() => void) | Refusal {
    const budget = this.budget(userKey);
    const fromAddress = this.addresses.get(address) ?? 0;
    if (budget.sockets >= this.limits.socketsPerUser) {
      this.forgetIfIdle(userKey, budget);
      return 'user_sockets';
    }
    if (fromAddress >= this.limits.socketsPerAddress) {
      this.forgetIfIdle(userKey, budget);
      return 'address_sockets';
    }
    budget.sockets += 1;
    this.addresses.set(address, fromAddress + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      budget.sockets -= 1;
      const left = (this.addresses.get(address) ?? 1) - 1;
      if (left > 0) this.addresses.set(address, left);
      else this.addresses.delete(address);
      this.forgetIfIdle(userKey, budget);
    };
  }

  /**
   * Runs an event's work within the user's budget: at once, after the user's earlier events,
   * or not at all (the refusal says why; `dropped` is called if it waited past its time).
   */
  schedule(userKey: string, work: BudgetedWork): 'user_rate' | 'user_queue' | undefined {
    const budget = this.budget(userKey);
    if (!budget.bucket.tryTake(work.cost)) {
      this.forgetIfIdle(userKey, budget);
      return 'user_rate';
    }
    if (budget.queue.length === 0 && this.canStart(budget, work)) {
      this.start(userKey, budget, work);
      return undefined;
    }
    if (budget.queue.length >= this.limits.queuedPerUser) return 'user_queue';
    budget.queue.push({ ...work, queuedAt: Date.now() });
    return undefined;
  }

  private canStart(budget: UserBudget, work: BudgetedWork): boolean {
    return budget.running < this.limits.inFlightPerUser && !(work.heavy && budget.heavyRunning);
  }

  private start(userKey: string, budget: UserBudget, work: BudgetedWork): void {
    budget.running += 1;
    if (work.heavy) budget.heavyRunning = true;
    // The work answers its own errors (the event handler acks them); nothing is left to throw.
    void work
      .run()
      .catch(() => undefined)
      .finally(() => {
        budget.running -= 1;
        if (work.heavy) budget.heavyRunning = false;
        this.startWaiting(userKey, budget);
      });
  }

  /** Starts waiting work in arrival order, passing over heavy work while heavy work runs. */
  private startWaiting(userKey: string, budget: UserBudget): void {
    const now = Date.now();
    for (let i = 0; i < budget.queue.length && budget.running < this.limits.inFlightPerUser;) {
      const next = budget.queue[i];
      if (!next) break;
      if (!next.stillWanted() || now - next.queuedAt > this.limits.maxQueueWaitMs) {
        budget.queue.splice(i, 1);
        next.dropped();
      } else if (this.canStart(budget, next)) {
        budget.queue.splice(i, 1);
        this.start(userKey, budget, next);
      } else {
        i += 1;
      }
    }
    this.forgetIfIdle(userKey, budget);
  }

  private budget(userKey: string): UserBudget {
    let budget = this.users.get(userKey);
    if (!budget) {
      budget = {
        sockets: 0,
        bucket: new TokenBucket(this.limits.eventsPerSecond, this.limits.burst),
        running: 0,
        heavyRunning: false,
        queue: [],
      };
      this.users.set(userKey, budget);
    }
    return budget;
  }

  /**
   * A user with no socket and no work here is forgotten. Its event bucket goes with it, so a
   * user could reconnect for a full burst; the socket cap and the handshake's cost bound that.
   */
  private forgetIfIdle(userKey: string, budget: UserBudget): void {
    if (budget.sockets === 0 && budget.running === 0 && budget.queue.length === 0) {
      this.users.delete(userKey);
    }
  }
}
