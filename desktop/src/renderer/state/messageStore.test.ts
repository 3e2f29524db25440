import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@callcenter/shared';
import { createMessageStore } from './messageStore';

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
    store.getState().addPending({ clientMsgId: 'a-1', customerId: 'cust-1', text: 'hi' });
    store.getState().addPending({ clientMsgId: 'a-2', customerId: 'cust-1', text: 'there' });
    expect(store.getState().pending.map((p) => p.status)).toEqual(['sending', 'sending']);

    store.getState().add([message('m5', 'agent', 'a-1')]);
    expect(store.getState().pending.map((p) => p.clientMsgId)).toEqual(['a-2']);

    store.getState().markFailed('a-2', { code: 'assigned_to_other', message: 'taken' });
    expect(store.getState().pending[0]).toMatchObject({
      status: 'failed',
      error: { code: 'assigned_to_other' },
    });
    store.getState().markSending('a-2');
    expect(store.getState().pending[0]).toMatchObject({ status: 'sending', error: null });
    store.getState().discardPending('a-2');
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
