import { describe, expect, it } from 'vitest';
import { callBlockedText, callEndedText, callErrorText, MICROPHONE_BLOCKED_TEXT } from './callText';

const isolated = (name: string): string => `\u2068${name}\u2069`;
const ready = { inConversation: true, online: true, callOn: false, busy: false };

describe('the customer app’s call wording', () => {
  it('says why Call cannot be used, in the order a customer would fix it', () => {
    expect(callBlockedText(ready)).toBeNull();
    expect(callBlockedText({ ...ready, inConversation: false, online: false })).toMatch(
      /once an agent is chatting/,
    );
    expect(callBlockedText({ ...ready, online: false })).toBe(
      "You're offline: calls need a connection.",
    );
    expect(callBlockedText({ ...ready, callOn: true })).toBe('A call is already on.');
    expect(callBlockedText({ ...ready, busy: true })).toBe('One moment…');
  });

  it('says why a call ended, from the customer’s side', () => {
    const facts = { agentName: 'Ada', placedByMe: true, ownMicrophoneBlocked: false };
    expect(callEndedText({ ...facts, reason: 'declined' })).toBe(
      `Call ended: ${isolated('Ada')} declined.`,
    );
    expect(callEndedText({ ...facts, placedByMe: false, reason: 'declined' })).toBe(
      'Call ended: you declined.',
    );
    expect(callEndedText({ ...facts, placedByMe: false, reason: 'missed' })).toBe(
      `You missed a call from ${isolated('Ada')}.`,
    );
    expect(callEndedText({ ...facts, reason: 'missed' })).toBe(
      `Call ended: ${isolated('Ada')} did not answer.`,
    );
    expect(callEndedText({ ...facts, reason: 'hangup' })).toBe('Call ended.');
    expect(callEndedText({ ...facts, reason: 'failed' })).toBe(
      'Call ended: the connection failed.',
    );
    expect(callEndedText({ ...facts, reason: 'no_microphone', ownMicrophoneBlocked: true })).toBe(
      MICROPHONE_BLOCKED_TEXT,
    );
    expect(callEndedText({ ...facts, reason: 'no_microphone' })).toMatch(/Ada.*microphone/);
  });

  it('words a refused ask', () => {
    expect(callErrorText({ code: 'already_claimed', message: '' })).toMatch(/another device/);
    expect(callErrorText({ code: 'internal', message: '' })).toBe(
      'The call could not go through. Please try again.',
    );
  });
});
