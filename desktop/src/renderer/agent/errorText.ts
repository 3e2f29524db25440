import { isolateBidi, type ErrorBody } from '@callcenter/shared';
import type { AgentIntent, CallIntent } from '@callcenter/shared/machines';

// The customer a take named, as the queue showed them when the agent picked them.
function takenName(intent: Extract<AgentIntent, { kind: 'take' }>): string {
  return intent.displayName === null ? 'This customer' : isolateBidi(intent.displayName);
}

// The colleague a transfer named, as the team list showed them.
function colleagueName(intent: Extract<AgentIntent, { kind: 'transfer' }>): string {
  return intent.toName === null ? 'That colleague' : isolateBidi(intent.toName);
}

/** A refusal of a transfer, in words for the agent. */
function describeTransferError(
  error: ErrorBody,
  intent: Extract<AgentIntent, { kind: 'transfer' }>,
): string {
  switch (error.code) {
    case 'agent_away':
      return `Not transferred: ${colleagueName(intent)} is away or offline now.`;
    case 'agent_busy':
      return `Not transferred: ${colleagueName(intent)} has no room for another chat.`;
    case 'not_in_chat':
      return 'Not transferred: the chat has ended.';
    case 'forbidden':
      return 'Not transferred: the chat is no longer yours.';
    case 'not_found':
      return `Not transferred: ${colleagueName(intent)} is no longer on the team.`;
    default:
      return `Not transferred. ${describeError(error, null)}`;
  }
}

/** A refusal, in words for the agent, given what the agent was trying to do. */
export function describeError(error: ErrorBody, intent: AgentIntent | null): string {
  if (intent?.kind === 'transfer') return describeTransferError(error, intent);
  switch (error.code) {
    case 'not_found':
      if (intent?.kind === 'start') {
        return 'No customer is waiting right now: another agent may have just taken the last one.';
      }
      if (intent?.kind === 'take') {
        return `${takenName(intent)} is no longer waiting: they left the queue.`;
      }
      return error.message;
    case 'already_claimed':
      return intent?.kind === 'take'
        ? `${takenName(intent)} was just taken by another agent.`
        : 'Another agent has already taken this customer.';
    case 'agent_busy':
      return 'You already have as many chats as you can take. End one before taking another customer.';
    case 'agent_away':
      return 'You are set to Away. Set yourself Available to take customers.';
    case 'forbidden':
      return intent?.kind === 'end'
        ? 'That conversation belongs to another agent.'
        : 'Your account is not allowed to do that.';
    case 'invalid_credentials':
      return 'Wrong login or password.';
    case 'account_disabled':
      return 'This account is disabled. Ask an administrator.';
    case 'rate_limited':
      return intent?.kind === 'login'
        ? 'Too many failed sign-ins. Wait a few minutes, then try again.'
        : 'Too many actions at once. Wait a moment and try again.';
    case 'unauthorized':
      return 'Your session has ended. Sign in again.';
    case 'unavailable':
      return 'The server did not answer. Check the connection and try again.';
    case 'internal':
      return 'Something went wrong on the server. Try again.';
    default:
      return error.message;
  }
}

/** Why a message to `customerName` was not sent (R9). */
export function describeSendError(error: ErrorBody, customerName: string): string {
  const name = isolateBidi(customerName);
  switch (error.code) {
    case 'assigned_to_other':
      return `Not sent: ${name} is in a conversation with another agent.`;
    case 'agent_busy':
      return `Not sent: you already have as many chats as you can take. End one before writing to ${name}.`;
    case 'agent_away':
      return `Not sent: you are set to Away. Set yourself Available to write to ${name}.`;
    case 'not_found':
      return `Not sent: ${name} is not a known customer.`;
    case 'unavailable':
      return 'Not sent: the server did not answer. Retry when the connection is back.';
    case 'rate_limited':
      return 'Not sent: too many messages at once. Retry in a moment.';
    default:
      return `Not sent: ${error.message}`;
  }
}

const CALL_ASK: Record<CallIntent['kind'], string> = {
  start: 'Could not call',
  accept: 'Could not answer the call',
  decline: 'Could not decline the call',
  end: 'Could not hang up',
};

/** Why a call ask failed (`intent`: what the agent pressed), in words for the agent. */
export function describeCallError(error: ErrorBody, intent: CallIntent | null): string {
  const ask = CALL_ASK[intent?.kind ?? 'start'];
  switch (error.code) {
    case 'already_claimed':
      return intent?.kind === 'accept'
        ? 'The call was answered in another window, or it has ended.'
        : `${ask}: the call has already ended.`;
    case 'not_in_chat':
      return `${ask}: the conversation has ended.`;
    case 'agent_busy':
      return `${ask}: you are on a call in another conversation. End it first.`;
    case 'not_found':
      return `${ask}: the call or conversation is no longer there.`;
    case 'forbidden':
      return `${ask}: this conversation is not yours.`;
    default:
      return `${ask}. ${describeError(error, null)}`;
  }
}
