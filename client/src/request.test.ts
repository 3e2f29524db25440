import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { ProtocolError } from '@callcenter/shared';
import type {
  AgentToServerEvents,
  ChatMessage,
  CustomerState,
  CustomerToServerEvents,
  QueueSnapshot,
} from '@callcenter/shared';
import { connectSocket, useTestStack, type TestAccount } from '@callcenter/devstack/testing';
import { ask, request, type AnyRoleEvents, type ClientEvents, type ClientSocket } from './request';

const suite = useTestStack();
const opened: ClientSocket<ClientEvents>[] = [];

afterEach(() => {
  for (const socket of opened.splice(0)) socket.close();
});

/** A real Socket.IO client of the account's role, connected. */
async function connect<Events extends ClientEvents>(
  account: TestAccount,
): Promise<ClientSocket<Events>> {
  const { token } = await suite.stack.login(account);
  const socket = await connectSocket<Events>(suite.stack.url, token);
  opened.push(socket);
  return socket;
}

const customer = async () =>
  connect<CustomerToServerEvents>(await suite.stack.createCustomer('gold'));
const agent = async () => connect<AgentToServerEvents>(await suite.stack.createAgent());

describe('request', () => {
  it("answers with the event's ok ack, typed by the role's event map", async () => {
    const socket = await customer();
    const requested = await request(socket, 'chat.request', {});
    expectTypeOf(requested).toEqualTypeOf<{ ok: true } & { state: CustomerState }>();
    expect(requested.state.state).toBe('requestSent');

    const sent = await request(socket, 'message.send', { clientMsgId: 'c-1', text: 'hello' });
    expectTypeOf(sent.message).toEqualTypeOf<ChatMessage>();
    expect(sent.message.text).toBe('hello');

    const synced = await request(await agent(), 'session.sync', {});
    expectTypeOf(synced.queue).toEqualTypeOf<QueueSnapshot>();
    expect(synced.queue.entries.map((entry) => entry.requestId)).toContain(
      requested.state.requestId,
    );
  });

  it('does not compile for an event or payload the role does not have', async () => {
    const socket = await customer();
    // @ts-expect-error customers do not take chats
    await request(socket, 'chat.take', { requestId: 'r-1' }).catch(() => undefined);
    // @ts-expect-error message.send needs a client message id
    await request(socket, 'message.send', { text: 'hi' }).catch(() => undefined);
  });

  it('rejects with the code of an { ok: false } ack; ask resolves with it', async () => {
    const socket = await customer();
    const refusal = request(socket, 'message.send', { clientMsgId: 'c-1', text: 'too early' });
    await expect(refusal).rejects.toBeInstanceOf(ProtocolError);
    await expect(refusal).rejects.toMatchObject({ code: 'not_in_chat' });
    const answer = await ask(socket, 'message.send', { clientMsgId: 'c-2', text: 'too early' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'not_in_chat' } });
  });

  it('fails at once, as unavailable, when not connected or the link drops while waiting', async () => {
    const socket = await customer();
    const started = Date.now();
    const pending = request(socket, 'session.sync', {});
    socket.disconnect();
    await expect(pending).rejects.toMatchObject({ code: 'unavailable' });
    // Not buffered for a later connection either.
    await expect(request(socket, 'chat.request', {})).rejects.toMatchObject({
      code: 'unavailable',
      message: 'Not connected to the server.',
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('rejects as unavailable when no answer comes in time', async () => {
    const socket = await customer();
    // 1 ms: the sync reads storage, which takes longer.
    await expect(request(socket, 'session.sync', {}, 1)).rejects.toMatchObject({
      code: 'unavailable',
      message: 'The server did not answer in time.',
    });
  });
});

describe('AnyRoleEvents', () => {
  it("answers with either role's ack and takes any payload", async () => {
    const socket = await connect<AnyRoleEvents>(await suite.stack.createCustomer());
    const synced = await request(socket, 'session.sync', {});
    expectTypeOf(synced.cursor).toEqualTypeOf<number>();
    const refused = await ask(socket, 'chat.request', { unexpected: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });
});
