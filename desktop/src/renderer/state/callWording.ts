// How the console words a voice call: the call bar's running time and ended note, and the call
// events in the transcript and the inbox. Pure, so it is tested on its own.
import { isolateBidi, type CallEndReason, type ChatMessage } from '@callcenter/shared';
import { callEventText, type Translate } from '@callcenter/client';

// The wording both apps share lives in the client core.
export { callEventText, callLength, callTimer, secondsSince } from '@callcenter/client';

export interface EndedCallFacts {
  reason: CallEndReason | null;
  /** The customer on the other end. */
  customerName: string;
  /** This agent placed the call. */
  placedByAgent: boolean;
  answered: boolean;
  /** This window placed or answered the call. */
  inCallHere: boolean;
  /** The agent hung up (or cancelled) in this window. */
  hungUpHere: boolean;
  /** This window ended the call because its microphone could not be opened. */
  ownMicrophoneMissing: boolean;
}

/** The console could not open the agent's microphone: what to do about it (a locale key). */
export const MICROPHONE_MISSING_KEY = 'call.ended.microphoneMissing';

function whoHungUp(facts: EndedCallFacts, name: string, t: Translate): string {
  if (facts.hungUpHere) {
    return facts.answered ? t('call.ended.youHungUp') : t('call.ended.youCancelled');
  }
  // Only the customer can end what this window is in, short of the agent pressing Hang up here.
  if (facts.inCallHere) return t('call.ended.customerHungUp', { name });
  if (!facts.answered && !facts.placedByAgent) {
    return t('call.ended.customerHungUpEarly', { name });
  }
  return t('call.ended.hungUp');
}

/** The note shown after a call: "Call ended — <why>". */
export function callEndedText(facts: EndedCallFacts, t: Translate): string {
  const name = isolateBidi(facts.customerName);
  const why = (text: string): string => t('call.ended.why', { why: text });
  switch (facts.reason) {
    case 'declined':
      return why(
        facts.placedByAgent
          ? t('call.ended.customerDeclined', { name })
          : t('call.ended.youDeclined'),
      );
    case 'missed':
      return why(
        facts.placedByAgent
          ? t('call.ended.notAnswered', { name })
          : t('call.ended.missed', { name }),
      );
    case 'failed':
      return why(t('call.ended.failed'));
    case 'conversation_ended':
      return why(t('call.ended.chatEnded'));
    case 'disconnected':
      return why(t('call.ended.disconnected'));
    case 'no_microphone':
      return why(
        facts.ownMicrophoneMissing
          ? t(MICROPHONE_MISSING_KEY)
          : t('call.ended.customerMicrophone', { name }),
      );
    case 'hangup':
      return why(`${whoHungUp(facts, name, t)}.`);
    case null:
      return t('call.ended.plain');
  }
}

/** What the inbox shows for a message: its text, or its call event with a phone. */
export function messagePreview(message: ChatMessage, t: Translate): string {
  const event = callEventText(message, t);
  return event === null ? message.text : `📞 ${event}`;
}
