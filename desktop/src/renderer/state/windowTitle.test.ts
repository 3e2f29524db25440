import { describe, expect, it } from 'vitest';
import { consoleTitle } from './windowTitle';
import { translatorFor } from '../i18n/i18n';

const t = translatorFor('en');

describe('console window title', () => {
  it('shows the queue count, then who wrote in a conversation not looked at', () => {
    expect(consoleTitle(0, [], t)).toBe('Agent Console');
    expect(consoleTitle(3, [], t)).toBe('(3) Agent Console');
    expect(consoleTitle(0, ['Carol'], t)).toBe('Agent Console · New from Carol');
    expect(consoleTitle(2, ['Carol', 'Dan', 'Erin'], t)).toBe(
      '(2) Agent Console · New from Carol +2',
    );
  });
});
