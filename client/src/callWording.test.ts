import { describe, expect, it } from 'vitest';
import type { CallHistoryEvent, ChatMessage } from '@callcenter/shared';
import { callEventText, callLength, callTimer, secondsSince } from './callWording';
import { englishTranslate as t } from './language';

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

describe('call times', () => {
  it('runs the call bar timer as mm:ss, then h:mm:ss past an hour', () => {
    expect(callTimer(0)).toBe('00:00');
    expect(callTimer(7.9)).toBe('00:07');
    expect(callTimer(151)).toBe('02:31');
    expect(callTimer(3599)).toBe('59:59');
    expect(callTimer(3723)).toBe('1:02:03');
    expect(callTimer(-4)).toBe('00:00');
  });

  it('gives a finished call its length without a leading zero', () => {
    expect(callLength(5)).toBe('0:05');
    expect(callLength(151)).toBe('2:31');
    expect(callLength(600)).toBe('10:00');
    expect(callLength(3723)).toBe('1:02:03');
  });

  it('counts from the answer, never below zero when the clocks disagree', () => {
    const answeredAt = '2030-01-01T10:00:00.000Z';
    expect(secondsSince(answeredAt, Date.parse(answeredAt) + 61_500)).toBe(61);
    expect(secondsSince(answeredAt, Date.parse(answeredAt) - 2_000)).toBe(0);
  });
});

describe('call events in a transcript', () => {
  it('words each event of a call', () => {
    expect(callEventText(callMessage({ event: 'started' }), t)).toBe(
      `Voice call from ${isolated('Carol')}`,
    );
    expect(callEventText(callMessage({ event: 'answered' }), t)).toBe('Call answered');
    expect(callEventText(callMessage({ reason: 'hangup', durationSeconds: 151 }), t)).toBe(
      'Call ended · 2:31',
    );
    expect(callEventText(callMessage({ reason: 'missed' }), t)).toBe('Missed call');
    expect(callEventText(callMessage({ reason: 'declined' }), t)).toBe('Call declined');
    expect(callEventText(callMessage({ reason: 'conversation_ended' }), t)).toBe('Call ended');
  });

  it('adds the reason when a call ended unexpectedly', () => {
    expect(callEventText(callMessage({ reason: 'failed', durationSeconds: 65 }), t)).toBe(
      'Call ended · 1:05 (connection failed)',
    );
    expect(callEventText(callMessage({ reason: 'disconnected', durationSeconds: 3 }), t)).toBe(
      'Call ended · 0:03 (connection lost)',
    );
    expect(callEventText(callMessage({ reason: 'no_microphone' }), t)).toBe(
      'Call ended (no microphone)',
    );
  });
});
