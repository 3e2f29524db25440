import { describe, expect, it } from 'vitest';
import type { CallHistoryEvent, ChatMessage } from '@callcenter/shared';
import {
  MICROPHONE_MISSING_KEY,
  callEndedText,
  callEventText,
  messagePreview,
} from './callWording';
import { englishTranslate } from '@callcenter/client';
import { translatorFor } from '../i18n/i18n';

const t = translatorFor('en');

const isolated = (name: string): string => `\u2068${name}\u2069`;

function callMessage(call: Partial<CallHistoryEvent>, callerName = 'Carol'): ChatMessage {
  return {
    id: 'm-1',
    seq: 1,
    clientMsgId: 'c-1',
    conversationId: 'conv-1',
    customerId: 'cust-1',
    sender: { role: 'customer', id: 'cust-1', displayName: callerName },
    text: 'Voice call',
    priority: 1,
    createdAt: '2030-01-01T10:00:00.000Z',
    call: {
      callId: 'call-1',
      event: 'ended',
      direction: 'customer_to_agent',
      reason: null,
      durationSeconds: null,
      ...call,
    },
  };
}

describe('the note after a call', () => {
  const facts = {
    customerName: 'Carol',
    placedByAgent: true,
    answered: true,
    inCallHere: true,
    hungUpHere: false,
    ownMicrophoneMissing: false,
  };

  it('says why, from the agent’s side', () => {
    expect(callEndedText({ ...facts, reason: 'declined' }, t)).toBe(
      `Call ended — ${isolated('Carol')} declined.`,
    );
    expect(callEndedText({ ...facts, placedByAgent: false, reason: 'declined' }, t)).toBe(
      'Call ended — you declined.',
    );
    expect(callEndedText({ ...facts, reason: 'missed' }, t)).toBe(
      `Call ended — ${isolated('Carol')} did not answer.`,
    );
    expect(callEndedText({ ...facts, placedByAgent: false, reason: 'missed' }, t)).toBe(
      `Call ended — missed call from ${isolated('Carol')}.`,
    );
    expect(callEndedText({ ...facts, reason: 'hangup' }, t)).toBe(
      `Call ended — ${isolated('Carol')} hung up.`,
    );
    expect(callEndedText({ ...facts, reason: 'hangup', hungUpHere: true }, t)).toBe(
      'Call ended — you hung up.',
    );
    expect(
      callEndedText({ ...facts, reason: 'hangup', hungUpHere: true, answered: false }, t),
    ).toBe('Call ended — you cancelled the call.');
    const ringingHere = { ...facts, placedByAgent: false, answered: false, inCallHere: false };
    expect(callEndedText({ ...ringingHere, reason: 'hangup' }, t)).toBe(
      `Call ended — ${isolated('Carol')} hung up before it was answered.`,
    );
    // Answered in another of the agent's windows: who hung up is not known here.
    expect(callEndedText({ ...facts, reason: 'hangup', inCallHere: false }, t)).toBe(
      'Call ended — hung up.',
    );
    expect(callEndedText({ ...facts, reason: 'failed' }, t)).toBe(
      'Call ended — the connection failed.',
    );
    expect(callEndedText({ ...facts, reason: 'disconnected' }, t)).toBe(
      'Call ended — a connection was lost.',
    );
    expect(callEndedText({ ...facts, reason: 'conversation_ended' }, t)).toBe(
      'Call ended — the chat ended.',
    );
    expect(callEndedText({ ...facts, reason: null }, t)).toBe('Call ended.');
  });

  it('tells the agent plainly when their own microphone is blocked or missing', () => {
    expect(
      callEndedText({ ...facts, reason: 'no_microphone', ownMicrophoneMissing: true }, t),
    ).toBe(`Call ended — ${t(MICROPHONE_MISSING_KEY)}`);
    expect(t(MICROPHONE_MISSING_KEY)).toMatch(/^Your microphone is blocked or missing/);
    expect(callEndedText({ ...facts, reason: 'no_microphone' }, t)).toBe(
      `Call ended — ${isolated('Carol')}'s microphone is blocked or missing.`,
    );
  });
});

describe('call events in the inbox', () => {
  it('previews a call event with a phone, and a message with its text', () => {
    expect(messagePreview(callMessage({ reason: 'missed' }), t)).toBe('📞 Missed call');
    const plain: ChatMessage = { ...callMessage({}), call: undefined };
    expect(callEventText({ ...plain, text: 'Hello' }, englishTranslate)).toBeNull();
    expect(messagePreview({ ...plain, text: 'Hello' }, t)).toBe('Hello');
  });
});
