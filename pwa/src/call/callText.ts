// How the customer app words a call: why Call cannot be used now, why a call ended, a failed
// ask. Pure, so it is tested on its own.
import { isolateBidi, type CallEndReason, type ErrorBody } from '@callcenter/shared';

/** The customer's microphone could not be opened: what to do about it. */
export const MICROPHONE_BLOCKED_TEXT =
  "Your microphone is blocked. Allow microphone access for this app in your phone's settings to make calls.";

/** Why Call is disabled, or null when it works. */
export function callBlockedText(facts: {
  inConversation: boolean;
  online: boolean;
  callOn: boolean;
  busy: boolean;
}): string | null {
  if (!facts.inConversation) return 'Calls are possible once an agent is chatting with you.';
  if (!facts.online) return "You're offline: calls need a connection.";
  if (facts.callOn) return 'A call is already on.';
  if (facts.busy) return 'One moment…';
  return null;
}

/** The note back in the chat after a call. */
export function callEndedText(facts: {
  reason: CallEndReason | null;
  agentName: string;
  placedByMe: boolean;
  ownMicrophoneBlocked: boolean;
}): string {
  const name = isolateBidi(facts.agentName);
  switch (facts.reason) {
    case 'declined':
      return facts.placedByMe ? `Call ended: ${name} declined.` : 'Call ended: you declined.';
    case 'missed':
      return facts.placedByMe
        ? `Call ended: ${name} did not answer.`
        : `You missed a call from ${name}.`;
    case 'failed':
      return 'Call ended: the connection failed.';
    case 'conversation_ended':
      return 'Call ended: the chat ended.';
    case 'disconnected':
      return 'Call ended: the connection was lost.';
    case 'no_microphone':
      return facts.ownMicrophoneBlocked
        ? MICROPHONE_BLOCKED_TEXT
        : `Call ended: ${name}'s microphone is not available.`;
    case 'hangup':
      return 'Call ended.';
    case null:
      return 'Call ended.';
  }
}

/** A call ask the server refused. */
export function callErrorText(error: ErrorBody): string {
  switch (error.code) {
    case 'not_in_chat':
      return 'Calls are possible only during a chat with an agent.';
    case 'already_claimed':
      return 'This call was already answered on another device, or has ended.';
    case 'agent_busy':
      return 'Your agent is on another call right now. Try again in a moment.';
    case 'unavailable':
      return "Can't reach the server right now. Try again when you're back online.";
    case 'rate_limited':
      return 'That was a lot at once. Wait a second and try again.';
    default:
      return 'The call could not go through. Please try again.';
  }
}
