import type {
  AgentState,
  CallSignalPush,
  CallState,
  ChatMessage,
  ReadCursor,
  Role,
  SessionRevoked,
  TypingPush,
} from '@callcenter/shared';
import type { SessionIdentity } from '../auth/authService';

/**
 * How the services tell clients what changed. The socket layer implements it (socket/notifier.ts),
 * so the services never depend on Socket.IO.
 */
export interface Broadcaster {
  /** The queue changed: agents get a new snapshot, queued customers their positions (coalesced). */
  queueChanged(): void;
  /**
   * An agent's status or load changed (`agentId`: that agent's, when one is named): agents get a
   * new team snapshot (coalesced).
   */
  teamChanged(agentId?: string): void;
  /** Sends a customer's current state to all of its sessions. */
  customerChanged(customerId: string): Promise<void>;
  /** Sends an agent's current state (or `known`, already read) to all of its sessions. */
  agentChanged(agentId: string, known?: AgentState): Promise<void>;
  /** Someone typing, to every session of the other party (`to`) of the conversation. */
  typing(push: TypingPush, to: Role, parties: { customerId: string; agentId: string }): void;
  /** A read cursor moved: every session of both parties hears it. */
  readMoved(cursor: ReadCursor, parties: { customerId: string; agentId: string }): void;
  /** A stored message, to every online agent and every session of its customer. */
  messageCreated(message: ChatMessage): void;
  /** A call changed: every session of both parties hears its state. */
  callChanged(call: CallState, parties: { customerId: string; agentId: string }): void;
  /** Relays a call's signal to one device (a socket id), on whichever node holds it. */
  callSignal(socketId: string, push: CallSignalPush): void;
  /** Tells and closes the sockets of one session, on every node. */
  sessionRevoked(
    identity: Pick<SessionIdentity, 'role' | 'userId' | 'sessionId'>,
    reason: SessionRevoked['reason'],
  ): Promise<void>;
}
