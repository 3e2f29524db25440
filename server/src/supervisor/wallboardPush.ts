import type { Logger } from '../logger';
import { WALLBOARD_CHANGED } from '../socket/channels';
import { rooms } from '../socket/rooms';
import type { ChatServer } from '../socket/types';
import type { Wallboard } from './wallboard';

/**
 * Sends the wallboard to supervisors live. Every node hears every queue, team and figures
 * change (the notifier's signals, WALLBOARD_CHANGED) and sends its own supervisors one
 * snapshot per `delayMs` at most, and none when it has no supervisor connected. The charts'
 * samples are taken by whichever node comes first in each interval and go to every node.
 */
export class WallboardPush {
  private timer: NodeJS.Timeout | undefined;
  private sampler: NodeJS.Timeout | undefined;
  private lastVersion = -1;
  private closed = false;

  constructor(
    private readonly io: ChatServer,
    private readonly wallboard: Wallboard,
    private readonly logger: Logger,
    private readonly delayMs = 1_000,
  ) {
    io.on(WALLBOARD_CHANGED, () => {
      this.changed();
    });
  }

  /** Something the wallboard shows changed here or on another node: refresh this node's. */
  changed(): void {
    if (this.closed || this.timer || !this.hasLocalSupervisors()) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sendLocal().catch((error: unknown) => {
        this.logger.error({ err: error }, 'wallboard snapshot failed');
      });
    }, this.delayMs);
  }

  /** A figure of the day changed (a rating): every node refreshes. */
  changedEverywhere(): void {
    this.io.serverSideEmit(WALLBOARD_CHANGED);
    this.changed();
  }

  /** Samples the queue for the charts on every node's tick; one node per interval wins. */
  startSampling(): void {
    const tickMs = Math.max(250, (this.wallboard.options.sampleSeconds * 1000) / 4);
    this.sampler = setInterval(() => {
      this.wallboard
        .sampleIfDue()
        .then((sample) => {
          if (sample && !this.closed)
            this.io.to(rooms.supervisors).emit('wallboard.sample', sample);
        })
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, 'wallboard sample failed');
        });
    }, tickMs);
    this.sampler.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.sampler);
  }

  private hasLocalSupervisors(): boolean {
    return (this.io.of('/').adapter.rooms.get(rooms.supervisors)?.size ?? 0) > 0;
  }

  private async sendLocal(): Promise<void> {
    const snapshot = await this.wallboard.snapshot();
    if (this.closed || snapshot.version <= this.lastVersion) return;
    this.lastVersion = snapshot.version;
    this.io.local.to(rooms.supervisors).emit('wallboard.snapshot', snapshot);
  }
}
