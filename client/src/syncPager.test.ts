import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, CustomerToServerEvents, SessionSyncPayload } from '@callcenter/shared';
import { connectSocket, useTestStack } from '@callcenter/devstack/testing';
import { request, type ClientSocket } from './request';
import { syncPages, type SyncPage } from './syncPager';

const suite = useTestStack();
const opened: ClientSocket<CustomerToServerEvents>[] = [];

afterEach(() => {
  for (const socket of opened.splice(0)) socket.close();
});

function page(messages: number[], cursor: number, hasMore: boolean): SyncPage {
  const stored = messages.map((seq) => ({ seq }) as ChatMessage);
  return { messages: stored, cursor, hasMore };
}

describe('syncPages', () => {
  it('asks again from each cursor while the server has more, handing over every page', async () => {
    const answers = [page([1, 2], 2, true), page([3, 4], 4, true), page([5], 5, false)];
    const asked: SessionSyncPayload[] = [];
    const seen: number[] = [];
    const last = await syncPages({
      ask: (payload) => {
        asked.push(payload);
        return Promise.resolve(answers[asked.length - 1]!);
      },
      since: null,
      onPage: (answer) => {
        seen.push(...answer.messages.map((message) => message.seq));
      },
    });
    expect(asked).toEqual([{}, { since: 2 }, { since: 4 }]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(last.cursor).toBe(5);
  });

  it('stops when the page handler says so', async () => {
    let asked = 0;
    await syncPages({
      ask: () => Promise.resolve(page([asked++], asked, true)),
      since: 7,
      onPage: () => false,
    });
    expect(asked).toBe(1);
  });

  it("reads a customer's messages after a cursor from the real server", async () => {
    const { token } = await suite.stack.login(await suite.stack.createCustomer());
    const socket = await connectSocket<CustomerToServerEvents>(suite.stack.url, token);
    opened.push(socket);
    await request(socket, 'chat.request', {});
    const { cursor } = await request(socket, 'session.sync', {});
    for (const text of ['one', 'two', 'three']) {
      await request(socket, 'message.send', { clientMsgId: `c-${text}`, text });
    }
    const texts: string[] = [];
    const last = await syncPages({
      ask: (payload) => request(socket, 'session.sync', payload),
      since: cursor,
      onPage: (answer) => {
        texts.push(...answer.messages.map((message) => message.text));
      },
    });
    expect(texts).toEqual(['one', 'two', 'three']);
    expect(last.state.state).toBe('requestSent');
    expect(last.cursor).toBeGreaterThan(cursor);
  });
});
