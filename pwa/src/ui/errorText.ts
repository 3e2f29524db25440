import type { ErrorBody } from '@callcenter/shared';
import type { Translate } from '@callcenter/client';

/** What the login screen says for a failed sign-in or an ended session. */
export function loginErrorText(error: ErrorBody, t: Translate): string {
  switch (error.code) {
    case 'invalid_credentials':
      return t('errors.login.invalidCredentials');
    case 'invalid_payload':
      return t('errors.login.missingFields');
    case 'rate_limited':
      return t('errors.login.rateLimited');
    case 'account_disabled':
      return t('errors.login.disabled');
    case 'forbidden':
      return t('errors.login.notCustomer');
    case 'unavailable':
      return t('errors.login.unavailable');
    case 'unauthorized':
      return error.message.includes('logout')
        ? t('errors.login.signedOut')
        : t('errors.sessionEnded');
    default:
      return t('errors.login.other');
  }
}

/** What a toast says when an action in the chat failed. */
export function actionErrorText(error: ErrorBody, t: Translate): string {
  switch (error.code) {
    case 'unavailable':
      return t('errors.unavailable');
    case 'rate_limited':
      return t('errors.rateLimited');
    case 'not_in_chat':
      return t('errors.notInChat');
    case 'unauthorized':
      return t('errors.sessionEnded');
    default:
      return t('errors.other');
  }
}

/** Why an unsent message (`withFile`: one with a file) was refused for good. */
export function failedMessageText(error: ErrorBody, t: Translate, withFile = false): string {
  if (error.code === 'not_in_chat') return t('errors.notSentEnded');
  if (!withFile) return t('errors.notSentRefused');
  switch (error.code) {
    case 'too_large':
      return t('errors.fileTooLarge');
    case 'unsupported_type':
      return t('errors.fileUnsupported');
    default:
      return t('errors.fileRefused');
  }
}

/** Why a rating (or a skip) of a finished chat was not taken. */
export function ratingErrorText(error: ErrorBody, t: Translate): string {
  switch (error.code) {
    case 'already_rated':
      return t('errors.rating.alreadyRated');
    case 'not_ended':
      return t('errors.rating.notEnded');
    case 'forbidden':
      return t('errors.rating.forbidden');
    case 'not_found':
      return t('errors.rating.notFound');
    case 'invalid_payload':
      return t('errors.rating.invalid');
    case 'unavailable':
      return t('errors.unavailable');
    case 'rate_limited':
      return t('errors.rateLimited');
    case 'unauthorized':
      return t('errors.sessionEnded');
    default:
      return t('errors.other');
  }
}
