import { describe, expect, it } from 'vitest';
import type { CannedReply } from '@callcenter/shared';
import { translatorFor } from '../i18n/i18n';
import { cannedDraftProblem, cannedFailureText } from './cannedProblems';

const en = translatorFor('en');
const es = translatorFor('es');
const mine: CannedReply = {
  id: 'r1',
  scope: 'own',
  shortcut: 'hello',
  title: 'Hello',
  text: 'Hello {customer.name}',
  updatedAt: new Date(0).toISOString(),
};
const draft = { shortcut: 'thanks', title: 'Thanks', text: 'Thank you!' };

describe('what is wrong with a canned reply, in the agent’s words', () => {
  it('names the field and the rule, in the console’s language', () => {
    expect(cannedDraftProblem(draft, [mine], en)).toBeNull();
    expect(cannedDraftProblem({ ...draft, shortcut: '' }, [], en)).toBe(
      'Shortcut: write at least one character.',
    );
    expect(cannedDraftProblem({ ...draft, shortcut: 'Hi!' }, [], es)).toBe(
      'Atajo: solo minúsculas, dígitos, - y _, empezando por una letra o un dígito.',
    );
    expect(cannedDraftProblem({ ...draft, title: 'x'.repeat(101) }, [], en)).toBe(
      'Title: at most 100 characters.',
    );
    expect(cannedDraftProblem({ ...draft, text: 'a\u202Eb' }, [], es)).toMatch(/^Texto: /);
    expect(cannedDraftProblem({ ...draft, text: 'a\u202Eb' }, [], es)).not.toMatch(/bidirectional/);
  });

  it('refuses a shortcut the agent already uses, but not the reply being edited', () => {
    expect(cannedDraftProblem({ ...draft, shortcut: 'hello' }, [mine], en)).toBe(
      'You already have a reply with the shortcut /hello.',
    );
    expect(cannedDraftProblem({ ...draft, shortcut: 'hello', id: 'r1' }, [mine], en)).toBeNull();
  });

  it('words the server’s refusals instead of passing its English on', () => {
    expect(cannedFailureText({ code: 'forbidden', message: 'Shared …' }, es)).toBe(
      'Las respuestas compartidas solo las cambian los administradores.',
    );
    expect(cannedFailureText({ code: 'not_found', message: 'No such id' }, en)).toBe(
      'That reply no longer exists.',
    );
    expect(cannedFailureText({ code: 'invalid_payload', message: 'shortcut: …' }, en)).toBe(
      'The server refused this request.',
    );
  });
});
