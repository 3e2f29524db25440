import type { Presence } from '../live/presence';
import type { Logger } from '../logger';
import type { ChatService } from './chatService';
import type { MessagingService } from './messagingService';
import type { Broadcaster } from './broadcaster';

export interface PresenceTiming {
  heartbeatMs: number;
  deadAfterMs: number;
  /** How long a call waits for a device whose connection went away. */
  callReconnectGraceMs: number;
}

/**
 * R7/R11 housekeeping, run on every node (the scripts are idempotent): heartbeats this node,
 * drops the connections of nodes that stopped heartbeating (their calls wait for them), withdraws the requests of
 * customers offline past the grace period, and settles messages whose writers died.
 */
export class PresenceKeeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly nodeId: string,
    private readonly presence: Presence,
    private readonly chat: ChatService,
    private readonly messaging: Pick<MessagingService, 'settleAbandoned'>,
    private readonly broadcaster: Broadcaster,
    private readonly logger: Logger,
    private readonly timing: PresenceTiming,
    private readonly offlineGraceSeconds: number,
    private readonly idleClose: { warningSeconds: number; closeSeconds: number },
  ) {}

  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => {
      // A tick slower than the interval (Redis stuck until the command timeout) is not joined
      // by another: they would pile up for as long as Redis is away.
      if (this.running) return;
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    }, this.timing.heartbeatMs);
  }

  /** Stops the timer and drops this node's own connections from presence. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    try {
      const now = Date.now();
      const { queueChanged } = await this.presence.reapNode(
        this.nodeId,
        now,
        now + this.timing.callReconnectGraceMs,
      );
      if (queueChanged) this.broadcaster.queueChanged();
    } catch (error) {
      // Shutting down goes on (stores closed, process ends); the other nodes' reaper drops
      // this node's connections once its heartbeat stops.
      this.logger.warn({ err: error }, "leaving presence failed; another node's reaper will");
    }
  }

  private async tick(): Promise<void> {
    try {
      const now = Date.now();
      await this.presence.heartbeat(this.nodeId, now);
      for (const deadNode of await this.presence.deadNodes(now - this.timing.deadAfterMs)) {
        if (deadNode === this.nodeId) continue;
        const { dropped, queueChanged } = await this.presence.reapNode(
          deadNode,
          now,
          now + this.timing.callReconnectGraceMs,
        );
        if (queueChanged) this.broadcaster.queueChanged();
        if (dropped > 0) this.broadcaster.teamChanged();
        this.logger.warn({ deadNode, dropped }, 'dropped the connections of a dead node');
      }
      await this.chat.expireOfflineRequests(this.offlineGraceSeconds);
      await this.chat.sweepIdle(this.idleClose);
      await this.messaging.settleAbandoned();
    } catch (error) {
      this.logger.error({ err: error }, 'presence housekeeping failed');
    }
  }
}
