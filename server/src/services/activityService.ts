import type { ReadCursor, Role, TypingPush } from '@callcenter/shared';
import { ProtocolError, TYPING_REPEAT_MS, TYPING_SHOWN_MS } from '@callcenter/shared';
import type { PartyIdentity } from '../auth/authService';
import type { ChatQueue } from '../live/chatQueue';
import type { ConversationsRepository } from '../store/conversations';
import type { MessagesRepository } from '../store/messages';
import type { Broadcaster } from './broadcaster';

/**
 * A socket's `typing: true` is relayed again at most this often in one conversation (clients
 * repeat it every `TYPING_REPEAT_MS`); a `false` only after a relayed `true`; and changes from
 * typing to not and back at most `TYPING_CHANGES_BURST` at once, then one a second. More is a
 * flood: answered, not relayed.
 */
export const TYPING_RELAY_GAP_MS = TYPING_REPEAT_MS / 2;
export const TYPING_CHANGES_BURST = 4;
const TYPING_CHANGES_PER_SECOND = 1;
/** Above this many sockets typing at once on a node, those quiet for long are forgotten. */
const TYPING_REMEMBERED = 10_000;

interface TypingRelayed {
  typing: boolean;
  /** When "typing" was relayed last. */
  at: number;
  /** Changes that may still be relayed at once (refilled at TYPING_CHANGES_PER_SECOND). */
  changes: number;
  changesAt: number;
}

/** What to note when this typing is relayed; undefined when it is not news or a flood. */
function nextTypingRelay(
  last: TypingRelayed | undefined,
  typing: boolean,
  now: number,
): TypingRelayed | undefined {
  if (!last) {
    return typing
      ? { typing, at: now, changes: TYPING_CHANGES_BURST - 1, changesAt: now }
      : undefined;
  }
  if (typing === last.typing) {
    // A "stopped" after a "stopped" is not news; a "typing" repeated too soon neither.
    if (!typing || now - last.at < TYPING_RELAY_GAP_MS) return undefined;
    return { ...last, at: now };
  }
  const changes = Math.min(
    TYPING_CHANGES_BURST,
    last.changes + ((now - last.changesAt) / 1000) * TYPING_CHANGES_PER_SECOND,
  );
  if (changes < 1) return undefined;
  return { typing, at: typing ? now : last.at, changes: changes - 1, changesAt: now };
}

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
    private readonly messages: Pick<MessagesRepository, 'findBySeq'>,
    private readonly broadcaster: Broadcaster,
  ) {}

  /** Per socket and conversation: what was relayed last, when "typing" was, and the budget. */
  private readonly relayedTyping = new Map<string, TypingRelayed>();

  /**
   * `conversationId`: the agent's; a customer's is its current one. A flood from one socket
   * (see `TYPING_RELAY_GAP_MS`) is answered without being relayed.
   */
  async typing(
    user: PartyIdentity,
    conversationId: string | null,
    typing: boolean,
    socketId: string,
  ): Promise<void> {
    const key = `${socketId}\n${conversationId ?? ''}`;
    const now = Date.now();
    const last = this.relayedTyping.get(key);
    const mark = nextTypingRelay(last, typing, now);
    // Noted before the lookups below, so that a burst arriving at once relays once.
    if (mark) this.rememberTyping(key, mark, now);
    let parties: Parties;
    try {
      parties = await this.partiesOf(user, conversationId);
      if (!parties.active) throw new ProtocolError('not_in_chat', 'The conversation has ended.');
    } catch (error) {
      if (mark && this.relayedTyping.get(key) === mark) {
        if (last) this.relayedTyping.set(key, last);
        else this.relayedTyping.delete(key);
      }
      throw error;
    }
    if (!mark) return;
    const push: TypingPush = {
      conversationId: parties.conversationId,
      customerId: parties.customerId,
      role: user.role,
      typing,
    };
    this.broadcaster.typing(push, user.role === 'agent' ? 'customer' : 'agent', parties);
  }

  private rememberTyping(key: string, mark: TypingRelayed, now: number): void {
    if (this.relayedTyping.size >= TYPING_REMEMBERED) {
      // Sockets that went away typing: their "typing" has long expired on the other side.
      for (const [held, { at }] of this.relayedTyping) {
        if (now - at > TYPING_SHOWN_MS) this.relayedTyping.delete(held);
      }
    }
    this.relayedTyping.set(key, mark);
  }

  /** Moves the user's read cursor forward; answers the cursor as it now stands. */
  async read(user: PartyIdentity, conversationId: string | null, seq: number): Promise<ReadCursor> {
    const parties = await this.partiesOf(user, conversationId);
    // Only what was on the reader's screen can be read: a message of this conversation.
    const message = await this.messages.findBySeq(seq);
    if (message?.conversationId !== parties.conversationId) {
      throw new ProtocolError('invalid_payload', 'seq: no message of this conversation has it.');
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
  private async partiesOf(user: PartyIdentity, conversationId: string | null): Promise<Parties> {
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
