import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@callcenter/shared';
import { awaitingReply, conversationMessages, inboxOrder } from './inbox';

let seq = 0;
function message(
  customerId: string,
  priority: number,
  second: number,
  role: 'customer' | 'agent' = 'customer',
  conversationId = `conv-${customerId}`,
): ChatMessage {
  seq += 1;
  return {
    id: `m-${seq}`,
    seq,
    clientMsgId: `c-${seq}`,
    conversationId,
    customerId,
    sender: { role, id: role === 'agent' ? 'agent-1' : customerId, displayName: customerId },
    text: `message ${seq}`,
    priority,
    createdAt: `2030-01-01T10:00:${String(second).padStart(2, '0')}.000Z`,
  };
}

describe('inbox', () => {
  it('orders customer messages by priority, then time, then sequence; agents’ are left out', () => {
    const standard = message('sam', 1, 1);
    const gold = message('gus', 2, 2);
    const platinum = message('pia', 3, 3);
    const goldEarlier = message('gil', 2, 0);
    const reply = message('pia', 3, 4, 'agent');
    const sameTime = message('gus', 2, 2);
    const ordered = inboxOrder([standard, gold, reply, platinum, sameTime, goldEarlier]);
    expect(ordered.map((m) => m.id)).toEqual([
      platinum.id,
      goldEarlier.id,
      gold.id,
      sameTime.id,
      standard.id,
    ]);
  });

  it('keeps only what came after the last agent message to that customer as awaiting reply', () => {
    const first = message('pia', 3, 1);
    const answered = message('pia', 3, 2, 'agent');
    const again = message('pia', 3, 3);
    const other = message('sam', 1, 4);
    expect(awaitingReply([first, answered, again, other]).map((m) => m.id)).toEqual([
      again.id,
      other.id,
    ]);
  });

  it('never counts a server notice (a transfer) as a reply', () => {
    const asked = message('pia', 3, 1);
    const handedOver: ChatMessage = {
      ...message('pia', 3, 2, 'agent'),
      notice: { kind: 'transferred', from: { id: 'agent-1', displayName: 'Ada' }, to: null },
    };
    expect(awaitingReply([asked, handedOver]).map((m) => m.id)).toEqual([asked.id]);
    expect(inboxOrder([asked, handedOver]).map((m) => m.id)).toEqual([asked.id]);
  });

  it('lists how a call the customer placed ended, and never counts a call as awaiting or as a reply', () => {
    const asked = message('pia', 3, 1);
    const call = (role: 'customer' | 'agent', event: 'started' | 'answered' | 'ended') => ({
      ...message('pia', 3, 2, role),
      call: {
        callId: 'call-1',
        event,
        direction:
          role === 'customer' ? ('customer_to_agent' as const) : ('agent_to_customer' as const),
        reason: event === 'ended' ? ('missed' as const) : null,
        durationSeconds: null,
      },
    });
    const rang = call('customer', 'started');
    const missed = call('customer', 'ended');
    const agentCalled = call('agent', 'ended');
    const all = [asked, rang, missed, agentCalled];
    expect(inboxOrder(all).map((m) => m.id)).toEqual([asked.id, missed.id]);
    // The agent's call back is no reply: the question still waits; the missed call does not.
    expect(awaitingReply(all).map((m) => m.id)).toEqual([asked.id]);
  });

  it('gives one conversation oldest first', () => {
    const early = message('pia', 3, 1, 'agent', 'conv-x');
    const elsewhere = message('pia', 3, 2, 'customer', 'conv-y');
    const late = message('pia', 3, 5, 'customer', 'conv-x');
    expect(conversationMessages([late, elsewhere, early], 'conv-x').map((m) => m.id)).toEqual([
      early.id,
      late.id,
    ]);
  });
});
