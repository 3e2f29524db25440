import { isolateBidi, type ErrorBody } from '@callcenter/shared';
import type { AgentIntent, CallIntent } from '@callcenter/shared/machines';
import type { Translate } from '@callcenter/client';

// The customer a take named, as the queue showed them when the agent picked them.
function takenName(intent: Extract<AgentIntent, { kind: 'take' }>, t: Translate): string {
  return intent.displayName === null ? t('errors.thisCustomer') : isolateBidi(intent.displayName);
}

// The colleague a transfer named, as the team list showed them.
function colleagueName(intent: Extract<AgentIntent, { kind: 'transfer' }>, t: Translate): string {
  return intent.toName === null ? t('errors.thatColleague') : isolateBidi(intent.toName);
}

/** A refusal of a transfer, in words for the agent. */
function describeTransferError(
  error: ErrorBody,
  intent: Extract<AgentIntent, { kind: 'transfer' }>,
  t: Translate,
): string {
  const name = colleagueName(intent, t);
  switch (error.code) {
    case 'agent_away':
      return t('errors.transfer.away', { name });
    case 'agent_busy':
      return t('errors.transfer.busy', { name });
    case 'not_in_chat':
      return t('errors.transfer.ended');
    case 'forbidden':
      return t('errors.transfer.notYours');
    case 'not_found':
      return t('errors.transfer.gone', { name });
    default:
      return t('errors.transfer.other', { why: describeError(error, null, t) });
  }
}

/** A refusal, in words for the agent, given what the agent was trying to do. */
export function describeError(error: ErrorBody, intent: AgentIntent | null, t: Translate): string {
  if (intent?.kind === 'transfer') return describeTransferError(error, intent, t);
  switch (error.code) {
    case 'not_found':
      if (intent?.kind === 'start') return t('errors.nobodyWaiting');
      if (intent?.kind === 'take') return t('errors.leftQueue', { name: takenName(intent, t) });
      return t('errors.notFound');
    case 'already_claimed':
      return intent?.kind === 'take'
        ? t('errors.takenByOther', { name: takenName(intent, t) })
        : t('errors.alreadyTaken');
    case 'agent_busy':
      return t('errors.atCapacity');
    case 'agent_away':
      return t('errors.away');
    case 'forbidden':
      return intent?.kind === 'end' ? t('errors.otherAgentsChat') : t('errors.notAllowed');
    case 'invalid_credentials':
      return t('errors.invalidCredentials');
    case 'account_disabled':
      return t('errors.disabled');
    case 'rate_limited':
      return intent?.kind === 'login' ? t('errors.loginRateLimited') : t('errors.rateLimited');
    case 'unauthorized':
      return t('errors.sessionEnded');
    case 'unavailable':
      return t('errors.unavailable');
    case 'internal':
      return t('errors.internal');
    default:
      // The server's own message is English prose for developers; the agent gets words.
      return t('errors.refused');
  }
}

/** Why a message to `customerName` was not sent (R9). */
export function describeSendError(error: ErrorBody, customerName: string, t: Translate): string {
  const name = isolateBidi(customerName);
  switch (error.code) {
    case 'assigned_to_other':
      return t('errors.send.otherAgent', { name });
    case 'agent_busy':
      return t('errors.send.atCapacity', { name });
    case 'agent_away':
      return t('errors.send.away', { name });
    case 'not_found':
      return t('errors.send.unknown', { name });
    case 'unavailable':
      return t('errors.send.unavailable');
    case 'rate_limited':
      return t('errors.send.rateLimited');
    default:
      return t('errors.send.other', { why: describeError(error, null, t) });
  }
}

/** Why a call ask failed (`intent`: what the agent pressed), in words for the agent. */
export function describeCallError(
  error: ErrorBody,
  intent: CallIntent | null,
  t: Translate,
): string {
  const ask = t(`errors.call.ask.${intent?.kind ?? 'start'}`);
  switch (error.code) {
    case 'already_claimed':
      return intent?.kind === 'accept'
        ? t('errors.call.answeredElsewhere')
        : t('errors.call.alreadyEnded', { ask });
    case 'not_in_chat':
      return t('errors.call.chatEnded', { ask });
    case 'agent_busy':
      return t('errors.call.otherCall', { ask });
    case 'not_found':
      return t('errors.call.gone', { ask });
    case 'forbidden':
      return t('errors.call.notYours', { ask });
    default:
      return t('errors.call.other', { ask, why: describeError(error, null, t) });
  }
}
