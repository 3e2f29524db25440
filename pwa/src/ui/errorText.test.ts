import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@callcenter/shared';
import { actionErrorText, loginErrorText, ratingErrorText } from './errorText';
import { translatorFor } from '../i18n/i18n';

const t = translatorFor('en');

describe('loginErrorText', () => {
  it('explains each way a sign-in can fail in plain words', () => {
    expect(loginErrorText({ code: 'invalid_credentials', message: '' }, t)).toBe(
      "That login and password don't match. Check them and try again.",
    );
    expect(loginErrorText({ code: 'rate_limited', message: '' }, t)).toContain('Too many attempts');
    expect(loginErrorText({ code: 'account_disabled', message: '' }, t)).toContain('disabled');
    expect(loginErrorText({ code: 'unavailable', message: '' }, t)).toContain("Can't reach");
  });

  it('tells a sign-out elsewhere from an expired session', () => {
    expect(loginErrorText({ code: 'unauthorized', message: 'session revoked (logout)' }, t)).toBe(
      'You have been signed out. Sign in again to continue.',
    );
    expect(loginErrorText({ code: 'unauthorized', message: 'session revoked (expired)' }, t)).toBe(
      'Your session has ended. Sign in again to continue.',
    );
  });

  it('never shows the server’s raw message', () => {
    for (const code of ERROR_CODES) {
      const secret = 'stack trace: at internal.js:1';
      expect(loginErrorText({ code, message: secret }, t)).not.toContain(secret);
      expect(actionErrorText({ code, message: secret }, t)).not.toContain(secret);
      expect(ratingErrorText({ code, message: secret }, t)).not.toContain(secret);
    }
  });
});

describe('ratingErrorText', () => {
  it('says why a rating was not taken', () => {
    expect(ratingErrorText({ code: 'already_rated', message: '' }, t)).toContain(
      'already been rated',
    );
    expect(ratingErrorText({ code: 'not_ended', message: '' }, t)).toContain('once it has ended');
    expect(ratingErrorText({ code: 'invalid_payload', message: '' }, t)).toContain('1 to 5');
    expect(ratingErrorText({ code: 'unavailable', message: '' }, t)).toContain("Can't reach");
  });
});
