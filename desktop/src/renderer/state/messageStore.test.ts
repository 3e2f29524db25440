import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@callcenter/shared';
import { createMessageStore, type PendingMessage } from './messageStore';

function message(
  id: string,
  role: 'agent' | 'customer',
  clientMsgId = `client-${id}`,
): ChatMessage {
  return {
    id,
    seq: Number(id.replace(/\D/g, '')) || 1,
    clientMsgId,
    conversationId: 'conv-1',
    customerId: 'cust-1',
    sender: { role, id: role === 'agent' ? 'agent-1' : 'cust-1', displayName: role },
    text: 'hello',
    priority: 1,
    createdAt: '2030-01-01T10:00:00.000Z',
  };
}

describe('message store', () => {
  it('keeps one copy per server id, whether it came by push or by sync', () => {
    const store = createMessageStore();
    store.getState().add([message('m1', 'customer'), message('m2', 'customer')]);
    store.getState().add([message('m2', 'customer')]);
    expect([...store.getState().byId.keys()]).toEqual(['m1', 'm2']);
  });

  it('settles a pending message when the stored one arrives, and keeps failures until dropped', () => {
    const store = createMessageStore();
    const reply = (clientMsgId: string, queuedAt: number): PendingMessage => ({
      clientMsgId,
      userId: 'agent-1',
      to: 'cust-1',
      text: clientMsgId,
      queuedAt,
      failure: null,
    });
    store.getState().putPending(reply('a-1', 1));
    store.getState().putPending(reply('a-2', 2));
    expect(store.getState().pending.map((p) => p.clientMsgId)).toEqual(['a-1', 'a-2']);

    store.getState().add([message('m5', 'agent', 'a-1')]);
    expect(store.getState().pending.map((p) => p.clientMsgId)).toEqual(['a-2']);

    const taken = { code: 'assigned_to_other' as const, message: 'taken' };
    store.getState().putPending({ ...reply('a-2', 2), attempts: 1, failure: taken });
    expect(store.getState().pending).toEqual([{ ...reply('a-2', 2), attempts: 1, failure: taken }]);
    // A late update to a reply its push already settled does not bring it back.
    store.getState().putPending({ ...reply('a-1', 1), attempts: 1, failure: taken });
    expect(store.getState().pending.map((p) => p.clientMsgId)).toEqual(['a-2']);
    store.getState().removePending(['a-2']);
    expect(store.getState().pending).toEqual([]);
  });

  it('never moves the replay cursor backwards, and forgets everything on reset', () => {
    const store = createMessageStore();
    store.getState().setCursor(9);
    store.getState().setCursor(4);
    expect(store.getState().cursor).toBe(9);
    store.getState().add([message('m1', 'customer')]);
    store.getState().reset();
    expect(store.getState()).toMatchObject({ cursor: null, pending: [] });
    expect(store.getState().byId.size).toBe(0);
  });
});
