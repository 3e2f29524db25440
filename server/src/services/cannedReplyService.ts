import {
  CANNED_LIMITS,
  ProtocolError,
  type CannedReply,
  type CannedSavePayload,
} from '@callcenter/shared';
import type { SessionIdentity } from '../auth/authService';
import {
  cannedReplyToWire,
  DuplicateShortcutError,
  type CannedOwner,
  type CannedRepliesRepository,
} from '../store/cannedReplies';

/** How the service tells agents a set changed; the socket layer implements it. */
export interface CannedRepliesBroadcast {
  /** `null`: the shared set (every agent); else that agent's own set (its sessions). */
  cannedChanged(owner: CannedOwner): void;
}

/** An agent's canned replies: it reads the shared set and its own, and changes only its own. */
export class CannedReplyService {
  constructor(
    private readonly replies: CannedRepliesRepository,
    private readonly broadcast: CannedRepliesBroadcast,
  ) {}

  /** The shared replies, then the agent's own, each by shortcut. */
  async list(identity: SessionIdentity): Promise<CannedReply[]> {
    const [shared, own] = await Promise.all([
      this.replies.listOf(null),
      this.replies.listOf(identity.userId),
    ]);
    return [...shared, ...own].map(cannedReplyToWire);
  }

  /** Creates (no `id`) or updates one of the agent's own replies. */
  async save(identity: SessionIdentity, input: CannedSavePayload): Promise<CannedReply> {
    const owner = identity.userId;
    const { id, ...fields } = input;
    try {
      let doc;
      if (id === undefined) {
        if ((await this.replies.countOf(owner)) >= CANNED_LIMITS.repliesPerAgent) {
          throw new ProtocolError(
            'invalid_payload',
            `You already have ${CANNED_LIMITS.repliesPerAgent} canned replies, the most an agent may keep; delete one first.`,
          );
        }
        doc = await this.replies.create(owner, fields);
      } else {
        doc = await this.replies.update(owner, id, fields);
        if (!doc) throw await this.notOwn(id);
      }
      this.broadcast.cannedChanged(owner);
      return cannedReplyToWire(doc);
    } catch (error) {
      if (error instanceof DuplicateShortcutError) {
        throw new ProtocolError(
          'invalid_payload',
          `shortcut: you already have a canned reply with the shortcut "/${fields.shortcut}".`,
        );
      }
      throw error;
    }
  }

  /** Deletes one of the agent's own replies. */
  async remove(identity: SessionIdentity, id: string): Promise<void> {
    if (!(await this.replies.remove(identity.userId, id))) throw await this.notOwn(id);
    this.broadcast.cannedChanged(identity.userId);
  }

  /**
   * Why an agent may not change reply `id`: a shared one is `forbidden` (the agent sees it);
   * a colleague's is `not_found`, like one that does not exist, so ids of others' tell nothing.
   */
  private async notOwn(id: string): Promise<ProtocolError> {
    return (await this.replies.findInSet(null, id))
      ? new ProtocolError('forbidden', 'Shared canned replies are changed by admins only.')
      : new ProtocolError('not_found', 'You have no canned reply with this id.');
  }
}
