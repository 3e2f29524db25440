// How the customer app words a call: why Call cannot be used now, why a call ended, a failed
// ask. Pure, so it is tested on its own.
import { isolateBidi, type CallEndReason, type ErrorBody } from '@callcenter/shared';
import type { Translate } from '@callcenter/client';

/** The customer's microphone could not be opened: what to do about it (a locale key). */
export const MICROPHONE_BLOCKED_KEY = 'call.microphoneBlocked';

/** Why Call is disabled, or null when it works. */
export function callBlockedText(
  facts: {
    inConversation: boolean;
    online: boolean;
    callOn: boolean;
    busy: boolean;
  },
  t: Translate,
): string | null {
  if (!facts.inConversation) return t('call.blocked.notInConversation');
  if (!facts.online) return t('call.blocked.offline');
  if (facts.callOn) return t('call.blocked.callOn');
  if (facts.busy) return t('call.blocked.busy');
  return null;
}

/** The note back in the chat after a call. */
export function callEndedText(
  facts: {
    reason: CallEndReason | null;
    agentName: string;
    placedByMe: boolean;
    ownMicrophoneBlocked: boolean;
  },
  t: Translate,
): string {
  const name = isolateBidi(facts.agentName);
  switch (facts.reason) {
    case 'declined':
      return facts.placedByMe
        ? t('call.ended.declinedByAgent', { name })
        : t('call.ended.declinedByYou');
    case 'missed':
      return facts.placedByMe
        ? t('call.ended.notAnswered', { name })
        : t('call.ended.missed', { name });
    case 'failed':
      return t('call.ended.failed');
    case 'conversation_ended':
      return t('call.ended.chatEnded');
    case 'disconnected':
      return t('call.ended.disconnected');
    case 'no_microphone':
      return facts.ownMicrophoneBlocked
        ? t(MICROPHONE_BLOCKED_KEY)
        : t('call.ended.agentMicrophone', { name });
    case 'hangup':
      return t('call.ended.ended');
    case null:
      return t('call.ended.ended');
  }
}

/** A call ask the server refused. */
export function callErrorText(error: ErrorBody, t: Translate): string {
  switch (error.code) {
    case 'not_in_chat':
      return t('call.error.notInChat');
    case 'already_claimed':
      return t('call.error.alreadyClaimed');
    case 'agent_busy':
      return t('call.error.agentBusy');
    case 'unavailable':
      return t('errors.unavailable');
    case 'rate_limited':
      return t('errors.rateLimited');
    default:
      return t('call.error.failed');
  }
}
