import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import type { AuditLogRepository } from '../store/auditLog';
import type { RetentionReport } from '../store/documents';
import type { RetentionRepository } from '../store/retention';

/** The Redis key one node holds while it runs retention. */
export const RETENTION_LOCK_KEY = 'lock:retention';
/** How long an upload never sent in a message is kept (for its uploader's retries). */
export const UNSENT_ATTACHMENT_KEPT_MS = 24 * 3600_000;

/** How long the lock lasts unless renewed: a node that dies mid-run frees it by then. */
const LOCK_TTL_MS = 60_000;

// Deletes the lock only if it is still this run's (it may have expired and been taken since).
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;
const RENEW_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;

export const RETENTION_ACTOR = { id: 'system', login: 'system', displayName: 'Retention job' };

export type RetentionOutcome =
  { ran: true; report: RetentionReport } | { ran: false; reason: 'off' | 'busy'; message: string };

/**
 * Removes ended conversations older than the admins' setting, and their messages. Every node
 * checks on a timer; a Redis lock (SET NX PX) lets one run at a time. Each run is reported in
 * the log, on the setting (lastRun) and in the audit log.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly store: RetentionRepository,
    private readonly auditLog: AuditLogRepository,
    private readonly log: Logger,
  ) {}

  /** Checks every `checkSeconds` (the first check one interval after start). */
  start(checkSeconds: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.run()
        .catch((error: unknown) => {
          this.log.error({ err: error }, 'the retention run failed');
        })
        .finally(() => {
          this.running = undefined;
        });
    }, checkSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One run now, unless retention is off or another node is running it. */
  async run(now = new Date()): Promise<RetentionOutcome> {
    // Uploads nobody sent go after a day whatever the setting: they are no one's history. Every
    // node may do it at once (removing the same twice removes nothing).
    const unsent = await this.store.removeUnsentAttachmentsBefore(
      new Date(now.getTime() - UNSENT_ATTACHMENT_KEPT_MS),
    );
    if (unsent > 0) this.log.info({ unsent }, 'removed attachments that were never sent');
    const { days } = await this.store.settings();
    if (days === null) {
      return { ran: false, reason: 'off', message: 'Retention is off: conversations are kept.' };
    }
    const token = randomUUID();
    const taken = await this.redis.set(RETENTION_LOCK_KEY, token, 'PX', LOCK_TTL_MS, 'NX');
    if (taken !== 'OK') {
      return {
        ran: false,
        reason: 'busy',
        message: 'Another server node is running retention now; try again shortly.',
      };
    }
    const renew = setInterval(() => {
      this.redis.eval(RENEW_SCRIPT, 1, RETENTION_LOCK_KEY, token, LOCK_TTL_MS).catch(() => {
        // The run goes on; at worst another node starts one too, which removes the same.
      });
    }, LOCK_TTL_MS / 3);
    try {
      const cutoff = new Date(now.getTime() - days * 86_400_000);
      const removed = await this.store.removeEndedBefore(cutoff);
      const report: RetentionReport = { at: new Date(), cutoff, ...removed };
      this.log.info({ ...removed, cutoff, days }, 'retention removed old conversations');
      await this.store.recordRun(report);
      await this.auditLog.record({
        actor: RETENTION_ACTOR,
        action: 'retention.run',
        target: { kind: 'retention', id: 'retention', label: `Older than ${days} days` },
        before: null,
        after: { ...removed, cutoff: cutoff.toISOString() },
      });
      return { ran: true, report };
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE_SCRIPT, 1, RETENTION_LOCK_KEY, token).catch(() => undefined);
    }
  }
}
