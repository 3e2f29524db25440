import { describe, expect, it } from 'vitest';
import { consoleTitle } from './windowTitle';

describe('console window title', () => {
  it('shows the queue count, then who wrote in a conversation not looked at', () => {
    expect(consoleTitle(0, [])).toBe('Agent Console');
    expect(consoleTitle(3, [])).toBe('(3) Agent Console');
    expect(consoleTitle(0, ['Carol'])).toBe('Agent Console · New from Carol');
    expect(consoleTitle(2, ['Carol', 'Dan', 'Erin'])).toBe('(2) Agent Console · New from Carol +2');
  });
});
