import { describe, expect, it } from 'vitest';
import { dispositionName } from './format';

describe('dispositionName', () => {
  it("prefers the UTF-8 filename* (an attachment's real name) over the ASCII stand-in", () => {
    expect(
      dispositionName(
        `inline; filename="_____.jpg"; filename*=UTF-8''%D8%B5%D9%88%D8%B1%D8%A9.jpg`,
      ),
    ).toBe('صورة.jpg');
  });

  it('reads a plain filename, and gives null without one or for a broken encoding', () => {
    expect(dispositionName('attachment; filename="audit-2030-01-01.csv"')).toBe(
      'audit-2030-01-01.csv',
    );
    expect(dispositionName('attachment')).toBeNull();
    expect(dispositionName(null)).toBeNull();
    expect(dispositionName(`inline; filename="a.pdf"; filename*=UTF-8''%E0%A4%A.pdf`)).toBe(
      'a.pdf',
    );
  });
});
