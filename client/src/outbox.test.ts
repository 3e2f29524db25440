import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, CustomerToServerEvents } from '@callcenter/shared';
import { connectSocket, useTestStack } from '@callcenter/devstack/testing';
import { drainOutbox, type OutboxEntry, type OutboxStore } from './outbox';
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
        onRefused: () => {
          refusals += 1;
          return Promise.resolve();
        },
      });

    // No chat yet: the server refuses for good, and the message waits for the customer.
    await store.putOutboxEntry(entry(userId, 'early', 1));
    expect(await drain()).toBe('done');
    expect(refusals).toBe(1);
    expect((await store.outboxEntry('early'))?.failure?.code).toBe('not_in_chat');

    await request(socket, 'chat.request', {});
    await store.putOutboxEntry(entry(userId, 'second', 20));
    await store.putOutboxEntry(entry(userId, 'first', 10));
    expect(await drain()).toBe('done');
    expect(sent.map((message) => message.text)).toEqual(['first', 'second']);
    expect([...store.entries.keys()]).toEqual(['early']);

    socket.disconnect();
    await store.putOutboxEntry(entry(userId, 'offline', 30));
    expect(await drain()).toBe('retry');
    expect(store.entries.has('offline')).toBe(true);
  });
});
