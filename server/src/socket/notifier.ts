import type {
  AgentState,
  CallSignalPush,
  CallState,
  ChatMessage,
  QueueSnapshot,
  ReadCursor,
  Role,
  SessionRevoked,
  TypingPush,
} from '@callcenter/shared';
import { LIMITS } from '@callcenter/shared';
import type { SessionIdentity } from '../auth/authService';
import type { ChatQueue } from '../live/chatQueue';
import type { Logger } from '../logger';
import { NO_COUNTS, type MessageCounts } from '../metrics/metrics';
import type { Broadcaster } from '../services/broadcaster';
import type { Views } from '../services/views';
import type { TeamRoster } from '../services/team';
import { QUEUE_CHANGED, TEAM_CHANGED } from './channels';
import { rooms } from './rooms';
import type { ChatServer } from './types';

/** Customers whose queue positions are read (one Redis script) and sent at a time. */
const POSITIONS_SLICE = 500;
/** How often a node checks whether the take rate moved (the estimated waits with it). */
const ESTIMATES_CHECK_MS = 30_000;

/**
 * Pushes state to clients. Per-user events go through the Socket.IO adapter to every node;
 * queue changes are only signalled between nodes, and each node sends the snapshot and queue
 * positions to its own clients, coalesced, so a busy queue costs one Redis read per node per
 * tick instead of one per change per client.
 */
export class Notifier implements Broadcaster {
  private snapshotTimer: NodeJS.Timeout | undefined;
  private teamTimer: NodeJS.Timeout | undefined;
  private lastTeamVersion = -1;
  private positionsTimer: NodeJS.Timeout | undefined;
  private positionsPass: Promise<void> | undefined;
  private positionsAgain = false;
  private lastSnapshot: QueueSnapshot | undefined;
  /** Estimates follow the take rate even while the queue stands still: checked this often. */
  private readonly estimatesTimer: NodeJS.Timeout;
  private lastTakes = -1;
  private closed = false;
  private readonly changeListeners: (() => void)[] = [];

  constructor(
    private readonly io: ChatServer,
    private readonly queue: ChatQueue,
    private readonly views: Views,
    private readonly team: TeamRoster,
    private readonly logger: Logger,
    // At most ten snapshots a second per node: each goes to every agent, and a busy queue
    // changes far more often than a person can read it. Positions at most once a second:
    // every take moves every queued customer, thousands of them on a busy day.
    private readonly timing = { snapshotDelayMs: 100, positionsDelayMs: 1000 },
    /** Deliveries and their latency, for the metrics. */
    private readonly deliveries: Pick<MessageCounts, 'messageDelivered'> = NO_COUNTS,
  ) {
    io.on(QUEUE_CHANGED, () => {
      this.scheduleLocalQueueRefresh();
    });
    io.on(TEAM_CHANGED, (agentId) => {
      this.localTeamChange(agentId);
    });
    this.estimatesTimer = setInterval(() => {
      this.refreshEstimates().catch((error: unknown) => {
        this.logger.error({ err: error }, 'refreshing wait estimates failed');
      });
    }, ESTIMATES_CHECK_MS);
    this.estimatesTimer.unref();
  }

  /**
   * Takes age out of the rate's window without any change of the queue: when the count moved,
   * this node's agents and queued customers get their estimates again.
   */
  private async refreshEstimates(): Promise<void> {
    const { takes } = await this.views.takeRate();
    if (takes === this.lastTakes || this.closed) return;
    this.lastTakes = takes;
    this.sendLocalQueueSoon();
  }

  /**
   * Calls `listener` whenever the queue or the team changed, on this node or another (the
   * wallboard follows both).
   */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  teamChanged(agentId?: string): void {
    this.io.serverSideEmit(TEAM_CHANGED, agentId);
    this.localTeamChange(agentId);
  }

  private localTeamChange(agentId: string | undefined): void {
    if (agentId === undefined) {
      this.scheduleLocalTeamRefresh();
      return;
    }
    this.team
      .include(agentId)
      .catch(() => undefined)
      .finally(() => {
        this.scheduleLocalTeamRefresh();
      });
  }

  /**
   * An admin changed an agent (every node hears it): this node re-reads the list and sends it
   * to its agents even when no status or load changed.
   */
  rosterChanged(): void {
    this.team.forget();
    this.lastTeamVersion = -1;
    this.scheduleLocalTeamRefresh();
  }

