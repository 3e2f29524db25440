// How the console words a voice call: the call bar's running time and ended note, and the call
// events in the transcript and the inbox. Pure, so it is tested on its own.
import { isolateBidi, type CallEndReason, type ChatMessage } from '@callcenter/shared';

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** The call bar's running time: `mm:ss`, or `h:mm:ss` past an hour. */
export function callTimer(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = `${twoDigits(minutes)}:${twoDigits(whole % 60)}`;
  return hours > 0 ? `${hours}:${rest}` : rest;
}

/** A finished call's length in the transcript: `2:31`, `1:02:03`. */
export function callLength(seconds: number): string {
  const timer = callTimer(seconds);
  return timer.startsWith('0') && timer.length === 5 ? timer.slice(1) : timer;
}

/** Seconds from `answeredAt` to `now`; 0 when the clocks disagree. */
export function secondsSince(answeredAt: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(answeredAt)) / 1000));
}

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

/** Why a call ended, where the transcript says so (an unexpected end). */
const HISTORY_REASON: Partial<Record<CallEndReason, string>> = {
  failed: 'connection failed',
  disconnected: 'connection lost',
  no_microphone: 'no microphone',
};

/** A call's event in the transcript, in words, or null for a message that is not one. */
export function callEventText(message: ChatMessage): string | null {
  const { call } = message;
  if (call === undefined) return null;
  switch (call.event) {
    case 'started':
      return `Voice call from ${isolateBidi(message.sender.displayName)}`;
    case 'answered':
      return 'Call answered';
    case 'ended': {
      const why = call.reason === null ? undefined : HISTORY_REASON[call.reason];
      const reason = why === undefined ? '' : ` (${why})`;
      if (call.durationSeconds !== null) {
        return `Call ended · ${callLength(call.durationSeconds)}${reason}`;
      }
      if (call.reason === 'missed') return 'Missed call';
      if (call.reason === 'declined') return 'Call declined';
      return `Call ended${reason}`;
    }
  }
}

/** What the inbox shows for a message: its text, or its call event with a phone. */
export function messagePreview(message: ChatMessage): string {
  const event = callEventText(message);
  return event === null ? message.text : `📞 ${event}`;
}
