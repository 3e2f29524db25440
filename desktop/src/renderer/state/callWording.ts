// How the console words a voice call: the call bar's running time and ended note, and the call
// events in the transcript and the inbox. Pure, so it is tested on its own.
import { isolateBidi, type CallEndReason, type ChatMessage } from '@callcenter/shared';
import { callEventText, englishTranslate } from '@callcenter/client';

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

/** The console could not open the agent's microphone: what to do about it. */
export const MICROPHONE_MISSING_TEXT =
  'Your microphone is blocked or missing. Allow this console to use the microphone (or plug one in), then call again.';

function whoHungUp(facts: EndedCallFacts, name: string): string {
  if (facts.hungUpHere) return facts.answered ? 'you hung up' : 'you cancelled the call';
  // Only the customer can end what this window is in, short of the agent pressing Hang up here.
  if (facts.inCallHere) return `${name} hung up`;
  if (!facts.answered && !facts.placedByAgent) return `${name} hung up before it was answered`;
  return 'hung up';
}

/** The note shown after a call: "Call ended — <why>". */
export function callEndedText(facts: EndedCallFacts): string {
  const name = isolateBidi(facts.customerName);
  switch (facts.reason) {
    case 'declined':
      return facts.placedByAgent ? `Call ended — ${name} declined.` : 'Call ended — you declined.';
    case 'missed':
      return facts.placedByAgent
        ? `Call ended — ${name} did not answer.`
        : `Call ended — missed call from ${name}.`;
    case 'failed':
      return 'Call ended — the connection failed.';
    case 'conversation_ended':
      return 'Call ended — the chat ended.';
    case 'disconnected':
      return 'Call ended — a connection was lost.';
    case 'no_microphone':
      return facts.ownMicrophoneMissing
        ? `Call ended — ${MICROPHONE_MISSING_TEXT}`
        : `Call ended — ${name}'s microphone is blocked or missing.`;
    case 'hangup':
      return `Call ended — ${whoHungUp(facts, name)}.`;
    case null:
      return 'Call ended.';
  }
}

/** What the inbox shows for a message: its text, or its call event with a phone. */
export function messagePreview(message: ChatMessage): string {
  const event = callEventText(message, englishTranslate);
  return event === null ? message.text : `📞 ${event}`;
}
