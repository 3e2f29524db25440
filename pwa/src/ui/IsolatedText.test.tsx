import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { IsolatedText } from './IsolatedText';
import { describeState } from './stateText';
import { translatorFor } from '../i18n/i18n';

const t = translatorFor('en');

describe('IsolatedText', () => {
  it('shows an agent name in the state banner inside <bdi>, so it cannot reorder our words', () => {
    const { detail } = describeState(
      {
        version: 1,
        state: 'inConversation',
        requestId: null,
        position: null,
        estimatedWait: null,
        conversationId: 'c1',
        agent: { id: 'a1', displayName: 'Ada \u202Etnega' },
        ratingPending: false,
      },
      t,
    );
    expect(renderToStaticMarkup(<IsolatedText text={detail} />)).toBe(
      'You are chatting with <bdi>Ada tnega</bdi>.',
    );
  });

  it('leaves a sentence without names as it is', () => {
    expect(renderToStaticMarkup(<IsolatedText text="Tap Chat for Assistance." />)).toBe(
      'Tap Chat for Assistance.',
    );
  });
});
