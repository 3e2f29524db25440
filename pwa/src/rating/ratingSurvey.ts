import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  ProtocolError,
  type ChatRatePayload,
  type ConversationRating,
  type ErrorBody,
} from '@callcenter/shared';

/** Where this device's answer to the survey of one conversation stands. */
export type SurveyPhase = 'asking' | 'sending' | 'sent' | 'skipped';

export interface SurveyView {
  /** The conversation this view is about; another conversation starts at `asking`. */
  conversationId: string | null;
  phase: SurveyPhase;
  /** Why the last answer was refused, or null. */
  error: ErrorBody | null;
}

export type SurveyStore = StoreApi<SurveyView>;

/** Sends `chat.rate` and resolves with the stored rating; rejects with a `ProtocolError`. */
export type SendRating = (payload: ChatRatePayload) => Promise<{ rating: ConversationRating }>;

/**
 * The satisfaction survey of the customer's ended conversation: this device's answer (a score
 * and comment, or a skip) and the server's word on it. Whether to ask at all is the server's
 * `ratingPending`; this only remembers what happened here, so that the thanks stays on screen.
 */
export class RatingSurvey {
  readonly store: SurveyStore = createStore<SurveyView>(() => ({
    conversationId: null,
    phase: 'asking',
    error: null,
  }));

  constructor(private readonly sendRating: SendRating) {}

  /** The view for `conversationId`: a fresh one when the store is about another conversation. */
  viewOf(conversationId: string): SurveyView {
    const view = this.store.getState();
    return view.conversationId === conversationId
      ? view
      : { conversationId, phase: 'asking', error: null };
  }

  async rate(conversationId: string, score: number, comment: string): Promise<void> {
    const trimmed = comment.trim();
    await this.answer(
      { conversationId, score, ...(trimmed !== '' && { comment: trimmed }) },
      'sent',
    );
  }

  async skip(conversationId: string): Promise<void> {
    await this.answer({ conversationId, skip: true }, 'skipped');
  }

  private async answer(payload: ChatRatePayload, done: 'sent' | 'skipped'): Promise<void> {
    const { conversationId } = payload;
    if (this.viewOf(conversationId).phase === 'sending') return;
    this.store.setState({ conversationId, phase: 'sending', error: null });
    try {
      await this.sendRating(payload);
      this.store.setState({ conversationId, phase: done, error: null });
    } catch (error) {
      const body: ErrorBody =
        error instanceof ProtocolError
          ? { code: error.code, message: error.message }
          : { code: 'internal', message: String(error) };
      // Answered already (on another device, or this answer's ack was lost): nothing to ask.
      const phase = body.code === 'already_rated' ? done : 'asking';
      this.store.setState({ conversationId, phase, error: body });
    }
  }
}
