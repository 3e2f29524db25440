import type { ReadCursor, Role, TypingPush } from '@callcenter/shared';
import { ProtocolError } from '@callcenter/shared';
import type { SessionIdentity } from '../auth/authService';
import type { ChatQueue } from '../live/chatQueue';
import type { MessageSequence } from '../live/messageSequence';
import type { ConversationsRepository } from '../store/conversations';
import type { Broadcaster } from './broadcaster';

/** A conversation as the two parties' activity needs it. */
interface Parties {
  conversationId: string;
  customerId: string;
  agentId: string;
  active: boolean;
}

/**
 * What the parties of a conversation see of each other besides messages: typing (relayed to
 * the other party, on whichever node it is connected; never stored) and read cursors (stored
 * per side, forward only, pushed to both parties and replayed by `session.sync`).
 */
export class ActivityService {
  constructor(
    private readonly queue: ChatQueue,
    private readonly conversations: ConversationsRepository,
    private readonly sequence: Pick<MessageSequence, 'highest'>,
    private readonly broadcaster: Broadcaster,
  ) {}

  /** `conversationId`: the agent's; a customer's is its current one. */
  async typing(
    user: SessionIdentity,
    conversationId: string | null,
    typing: boolean,
  ): Promise<void> {
    const parties = await this.partiesOf(user, conversationId);
    if (!parties.active) throw new ProtocolError('not_in_chat', 'The conversation has ended.');
    const push: TypingPush = {
      conversationId: parties.conversationId,
      customerId: parties.customerId,
      role: user.role,
      typing,
    };
    this.broadcaster.typing(push, user.role === 'agent' ? 'customer' : 'agent', parties);
  }

  /** Moves the user's read cursor forward; answers the cursor as it now stands. */
  async read(
    user: SessionIdentity,
    conversationId: string | null,
    seq: number,
  ): Promise<ReadCursor> {
    const parties = await this.partiesOf(user, conversationId);
    // No one has read a message that was never numbered.
    if (seq > (await this.sequence.highest())) {
      throw new ProtocolError('invalid_payload', 'seq: no message has this number yet.');
    }
    const stored = await this.conversations.recordRead({
      id: parties.conversationId,
      role: user.role,
      seq,
      at: new Date(),
    });
    if (!stored) throw new ProtocolError('not_found', 'No such conversation.');
    const cursor: ReadCursor = {
      conversationId: parties.conversationId,
      customerId: parties.customerId,
      role: user.role,
      seq: stored.seq,
      readAt: stored.at.toISOString(),
    };
    if (stored.moved) this.broadcaster.readMoved(cursor, parties);
    return cursor;
  }

  /** The read cursors of these conversations, both sides, for a re-sync. */
  async readsOf(conversationIds: readonly string[]): Promise<ReadCursor[]> {
    const rows = await this.conversations.readsOf(conversationIds);
    return rows.flatMap((row) =>
      (['customer', 'agent'] as const satisfies readonly Role[]).flatMap((role) => {
        const read = row.reads[role];
        if (!read) return [];
        return [
          {
            conversationId: row.id,
            customerId: row.customerId,
            role,
            seq: read.seq,
            readAt: read.at.toISOString(),
          },
        ];
      }),
    );
  }

  /**
   * The conversation `user` is a party of: an agent names it (and must be its agent now); a
   * customer's is its current one. Strangers learn nothing (`not_found` / `forbidden`).
   */
  private async partiesOf(user: SessionIdentity, conversationId: string | null): Promise<Parties> {
    let id = conversationId;
    if (user.role === 'customer') {
      const state = await this.queue.customerState(user.userId);
      id = state.conversationId;
      if (id === null) throw new ProtocolError('not_in_chat', 'You are not in a chat.');
    }
    if (id === null) throw new ProtocolError('invalid_payload', 'conversationId: required.');
    const conv = await this.queue.conversation(id);
    if (!conv.customerId) throw new ProtocolError('not_found', 'No such conversation.');
    const mine =
      user.role === 'agent' ? conv.agentId === user.userId : conv.customerId === user.userId;
    if (!mine) throw new ProtocolError('forbidden', 'That conversation is not yours.');
    return {
      conversationId: id,
      customerId: conv.customerId,
      agentId: conv.agentId ?? '',
      active: conv.status === 'active',
    };
  }
}
