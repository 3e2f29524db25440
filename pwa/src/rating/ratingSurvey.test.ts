import { describe, expect, it } from 'vitest';
import { ProtocolError, type ChatRatePayload } from '@callcenter/shared';
import { RatingSurvey } from './ratingSurvey';

const AT = '2030-01-01T10:00:00.000Z';

describe('RatingSurvey', () => {
  it('sends a trimmed comment (none when blank) and remembers the answer per conversation', async () => {
    const sent: ChatRatePayload[] = [];
    const survey = new RatingSurvey((payload) => {
      sent.push(payload);
      return Promise.resolve({
        rating: { conversationId: payload.conversationId, skipped: true, at: AT },
      });
    });
    await survey.rate('c1', 4, '  Good.  ');
    await survey.rate('c2', 5, '   ');
    expect(sent).toEqual([
      { conversationId: 'c1', score: 4, comment: 'Good.' },
      { conversationId: 'c2', score: 5 },
    ]);
    expect(survey.viewOf('c2')).toMatchObject({ phase: 'sent', error: null });
    // Another conversation is asked afresh.
    expect(survey.viewOf('c3')).toEqual({ conversationId: 'c3', phase: 'asking', error: null });
  });

  it('keeps asking after a refusal, but takes already_rated as answered', async () => {
    let refusal = new ProtocolError('unavailable', 'Not connected to the server.');
    const survey = new RatingSurvey(() => Promise.reject(refusal));
    await survey.rate('c1', 3, '');
    expect(survey.viewOf('c1')).toMatchObject({ phase: 'asking', error: { code: 'unavailable' } });
    refusal = new ProtocolError('already_rated', 'answered on another device');
    await survey.skip('c1');
    expect(survey.viewOf('c1')).toMatchObject({
      phase: 'skipped',
      error: { code: 'already_rated' },
    });
  });
});
