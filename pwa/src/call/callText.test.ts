import { describe, expect, it } from 'vitest';
import { callBlockedText, callEndedText, callErrorText, MICROPHONE_BLOCKED_KEY } from './callText';
import { translatorFor } from '../i18n/i18n';

const t = translatorFor('en');

const isolated = (name: string): string => `\u2068${name}\u2069`;
const ready = { inConversation: true, online: true, callOn: false, busy: false };

describe('the customer app’s call wording', () => {
  it('says why Call cannot be used, in the order a customer would fix it', () => {
    expect(callBlockedText(ready, t)).toBeNull();
    expect(callBlockedText({ ...ready, inConversation: false, online: false }, t)).toMatch(
      /once an agent is chatting/,
    );
    expect(callBlockedText({ ...ready, online: false }, t)).toBe(
      "You're offline: calls need a connection.",
    );
    expect(callBlockedText({ ...ready, callOn: true }, t)).toBe('A call is already on.');
    expect(callBlockedText({ ...ready, busy: true }, t)).toBe('One moment…');
  });

  it('says why a call ended, from the customer’s side', () => {
    const facts = { agentName: 'Ada', placedByMe: true, ownMicrophoneBlocked: false };
    expect(callEndedText({ ...facts, reason: 'declined' }, t)).toBe(
      `Call ended: ${isolated('Ada')} declined.`,
    );
    expect(callEndedText({ ...facts, placedByMe: false, reason: 'declined' }, t)).toBe(
      'Call ended: you declined.',
    );
    expect(callEndedText({ ...facts, placedByMe: false, reason: 'missed' }, t)).toBe(
      `You missed a call from ${isolated('Ada')}.`,
    );
    expect(callEndedText({ ...facts, reason: 'missed' }, t)).toBe(
      `Call ended: ${isolated('Ada')} did not answer.`,
    );
    expect(callEndedText({ ...facts, reason: 'hangup' }, t)).toBe('Call ended.');
    expect(callEndedText({ ...facts, reason: 'failed' }, t)).toBe(
      'Call ended: the connection failed.',
    );
    expect(
      callEndedText({ ...facts, reason: 'no_microphone', ownMicrophoneBlocked: true }, t),
    ).toBe(t(MICROPHONE_BLOCKED_KEY));
    expect(callEndedText({ ...facts, reason: 'no_microphone' }, t)).toMatch(/Ada.*microphone/);
  });

  it('words a refused ask', () => {
    expect(callErrorText({ code: 'already_claimed', message: '' }, t)).toMatch(/another device/);
    expect(callErrorText({ code: 'internal', message: '' }, t)).toBe(
      'The call could not go through. Please try again.',
    );
  });
});
