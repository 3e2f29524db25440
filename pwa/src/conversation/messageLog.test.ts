import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@callcenter/shared';
import type { OutboxEntry } from '@callcenter/client';
import { chatLines, deliveryLabel, mergeMessages } from './messageLog';
import { translatorFor } from '../i18n/i18n';

const t = translatorFor('en');

const customer = { role: 'customer' as const, id: 'cust-1', displayName: 'Carol' };
const agent = { role: 'agent' as const, id: 'agent-1', displayName: 'Ada' };

function message(seq: number, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: `m-${seq}`,
    seq,
    clientMsgId: `c-${seq}`,
    conversationId: 'conv-1',
    customerId: 'cust-1',
    sender: customer,
    text: `message ${seq}`,
    priority: 2,
    createdAt: new Date(Date.UTC(2026, 10, 22, 2, 0, seq)).toISOString(),
    ...overrides,
  };
}

function unsent(clientMsgId: string, queuedAt: number, failure = false): OutboxEntry {
  return {
    clientMsgId,
    userId: 'cust-1',
    text: `unsent ${clientMsgId}`,
    queuedAt,
    failure: failure ? { code: 'not_in_chat', message: 'chat ended' } : null,
  };
}

describe('mergeMessages', () => {
  it('keeps each message once, oldest to newest by server sequence', () => {
    const merged = mergeMessages([message(5), message(2)], [message(9), message(2), message(7)]);
    expect(merged.map((m) => m.seq)).toEqual([2, 5, 7, 9]);
  });

  it('returns the same list when nothing is new, so views do not re-render', () => {
    const held = [message(1), message(2)];
    expect(mergeMessages(held, [message(2)])).toBe(held);
    expect(mergeMessages(held, [])).toBe(held);
  });
});

describe('chatLines', () => {
  it('shows a call’s events as event lines in their words, never as the customer’s own', () => {
    const call = (event: 'started' | 'ended', durationSeconds: number | null) => ({
      callId: 'call-1',
      event,
      direction: 'customer_to_agent' as const,
      reason: event === 'ended' ? ('hangup' as const) : null,
      durationSeconds,
    });
    const lines = chatLines({
      t,
      messages: [
        message(1, { text: 'Voice call from Carol', call: call('started', null) }),
        message(2, { text: 'Voice call ended after 2:31 (hung up)', call: call('ended', 151) }),
        message(3, { sender: agent, text: 'Thanks for the call' }),
      ],
      outbox: [],
      conversationId: 'conv-1',
      online: true,
    });
    expect(
      lines.map(({ text, own, callEvent, delivery }) => [text, own, callEvent, delivery]),
    ).toEqual([
      ['Voice call from \u2068Carol\u2069', false, true, null],
      ['Call ended · 2:31', false, true, null],
      ['Thanks for the call', false, false, null],
    ]);
  });

  it('shows the current conversation, then unsent messages in the order written', () => {
    const lines = chatLines({
      t,
      messages: mergeMessages(
        [],
        [
          message(1, { conversationId: 'old' }),
          message(3, { sender: agent, clientMsgId: 'a-3' }),
          message(2),
        ],
      ),
      outbox: [unsent('late', 20), unsent('early', 10)],
      conversationId: 'conv-1',
      online: true,
    });
    expect(lines.map((line) => [line.text, line.authorName, line.delivery])).toEqual([
      ['message 2', 'You', 'sent'],
      ['message 3', 'Ada', null],
      ['unsent early', 'You', 'sending'],
      ['unsent late', 'You', 'sending'],
    ]);
  });

  it('says "waiting to send" offline, and shows refusals', () => {
    const lines = chatLines({
      t,
      messages: [],
      outbox: [unsent('a', 1), unsent('b', 2, true)],
      conversationId: null,
      online: false,
    });
    expect(lines.map((line) => line.delivery)).toEqual(['waiting', 'failed']);
    expect(lines[1]?.failure?.code).toBe('not_in_chat');
    expect(lines.map((line) => line.clientMsgId)).toEqual(['a', 'b']);
  });

  it('never shows a message twice when its ack was lost but the server stored it', () => {
    const lines = chatLines({
      t,
      messages: [message(4, { clientMsgId: 'retried' })],
      outbox: [unsent('retried', 1)],
      conversationId: 'conv-1',
      online: true,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.delivery).toBe('sent');
  });

  it('shows no stored messages before the server names a conversation', () => {
    expect(
      chatLines({ t, messages: [message(1)], outbox: [], conversationId: null, online: true }),
    ).toEqual([]);
  });
});

describe('deliveryLabel', () => {
  it('names every delivery state', () => {
    expect(
      (['sent', 'sending', 'waiting', 'failed'] as const).map((state) => deliveryLabel(state, t)),
    ).toEqual(['Sent', 'Sending…', 'Waiting to send', 'Not sent']);
  });
});
