import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { textProblemWords } from '@callcenter/client';
import { useStore } from 'zustand';
import { RATING_LIMITS, ratingCommentSchema } from '@callcenter/shared';
import { useCustomerApp, useOnline, useSessionView } from '../app/appContext';
import { ratingErrorText } from './errorText';

/** The five answers, worst first, as the customer reads them. */
export const RATING_CHOICES = [
  { score: 1, labelKey: 'rating.choice1' },
  { score: 2, labelKey: 'rating.choice2' },
  { score: 3, labelKey: 'rating.choice3' },
  { score: 4, labelKey: 'rating.choice4' },
  { score: 5, labelKey: 'rating.choice5' },
] as const;

/**
 * Asks, once, how the chat that just ended went (issue 15): shown while the server says the
 * ended conversation waits for its rating, then the thanks. A skip is an answer too: the
 * server keeps it, so no device asks again.
 */
export function RatingCard() {
  const { t } = useTranslation();
  const { rating } = useCustomerApp();
  const { customerState } = useSessionView();
  // Read through viewOf, which tells this conversation's answer from an earlier one's.
  useStore(rating.store);
  const ended = customerState?.state === 'conversationEnded' ? customerState : null;
  if (ended?.conversationId == null) return null;
  const conversationId = ended.conversationId;
  const view = rating.viewOf(conversationId);
  if (view.phase === 'sent') {
    return <RatingThanks note={view.error === null ? null : ratingErrorText(view.error, t)} />;
  }
  if (!ended.ratingPending || view.phase === 'skipped') return null;
  // A new conversation starts with an empty form.
  return <RatingForm key={conversationId} conversationId={conversationId} />;
}

function RatingThanks({ note }: { note: string | null }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLParagraphElement>(null);
  // The form the keyboard was in is gone: reading goes on from the thanks.
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <section className="rating-card" aria-label={t('rating.label')}>
      <p ref={ref} tabIndex={-1} className="rating-thanks" role="status">
        {note ?? t('rating.thanks')}
      </p>
    </section>
  );
}

function RatingForm({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const { rating } = useCustomerApp();
  const { online } = useOnline();
  useStore(rating.store);
  const view = rating.viewOf(conversationId);
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [missingScore, setMissingScore] = useState(false);
  const ids = useId();
  const commentId = `${ids}-comment`;
  const countId = `${ids}-count`;
  const problemId = `${ids}-problem`;

  const checked = ratingCommentSchema.safeParse(comment);
  const commentProblem = checked.success ? null : (checked.error.issues[0]?.message ?? null);
  const sending = view.phase === 'sending';
  const canAnswer = online && !sending;

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!canAnswer || commentProblem !== null) return;
    if (score === null) {
      setMissingScore(true);
      return;
    }
    void rating.rate(conversationId, score, comment);
  };

  return (
    <section className="rating-card" aria-labelledby={`${ids}-title`}>
      <form onSubmit={onSubmit} noValidate>
        <fieldset
          className="rating-scores"
          aria-describedby={missingScore ? `${ids}-missing` : undefined}
        >
          <legend id={`${ids}-title`} className="rating-title">
            {t('rating.title')}
          </legend>
          <div className="rating-choices">
            {RATING_CHOICES.map((choice) => (
              <label key={choice.score} className="rating-choice">
                <input
                  type="radio"
                  name={`${ids}-score`}
                  value={choice.score}
                  checked={score === choice.score}
                  onChange={() => {
                    setScore(choice.score);
                    setMissingScore(false);
                  }}
                />
                <span>{t(choice.labelKey)}</span>
              </label>
            ))}
          </div>
          {missingScore && (
            <p id={`${ids}-missing`} className="rating-problem" role="alert">
              {t('rating.missingScore')}
            </p>
          )}
        </fieldset>
        <label htmlFor={commentId} className="rating-comment-label">
          {t('rating.comment')}
        </label>
        <textarea
          id={commentId}
          className="rating-comment"
          rows={2}
          maxLength={RATING_LIMITS.commentLength}
          value={comment}
          aria-describedby={commentProblem === null ? countId : `${countId} ${problemId}`}
          aria-invalid={commentProblem !== null}
          onChange={(event) => {
            setComment(event.target.value);
          }}
        />
        <p id={countId} className="rating-count">
          {t('rating.count', { length: comment.length, max: RATING_LIMITS.commentLength })}
        </p>
        {commentProblem !== null && (
          <p id={problemId} className="rating-problem" role="alert">
            {t('rating.commentProblem', { problem: textProblemWords(commentProblem, t) })}
          </p>
        )}
        {view.error !== null && (
          <p className="rating-problem" role="alert">
            {ratingErrorText(view.error, t)}
          </p>
        )}
        {!online && (
          <p className="rating-offline" role="status">
            {t('rating.offline')}
          </p>
        )}
        <div className="rating-buttons">
          <button type="submit" className="button primary" disabled={!canAnswer}>
            {sending ? t('rating.sending') : t('rating.send')}
          </button>
          <button
            type="button"
            className="button"
            disabled={!canAnswer}
            onClick={() => {
              void rating.skip(conversationId).then(() => {
                // The card is gone: the keyboard goes on from the chat's actions.
                document.querySelector<HTMLElement>('.chat-actions button:not(:disabled)')?.focus();
              });
            }}
          >
            {t('rating.skip')}
          </button>
        </div>
      </form>
    </section>
  );
}