  /** The team now (for a newly connected agent's sync). */
  teamSnapshot(): ReturnType<TeamRoster['snapshot']> {
    return this.team.snapshot();
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

  typing(push: TypingPush, to: Role, parties: { customerId: string; agentId: string }): void {
    const room = to === 'agent' ? rooms.agent(parties.agentId) : rooms.customer(parties.customerId);
    this.io.to(room).emit('chat.typing', push);
  }

  readMoved(cursor: ReadCursor, parties: { customerId: string; agentId: string }): void {
    const targets = [rooms.customer(parties.customerId)];
    if (parties.agentId !== '') targets.push(rooms.agent(parties.agentId));
    this.io.to(targets).emit('chat.read', cursor);
  }

  /** R8/R9: every message goes to every online agent and to every session of its customer. */
  messageCreated(message: ChatMessage): void {
    this.io
      .to([rooms.agents, rooms.customer(message.customerId), rooms.watch(message.conversationId)])
      .emit('message.new', message);
    const kind = message.call ? 'call' : message.notice ? 'notice' : 'message';
    this.deliveries.messageDelivered(kind, message.createdAt);
  }

  callChanged(call: CallState, parties: { customerId: string; agentId: string }): void {
    this.io
      .to([rooms.customer(parties.customerId), rooms.agent(parties.agentId)])
      .emit('call.state', call);
  }

  callSignal(socketId: string, push: CallSignalPush): void {
    this.io.to(socketId).emit('call.signal', push);
  }

  /**
   * Tells and closes the sockets of one session, on every node: they are found among their
   * user's sockets (a room per session would cost every connection memory for a rare event).
   */
  async sessionRevoked(
    identity: Pick<SessionIdentity, 'role' | 'userId' | 'sessionId'>,
    reason: SessionRevoked['reason'],
  ): Promise<void> {
    const sockets = await this.io.in(rooms.user(identity.role, identity.userId)).fetchSockets();
    for (const socket of sockets) {
      if (socket.data.identity.sessionId !== identity.sessionId) continue;
      socket.emit('session.revoked', { reason });
      socket.disconnect(true);
    }
  }

  /** The current snapshot, read now (for a newly connected agent). */
  async queueSnapshot(): Promise<QueueSnapshot> {
    const [live, rate] = await Promise.all([
      this.queue.queueSnapshot(LIMITS.snapshotEntries),
      this.views.takeRate(),
    ]);
    const snapshot = this.views.queueSnapshotFrom(live, rate);
    if (!this.lastSnapshot || snapshot.version > this.lastSnapshot.version)
      this.lastSnapshot = snapshot;
    return snapshot;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.snapshotTimer);
    clearTimeout(this.positionsTimer);
    clearTimeout(this.teamTimer);
    clearInterval(this.estimatesTimer);
  }

  /** Coalesced like the queue's snapshots; a snapshot no newer than the last sent is not sent. */
  private scheduleLocalTeamRefresh(): void {
    if (this.closed) return;
    this.changed();
    // At most one a second: the list goes to every agent and grows with the team, and a load
    // figure a second old is fresh enough to pick a colleague by.
    this.teamTimer ??= setTimeout(() => {
      this.teamTimer = undefined;
      this.team
        .snapshot()
        .then((snapshot) => {
          if (snapshot.version <= this.lastTeamVersion) return;
          this.lastTeamVersion = snapshot.version;
          this.io.local.to(rooms.agents).emit('team.snapshot', snapshot);
        })
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'team snapshot failed');
        });
    }, this.timing.positionsDelayMs);
  }

  private scheduleLocalQueueRefresh(): void {
    if (this.closed) return;
    this.changed();
    this.sendLocalQueueSoon();
  }

  /** This node's agents get the snapshot, and its queued customers their places, coalesced. */
  private sendLocalQueueSoon(): void {
    this.snapshotTimer ??= setTimeout(() => {
      this.snapshotTimer = undefined;
      this.sendLocalSnapshot().catch((error: unknown) => {
        this.logger.error({ err: error }, 'queue snapshot failed');
      });
    }, this.timing.snapshotDelayMs);
    this.schedulePositions();
  }

  /** One positions pass at a time: a change during a pass is sent by the next one. */
  private schedulePositions(): void {
    if (this.closed) return;
    if (this.positionsPass) {
      this.positionsAgain = true;
      return;
    }
    this.positionsTimer ??= setTimeout(() => {
      this.positionsTimer = undefined;
      this.positionsPass = this.sendLocalPositions()
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'queue positions failed');
        })
        .finally(() => {
          this.positionsPass = undefined;
          if (this.positionsAgain) {
            this.positionsAgain = false;
            this.schedulePositions();
          }
        });
    }, this.timing.positionsDelayMs);
  }

  private async sendLocalSnapshot(): Promise<void> {
    const snapshot = await this.queueSnapshot();
    this.io.local.to(rooms.agents).emit('queue.snapshot', snapshot);
  }

  /**
   * R3: a queued customer sees its position move as the queue ahead of it changes. Read and sent
   * in slices, yielding between them: with thousands queued, one pass would hold Redis (one
   * script) and this node's event loop long enough to delay every take and send behind it.
   */
  private async sendLocalPositions(): Promise<void> {
    const sockets = await this.io.local.in(rooms.customers).fetchSockets();
    const socketsOf = new Map<string, typeof sockets>();
    for (const socket of sockets) {
      const userId = socket.data.identity.userId;
      const own = socketsOf.get(userId);
      if (own) own.push(socket);
      else socketsOf.set(userId, [socket]);
    }
    const ids = [...socketsOf.keys()];
    const rate = await this.views.takeRate();
    for (let start = 0; start < ids.length; start += POSITIONS_SLICE) {
      if (this.closed) return;
      const states = await this.queue.customerStates(ids.slice(start, start + POSITIONS_SLICE));
      for (const state of states) {
        if (state.state !== 'requestSent') continue;
        const view = this.views.customerStateFrom(state, rate);
        // Sent when the place or its estimate moved: the estimate follows the take rate too.
        const place = `${view.position}:${view.estimatedWait?.minSeconds}-${view.estimatedWait?.maxSeconds}`;
        for (const socket of socketsOf.get(state.customerId) ?? []) {
          if (socket.data.lastQueuePlace === place) continue;
          socket.data.lastQueuePlace = place;
          socket.emit('customer.state', view);
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
