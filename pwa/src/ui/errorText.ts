import type { ErrorBody } from '@callcenter/shared';

/** What the login screen says for a failed sign-in or an ended session. */
export function loginErrorText(error: ErrorBody): string {
  switch (error.code) {
    case 'invalid_credentials':
      return "That login and password don't match. Check them and try again.";
    case 'invalid_payload':
      return 'Enter your login and your password.';
    case 'rate_limited':
      return 'Too many attempts. Wait a few minutes, then try again.';
    case 'account_disabled':
      return 'This account is disabled. Please contact us by phone or e-mail.';
    case 'forbidden':
      return 'This login is not a customer account.';
    case 'unavailable':
      return "Can't reach the server. Check your connection and try again.";
    case 'unauthorized':
      return error.message.includes('logout')
        ? 'You have been signed out. Sign in again to continue.'
        : 'Your session has ended. Sign in again to continue.';
    default:
      return 'Something went wrong on our side. Please try again.';
  }
}

/** What a toast says when an action in the chat failed. */
export function actionErrorText(error: ErrorBody): string {
  switch (error.code) {
    case 'unavailable':
      return "Can't reach the server right now. Try again when you're back online.";
    case 'rate_limited':
      return 'That was a lot at once. Wait a second and try again.';
    case 'not_in_chat':
      return 'Start a chat first: tap Chat for Assistance.';
    case 'unauthorized':
      return 'Your session has ended. Sign in again to continue.';
    default:
      return 'Something went wrong. Please try again.';
  }
}

/** Why an unsent message was refused for good. */
export function failedMessageText(error: ErrorBody): string {
  return error.code === 'not_in_chat'
    ? 'Not sent: this chat had ended.'
    : 'Not sent: the server refused this message.';
}

/** Why a rating (or a skip) of a finished chat was not taken. */
export function ratingErrorText(error: ErrorBody): string {
  switch (error.code) {
    case 'already_rated':
      return 'This chat has already been rated (maybe on another device). Thank you!';
    case 'not_ended':
      return 'You can rate this chat once it has ended.';
    case 'forbidden':
      return 'This chat is not yours to rate.';
    case 'not_found':
      return 'This chat can no longer be rated.';
    case 'invalid_payload':
      return 'Choose a score from 1 to 5, and keep the comment under 1,000 characters.';
    case 'unavailable':
      return "Can't reach the server right now. Try again when you're back online.";
    case 'rate_limited':
      return 'That was a lot at once. Wait a second and try again.';
    case 'unauthorized':
      return 'Your session has ended. Sign in again to continue.';
    default:
      return 'Something went wrong. Please try again.';
  }
}
