import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError, type ChatMessage, type CustomerToServerEvents } from '@callcenter/shared';
import { connectSocket, useTestStack } from '@callcenter/devstack/testing';
import { OUTBOX_RETRY, drainOutbox, type OutboxEntry, type OutboxStore } from './outbox';
import { request, type ClientSocket } from './request';

const suite = useTestStack();
const opened: ClientSocket<CustomerToServerEvents>[] = [];

afterEach(() => {
  for (const socket of opened.splice(0)) socket.close();
});

/** The outbox port in memory (the PWA's adapter is IndexedDB, which Node does not have). */
class MemoryOutbox implements OutboxStore {
  readonly entries = new Map<string, OutboxEntry>();
  outbox(userId: string): Promise<OutboxEntry[]> {
    return Promise.resolve([...this.entries.values()].filter((entry) => entry.userId === userId));
  }
  outboxEntry(clientMsgId: string): Promise<OutboxEntry | undefined> {
    return Promise.resolve(this.entries.get(clientMsgId));
  }
  putOutboxEntry(entry: OutboxEntry): Promise<void> {
    this.entries.set(entry.clientMsgId, entry);
    return Promise.resolve();
  }
  removeOutboxEntries(clientMsgIds: readonly string[]): Promise<void> {
    for (const id of clientMsgIds) this.entries.delete(id);
    return Promise.resolve();
  }
  clearOutbox(userId: string): Promise<void> {
    for (const [id, entry] of this.entries) if (entry.userId === userId) this.entries.delete(id);
    return Promise.resolve();
  }
}

async function connectCustomer(): Promise<{
  socket: ClientSocket<CustomerToServerEvents>;
  userId: string;
}> {
  const { token, user } = await suite.stack.login(await suite.stack.createCustomer());
  const socket = await connectSocket<CustomerToServerEvents>(suite.stack.url, token);
  opened.push(socket);
  return { socket, userId: user.id };
}

function entry(userId: string, clientMsgId: string, queuedAt: number): OutboxEntry {
  return { clientMsgId, userId, text: clientMsgId, queuedAt, failure: null };
}

describe('drainOutbox', () => {
  it('sends oldest first, keeps a refusal with its reason, retries server trouble later', async () => {
    const { socket, userId } = await connectCustomer();
    const store = new MemoryOutbox();
    const sent: ChatMessage[] = [];
    let refusals = 0;
    const drain = () =>
      drainOutbox({
        store,
        userId,
        canSend: () => true,
        send: async ({ clientMsgId, text }) =>
          (await request(socket, 'message.send', { clientMsgId, text })).message,
        onSent: (message) => {
          sent.push(message);
        },
        onFailed: () => {
          refusals += 1;
        },
      });

    // No chat yet: the server refuses for good, and the message waits for the customer.
    await store.putOutboxEntry(entry(userId, 'early', 1));
    expect(await drain()).toEqual({ end: 'done' });
    expect(refusals).toBe(1);
    expect((await store.outboxEntry('early'))?.failure?.code).toBe('not_in_chat');

    await request(socket, 'chat.request', {});
    await store.putOutboxEntry(entry(userId, 'second', 20));
    await store.putOutboxEntry(entry(userId, 'first', 10));
    expect(await drain()).toEqual({ end: 'done' });
    expect(sent.map((message) => message.text)).toEqual(['first', 'second']);
    expect([...store.entries.keys()]).toEqual(['early']);

    socket.disconnect();
    await store.putOutboxEntry(entry(userId, 'offline', 30));
    expect(await drain()).toEqual({ end: 'retry', afterMs: OUTBOX_RETRY.backoffMs(1) });
    expect(store.entries.get('offline')).toMatchObject({ failure: null, attempts: 1 });
  });

  it('fails a message that ran out of tries under a bounded policy, and goes on with the next', async () => {
    const { socket, userId } = await connectCustomer();
    await request(socket, 'chat.request', {});
    const store = new MemoryOutbox();
    const failed: string[] = [];
    const sent: string[] = [];
    // 'flaky' meets trouble on every try (as an ack that never comes would); 'steady' goes through.
    const drain = () =>
      drainOutbox({
        store,
        userId,
        policy: { maxAttempts: 2, backoffMs: () => 10 },
        canSend: () => true,
        send: async ({ clientMsgId, text }) => {
          if (clientMsgId === 'flaky') throw new ProtocolError('unavailable', 'No answer.');
          return (await request(socket, 'message.send', { clientMsgId, text })).message;
        },
        onSent: (message) => {
          sent.push(message.text);
        },
        onFailed: (entry) => {
          failed.push(entry.clientMsgId);
        },
      });

    await store.putOutboxEntry(entry(userId, 'flaky', 1));
    await store.putOutboxEntry(entry(userId, 'steady', 2));
    expect(await drain()).toEqual({ end: 'retry', afterMs: 10 });
    expect(sent).toEqual([]);
    // The second try is the last: the message fails with the server's reason, the next one goes.
    expect(await drain()).toEqual({ end: 'done' });
    expect(failed).toEqual(['flaky']);
    expect(sent).toEqual(['steady']);
    expect(store.entries.get('flaky')).toMatchObject({
      attempts: 2,
      failure: { code: 'unavailable', message: 'No answer.' },
    });
  });
});
