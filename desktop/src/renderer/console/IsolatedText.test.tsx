import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { describeError, describeSendError } from '../agent/errorText';
import { IsolatedText } from './IsolatedText';
import { translatorFor } from '../i18n/i18n';

const t = translatorFor('en');

describe('IsolatedText', () => {
  it('shows a customer name inside <bdi>, so a stored U+202E cannot flip the sentence', () => {
    const text = describeSendError({ code: 'assigned_to_other', message: 'x' }, 'Eve\u202Elive', t);
    expect(renderToStaticMarkup(<IsolatedText text={text} />)).toBe(
      'Not sent: <bdi>Evelive</bdi> is in a conversation with another agent.',
    );
  });

  it('isolates every name of a notice and leaves the rest as plain text', () => {
    const text = describeError(
      { code: 'already_claimed', message: 'x' },
      { kind: 'take', requestId: 'req-1', displayName: 'دانة' },
      t,
    );
    expect(renderToStaticMarkup(<IsolatedText text={text} />)).toBe(
      '<bdi>دانة</bdi> was just taken by another agent.',
    );
  });
});
