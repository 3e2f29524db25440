import type { ChatRatePayload, ConversationRating } from '@callcenter/shared';
import { ProtocolError } from '@callcenter/shared';
import type { SessionIdentity } from '../auth/authService';
import type { ConversationRatings } from '../live/conversationRatings';
import type { RatingStats } from '../live/ratingStats';
import type { Logger } from '../logger';
import type { ConversationDoc } from '../store/documents';
import type { ConversationsRepository } from '../store/conversations';
import type { Broadcaster } from './broadcaster';

/** A rating the store did not take at once is written again this many times, further apart. */
const STORE_ATTEMPTS = 10;
const STORE_RETRY_MS = 1_000;

type StoredRating = NonNullable<ConversationDoc['rating']>;

/**
 * Satisfaction (issue 15): a customer rates its ended conversation from 1 to 5 with an optional
 * comment, or skips it; once per conversation, across its devices. Redis decides which answer
 * is the one (atomically, like every transition); the conversation's durable record follows,
 * and the day's figures for the wallboard count each score.
 */
export class RatingService {
  constructor(
    private readonly live: ConversationRatings,
    private readonly conversations: ConversationsRepository,
    private readonly stats: RatingStats,
    private readonly broadcaster: Pick<Broadcaster, 'customerChanged'>,
    private readonly logger: Logger,
  ) {}

  async rate(customer: SessionIdentity, payload: ChatRatePayload): Promise<ConversationRating> {
    const at = new Date();
    const { conversationId } = payload;
    const skipped = payload.skip === true;
    const { score } = payload;
    // The schema allows neither both nor none; this keeps the types honest.
    if (!skipped && score === undefined) {
      throw new ProtocolError('invalid_payload', 'a rating needs a score from 1 to 5, or skip');
    }
    const { agentId } = await this.live.claim({
      customerId: customer.userId,
      conversationId,
      answer: skipped ? 'skipped' : 'rated',
      at,
    });
    const stored: StoredRating =
      score === undefined ? { skipped: true, at } : { score, comment: payload.comment || null, at };
    await this.store(conversationId, customer.userId, stored, 1);
    if (score !== undefined && agentId !== null) {
      await this.stats.record(agentId, score, at).catch((error: unknown) => {
        this.logger.warn(
          { err: error, conversationId },
          'counting a rating for the wallboard failed',
        );
      });
    }
    // Every device of the customer stops asking.
    await this.broadcaster.customerChanged(customer.userId);
    return ratingView(conversationId, stored);
  }

  /**
   * Writes the rating into the conversation's record. The first attempt is awaited; when the
   * store is away (or the conversation's start or end is still on its way there) it is written
   * again in the background: the answer is already decided in Redis, which keeps it a week.
   */
  private async store(
    id: string,
    customerId: string,
    rating: StoredRating,
    attempt: number,
  ): Promise<void> {
    let failure: unknown;
    try {
      if (await this.conversations.recordRating({ id, customerId, rating })) return;
      failure = new Error('the conversation is not stored yet');
    } catch (error) {
      failure = error;
    }
    if (attempt >= STORE_ATTEMPTS) {
      this.logger.error({ err: failure, conversationId: id }, 'storing a rating failed for good');
      return;
    }
    this.logger.warn(
      { err: failure, conversationId: id, attempt },
      'storing a rating failed; retrying',
    );
    setTimeout(() => {
      void this.store(id, customerId, rating, attempt + 1);
    }, STORE_RETRY_MS * attempt).unref();
  }
}

/** A stored rating as the protocol shows it. */
export function ratingView(conversationId: string, rating: StoredRating): ConversationRating {
  const at = rating.at.toISOString();
  return 'skipped' in rating
    ? { conversationId, skipped: true, at }
    : { conversationId, skipped: false, score: rating.score, comment: rating.comment, at };
}
