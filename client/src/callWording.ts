// How a voice call is worded in both apps: the running time of a call, and its events in a
// transcript. Pure, so it is tested on its own.
import { isolateBidi, type CallEndReason, type ChatMessage } from '@callcenter/shared';
import type { Translate } from './language';

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

/** The ends the transcript explains (the unexpected ones); their words are `callEvent.why.*`. */
const EXPLAINED_ENDS: ReadonlySet<CallEndReason> = new Set([
  'failed',
  'disconnected',
  'no_microphone',
]);

/** A call's event in the transcript, in words, or null for a message that is not one. */
export function callEventText(message: ChatMessage, t: Translate): string | null {
  const { call } = message;
  if (call === undefined) return null;
  switch (call.event) {
    case 'started':
      return t('callEvent.started', { name: isolateBidi(message.sender.displayName) });
    case 'answered':
      return t('callEvent.answered');
    case 'ended': {
      const why =
        call.reason !== null && EXPLAINED_ENDS.has(call.reason)
          ? t(`callEvent.why.${call.reason}`)
          : null;
      if (call.durationSeconds !== null) {
        const length = callLength(call.durationSeconds);
        return why === null
          ? t('callEvent.endedAfter', { length })
          : t('callEvent.endedAfterWhy', { length, why });
      }
      if (call.reason === 'missed') return t('callEvent.missed');
      if (call.reason === 'declined') return t('callEvent.declined');
      return why === null ? t('callEvent.ended') : t('callEvent.endedWhy', { why });
    }
  }
}
