import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@callcenter/shared';
import type { SessionIdentity } from '../auth/authService';

/** What the server keeps on each socket. */
export interface SocketData {
  identity: SessionIdentity;
  /**
   * The queue place (position and estimated wait) this node last sent to this socket; avoids
   * resending an unchanged one.
   */
  lastQueuePlace: string | null;
  /** Gives this socket's place in its user's budget back (on disconnect). */
  closeBudget: () => void;
}

/** Signals between server nodes (through the Redis adapter). */
export interface InterServerEvents {
  'queue.changed': () => void;
  'team.changed': (agentId?: string) => void;
  'agent.accountChanged': (agentId: string) => void;
  'customer.profileChanged': (customerId: string) => void;
  'canned.sharedChanged': () => void;
  'wallboard.changed': () => void;
  'node.joined': (answer: (ok: true) => void) => void;
}

export type ChatServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type ChatSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
