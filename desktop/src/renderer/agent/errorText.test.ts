import { describe, expect, it } from 'vitest';
import { describeCallError, describeError, describeSendError } from './errorText';
import { translatorFor } from '../i18n/i18n';

const t = translatorFor('en');

describe('error wording', () => {
  it('explains a lost race in terms of what the agent pressed', () => {
    const notFound = { code: 'not_found' as const, message: 'No such waiting request' };
    expect(describeError(notFound, { kind: 'start' }, t)).toMatch(
      /another agent may have just taken/,
    );
    expect(
      describeError(notFound, { kind: 'take', requestId: 'req-1', displayName: 'Dana' }, t),
    ).toBe('\u2068Dana\u2069 is no longer waiting: they left the queue.');
    expect(
      describeError(
        { code: 'already_claimed', message: 'x' },
        { kind: 'take', requestId: 'req-1', displayName: 'Dana' },
        t,
      ),
    ).toBe('\u2068Dana\u2069 was just taken by another agent.');
    // A take whose customer the queue no longer listed when the agent picked them.
    expect(
      describeError(
        { code: 'already_claimed', message: 'x' },
        { kind: 'take', requestId: 'req-1', displayName: null },
        t,
      ),
    ).toBe('This customer was just taken by another agent.');
    expect(describeError({ code: 'invalid_credentials', message: 'x' }, { kind: 'login' }, t)).toBe(
      'Wrong login or password.',
    );
  });

  it('says plainly that a reply to another agent’s customer was refused (R9)', () => {
    expect(describeSendError({ code: 'assigned_to_other', message: 'x' }, 'Dana', t)).toBe(
      'Not sent: \u2068Dana\u2069 is in a conversation with another agent.',
    );
  });
});

describe('shift error wording', () => {
  it('names the colleague a refused transfer was for, and says why', () => {
    const toBo = { kind: 'transfer' as const, toName: 'Bo' };
    expect(describeError({ code: 'agent_away', message: 'x' }, toBo, t)).toBe(
      'Not transferred: \u2068Bo\u2069 is away or offline now.',
    );
    expect(describeError({ code: 'agent_busy', message: 'x' }, toBo, t)).toBe(
      'Not transferred: \u2068Bo\u2069 has no room for another chat.',
    );
    expect(
      describeError({ code: 'not_in_chat', message: 'x' }, { kind: 'transfer', toName: null }, t),
    ).toBe('Not transferred: the chat has ended.');
  });

  it('tells an away agent why Start Chat did nothing', () => {
    expect(describeError({ code: 'agent_away', message: 'x' }, { kind: 'start' }, t)).toBe(
      'You are set to Away. Set yourself Available to take customers.',
    );
  });
});

describe('call error wording', () => {
  it('words a failed call ask by what the agent pressed', () => {
    const claimed = { code: 'already_claimed' as const, message: 'x' };
    expect(describeCallError(claimed, { kind: 'accept' }, t)).toBe(
      'The call was answered in another window, or it has ended.',
    );
    expect(describeCallError(claimed, { kind: 'end' }, t)).toBe(
      'Could not hang up: the call has already ended.',
    );
    expect(describeCallError({ code: 'not_in_chat', message: 'x' }, { kind: 'start' }, t)).toBe(
      'Could not call: the conversation has ended.',
    );
    expect(describeCallError({ code: 'unavailable', message: 'x' }, { kind: 'decline' }, t)).toBe(
      'Could not decline the call. The server did not answer. Check the connection and try again.',
    );
  });
});
