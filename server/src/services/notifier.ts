import type { AgentState, ChatMessage, QueueSnapshot, SessionRevoked } from '@callcenter/shared';
import { LIMITS } from '@callcenter/shared';
import type { SessionIdentity } from '../auth/authService';
import type { LiveState } from '../live/liveState';
import type { Logger } from '../logger';
import type { ChatServer } from '../socket/types';
import { QUEUE_CHANGED } from '../socket/channels';
import { rooms } from '../socket/rooms';
import type { Views } from './views';

/**
 * Pushes state to clients. Per-user events go through the Socket.IO adapter to every node;
 * queue changes are only signalled between nodes, and each node sends the snapshot and queue
 * positions to its own clients, coalesced, so a busy queue costs one Redis read per node per
 * tick instead of one per change per client.
 */
export class Notifier {
  private snapshotTimer: NodeJS.Timeout | undefined;
  private positionsTimer: NodeJS.Timeout | undefined;
  private lastSnapshot: QueueSnapshot | undefined;
  private closed = false;

  constructor(
    private readonly io: ChatServer,
    private readonly live: LiveState,
    private readonly views: Views,
    private readonly logger: Logger,
    // At most ten snapshots a second per node: each goes to every agent, and a busy queue
    // changes far more often than a person can read it. Positions at most once a second:
    // every take moves every queued customer, thousands of them on a busy day.
    private readonly timing = { snapshotDelayMs: 100, positionsDelayMs: 1000 },
  ) {
    io.on(QUEUE_CHANGED, () => {
      this.scheduleLocalQueueRefresh();
    });
  }

  queueChanged(): void {
    this.io.serverSideEmit(QUEUE_CHANGED);
    this.scheduleLocalQueueRefresh();
  }

  async customerChanged(customerId: string): Promise<void> {
    const state = await this.views.customerState(customerId);
    this.io.to(rooms.customer(customerId)).emit('customer.state', state);
  }

  async agentChanged(agentId: string, known?: AgentState): Promise<void> {
    const state = known ?? (await this.views.agentState(agentId));
    this.io.to(rooms.agent(agentId)).emit('agent.state', state);
  }

  /** R8/R9: every message goes to every online agent and to every session of its customer. */
  messageCreated(message: ChatMessage): void {
    this.io.to([rooms.agents, rooms.customer(message.customerId)]).emit('message.new', message);
  }

  /**
   * Tells and closes the sockets of one session, on every node: they are found among their
   * user's sockets (a room per session would cost every connection memory for a rare event).
   */
  async sessionRevoked(
    identity: Pick<SessionIdentity, 'role' | 'userId' | 'sessionId'>,
    reason: SessionRevoked['reason'],
  ): Promise<void> {
    const room =
      identity.role === 'agent' ? rooms.agent(identity.userId) : rooms.customer(identity.userId);
    const sockets = await this.io.in(room).fetchSockets();
    for (const socket of sockets) {
      if (socket.data.identity.sessionId !== identity.sessionId) continue;
      socket.emit('session.revoked', { reason });
      socket.disconnect(true);
    }
  }

  /** The current snapshot, read now (for a newly connected agent). */
  async queueSnapshot(): Promise<QueueSnapshot> {
    const snapshot = await this.live.queueSnapshot(LIMITS.snapshotEntries);
    if (!this.lastSnapshot || snapshot.version > this.lastSnapshot.version)
      this.lastSnapshot = snapshot;
    return snapshot;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.snapshotTimer);
    clearTimeout(this.positionsTimer);
  }

  private scheduleLocalQueueRefresh(): void {
    if (this.closed) return;
    this.snapshotTimer ??= setTimeout(() => {
      this.snapshotTimer = undefined;
      this.sendLocalSnapshot().catch((error: unknown) => {
        this.logger.error({ err: error }, 'queue snapshot failed');
      });
    }, this.timing.snapshotDelayMs);
    this.positionsTimer ??= setTimeout(() => {
      this.positionsTimer = undefined;
      this.sendLocalPositions().catch((error: unknown) => {
        this.logger.error({ err: error }, 'queue positions failed');
      });
    }, this.timing.positionsDelayMs);
  }

  private async sendLocalSnapshot(): Promise<void> {
    const snapshot = await this.queueSnapshot();
    this.io.local.to(rooms.agents).emit('queue.snapshot', snapshot);
  }

  /** R3: a queued customer sees its position move as the queue ahead of it changes. */
  private async sendLocalPositions(): Promise<void> {
    const sockets = await this.io.local.in(rooms.customers).fetchSockets();
    const ids = [...new Set(sockets.map((socket) => socket.data.identity.userId))];
    const states = await this.live.customerStates(ids);
    const byCustomer = new Map(states.map((state) => [state.customerId, state]));
    for (const socket of sockets) {
      const state = byCustomer.get(socket.data.identity.userId);
      if (!state || state.state !== 'requestSent') continue;
      if (socket.data.lastPosition === state.position) continue;
      socket.data.lastPosition = state.position;
      socket.emit('customer.state', this.views.customerStateFrom(state));
    }
  }
}
