import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentToServerEvents, CustomerToServerEvents } from '@callcenter/shared';
import { request } from '@callcenter/client';
import { connectSocket, useTestStack } from '@callcenter/devstack/testing';
import { createMessageStore, pendingOutbox, type MessageStore } from '../state/messageStore';
import { LINK_WAIT_MS, ReplyOutbox } from './replyOutbox';

const suite = useTestStack();
const opened: { close: () => void }[] = [];
const outboxes: ReplyOutbox[] = [];

afterEach(() => {
  vi.useRealTimers();
  for (const outbox of outboxes.splice(0)) outbox.close();
  for (const socket of opened.splice(0)) socket.close();
});

/** A signed-in agent's outbox over a real socket, and a customer waiting in the queue. */
async function agentWithWaitingCustomer(): Promise<{
  outbox: ReplyOutbox;
  messages: MessageStore;
  customerId: string;
}> {
  const { stack } = suite;
  const agent = await stack.login(await stack.createAgent());
  const socket = await connectSocket<AgentToServerEvents>(stack.url, agent.token);
  opened.push(socket);
  const customer = await stack.login(await stack.createCustomer());
  const customerSocket = await connectSocket<CustomerToServerEvents>(stack.url, customer.token);
  opened.push(customerSocket);
  await request(customerSocket, 'chat.request', {});
  const messages = createMessageStore();
  const outbox = new ReplyOutbox({
    store: pendingOutbox(messages),
    userId: agent.user.id,
    send: async ({ to, clientMsgId, text }) =>
      (await request(socket, 'message.send', { customerId: to, clientMsgId, text })).message,
  });
  outboxes.push(outbox);
  return { outbox, messages, customerId: customer.user.id };
}

describe('the console outbox', () => {
  it('keeps replies written before the link is ready, then sends them in the order written', async () => {
    const { outbox, messages, customerId } = await agentWithWaitingCustomer();
    const first = outbox.write(customerId, 'first');
    const second = outbox.write(customerId, 'second');
    await vi.waitUntil(() => messages.getState().pending.length === 2);
    expect(messages.getState().pending.map((p) => [p.text, p.to, p.failure])).toEqual([
      ['first', customerId, null],
      ['second', customerId, null],
    ]);

    outbox.setReady(true);
    const outcomes = await Promise.all([first, second]);
    expect(outcomes.map((outcome) => outcome.ok && outcome.message.text)).toEqual([
      'first',
      'second',
    ]);
    const [sentFirst, sentSecond] = outcomes.map((o) => (o.ok ? o.message.seq : 0));
    expect(sentFirst).toBeLessThan(sentSecond ?? 0);
    expect(messages.getState().pending).toEqual([]);
  });

  it('keeps a refused reply with its reason, for Retry (same id) or Discard', async () => {
    const { outbox, messages } = await agentWithWaitingCustomer();
    outbox.setReady(true);
    const refused = await outbox.write('no-such-customer', 'hello?');
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(messages.getState().pending).toMatchObject([
      { clientMsgId: refused.clientMsgId, failure: { code: 'not_found' } },
    ]);

    const again = await outbox.retry(refused.clientMsgId);
    expect(again).toMatchObject({ ok: false, clientMsgId: refused.clientMsgId });
    expect(messages.getState().pending).toHaveLength(1);

    await outbox.discard(refused.clientMsgId);
    expect(messages.getState().pending).toEqual([]);
    expect(await outbox.retry(refused.clientMsgId)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('shows a reply as not sent after half a minute without a link, and sends it on Retry', async () => {
    const { outbox, messages, customerId } = await agentWithWaitingCustomer();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const waiting = outbox.write(customerId, 'while offline');
    await vi.waitUntil(() => messages.getState().pending.length === 1);
    await vi.advanceTimersByTimeAsync(LINK_WAIT_MS);
    const failed = await waiting;
    expect(failed).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(messages.getState().pending[0]?.failure?.code).toBe('unavailable');
    vi.useRealTimers();

    outbox.setReady(true);
    const sent = await outbox.retry(failed.clientMsgId);
    expect(sent).toMatchObject({ ok: true, message: { text: 'while offline' } });
    expect(messages.getState().pending).toEqual([]);
  });

  it('tells every reply still waiting when the session ends', async () => {
    const { outbox, customerId } = await agentWithWaitingCustomer();
    const waiting = outbox.write(customerId, 'too late');
    outbox.close();
    expect(await waiting).toMatchObject({ ok: false, error: { message: 'Signed out.' } });
  });
});
