import type { LiveRedis } from './liveRedis';

/** What Redis decided for a `chat.rate`: this answer is the conversation's one answer. */
export interface RatingClaim {
  /** The agent who had the conversation when it ended (after any hand-over). */
  agentId: string | null;
}

/** The live side of ratings: which ended conversations have had their one answer. */
export class ConversationRatings {
  constructor(private readonly redis: LiveRedis) {}

  /**
   * Records that the customer answered (`rated` or `skipped`) its ended conversation; refused
   * with `not_found`, `forbidden`, `not_ended` or `already_rated` (see rateConversation.lua).
   */
  async claim(input: {
    customerId: string;
    conversationId: string;
    answer: 'rated' | 'skipped';
    at: Date;
  }): Promise<RatingClaim> {
    const result = await this.redis.runChecked<{ agentId: string | false }>(
      'rateConversation',
      [input.customerId, input.conversationId, input.answer, input.at.toISOString()],
      {
        not_found: 'No such conversation (or it ended too long ago to be rated).',
        forbidden: 'That conversation is not yours.',
        not_ended: 'That conversation has not ended yet: it can be rated once it has.',
        already_rated: 'That conversation has already been rated or skipped.',
      },
    );
    return { agentId: result.agentId === false ? null : result.agentId };
  }
}
