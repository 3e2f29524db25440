import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { Server } from 'socket.io';
import type { AckResult, ChatMessage, ChatStartResult } from '@callcenter/shared';
import { TestClient } from './testClient';

// A bare Socket.IO server that answers in shapes the protocol does not have: what a server bug
// would send. The real server's answers are checked by every other test.
let closeServer: (() => Promise<void>) | undefined;

afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

async function wrongServer(): Promise<string> {
  const http = createServer();
  const io = new Server(http);
  io.on('connection', (socket) => {
    socket.on('session.sync', (_payload: unknown, ack: (answer: unknown) => void) => {
      ack({ ok: true, cursor: 'not a number', hasMore: false });
    });
    socket.on('chat.request', (_payload: unknown, ack: (answer: unknown) => void) => {
      socket.emit('customer.state', { state: 'nowhere' });
      ack({ ok: false, error: { code: 'no_such_code', message: 'x' } });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  closeServer = () => io.close().then(() => undefined);
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

describe('TestClient', () => {
  it('fails on an ack or a pushed event the protocol does not have', async () => {
    const client = await TestClient.connect(await wrongServer(), 'token');
    try {
      await expect(client.request('session.sync')).rejects.toThrow(/ack of session.sync breaks/);
      await expect(client.request('chat.request')).rejects.toThrow(/ack of chat.request breaks/);
      await expect(client.waitFor('customer.state')).rejects.toThrow(/customer.state/);
    } finally {
      client.close();
    }
  });

  it('is typed by the shared event maps (checked by tsc, not run)', () => {
    const typing = async (client: TestClient): Promise<void> => {
      expectTypeOf(await client.requestOk('chat.start')).toEqualTypeOf<
        { ok: true } & ChatStartResult
      >();
      const sent = await client.request('message.send', { clientMsgId: 'm1', text: 'hi' }, 1_000);
      if (sent.ok) expectTypeOf(sent.message).toEqualTypeOf<ChatMessage>();
      // @ts-expect-error -- chat.take needs a requestId
      await client.requestOk('chat.take');
      // @ts-expect-error -- not the payload of message.send (no clientMsgId)
      await client.requestOk('message.send', { text: 'hi' });
      // @ts-expect-error -- not an event of the protocol
      await client.request('no.such.event');
      // What the protocol does not allow goes through requestRaw, typed by the event if known.
      expectTypeOf(await client.requestRaw('chat.take', { requestId: 42 })).toEqualTypeOf<
        AckResult<ChatStartResult>
      >();
      expectTypeOf(await client.requestRaw('no.such.event', 42)).toEqualTypeOf<
        AckResult<Record<string, unknown>>
      >();
    };
    expect(typing).toBeTypeOf('function');
  });
});
