import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatNotice } from '@callcenter/shared';
import { noticeText } from './noticeWording';
import { englishTranslate as t } from './language';

function noticeMessage(notice?: ChatNotice): ChatMessage {
  return {
    id: 'm1',
    seq: 1,
    clientMsgId: 'n1',
    conversationId: 'c1',
    customerId: 'cu1',
    sender: { role: 'agent', id: 'a1', displayName: 'Ada' },
    text: 'plain words',
    priority: 1,
    createdAt: '2030-01-01T10:00:00.000Z',
    ...(notice && { notice }),
  };
}

describe('notice wording', () => {
  it('tells the customer who they talk to now, and the agent who handed it to whom', () => {
    const transfer = noticeMessage({
      kind: 'transferred',
      from: { id: 'a1', displayName: 'Ada' },
      to: { id: 'a2', displayName: 'Bo' },
    });
    expect(noticeText(transfer, 'customer', t)).toBe('You are now talking to \u2068Bo\u2069');
    expect(noticeText(transfer, 'agent', t)).toBe(
      '\u2068Ada\u2069 transferred the chat to \u2068Bo\u2069',
    );
    const queued = noticeMessage({
      kind: 'transferred',
      from: { id: 'a1', displayName: 'Ada' },
      to: null,
    });
    expect(noticeText(queued, 'customer', t)).toMatch(/back in the queue/);
    expect(noticeText(queued, 'agent', t)).toBe('\u2068Ada\u2069 put the chat back in the queue');
  });

  it('words the idle warning with its time, and both closes', () => {
    const warning = noticeMessage({ kind: 'idleWarning', closesAt: '2030-01-01T10:05:00.000Z' });
    expect(noticeText(warning, 'customer', t)).toMatch(
      /^This chat will close at .+ unless you reply$/,
    );
    expect(noticeText(noticeMessage({ kind: 'closed', reason: 'idle' }), 'agent', t)).toMatch(
      /without messages/,
    );
    expect(noticeText(noticeMessage({ kind: 'closed', reason: 'supervisor' }), 'customer', t)).toBe(
      'A supervisor closed the chat',
    );
    expect(noticeText(noticeMessage({ kind: 'closed', reason: 'expired' }), 'customer', t)).toMatch(
      /offline for too long/,
    );
  });

  it('is null for what people wrote', () => {
    expect(noticeText(noticeMessage(), 'customer', t)).toBeNull();
  });
});
