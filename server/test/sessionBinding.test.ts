// A token's claims belong to its session, and a disabled customer cannot be drawn into a
// conversation: two findings of the black-box probe (defence in depth, and an admin's intent).
import { Emitter } from '@socket.io/redis-emitter';
import { SignJWT, decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { PROFILE_CHANGED, SOCKET_IO_KEY } from '../src/socket/channels';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack();

async function resign(token: string, changes: { role?: string; sub?: string }): Promise<string> {
  const claims = decodeJwt(token);
  return new SignJWT({ role: changes.role ?? claims.role, sid: claims.sid, name: claims.name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(changes.sub ?? claims.sub ?? '')
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? '1h')
    .sign(new TextEncoder().encode(suite.stack.config.jwtSecret));
}

describe('a token is bound to its session', () => {
  it('a validly signed token whose role or user differs from its session is refused', async () => {
    const agent = await suite.stack.createAgent();
    const customer = await suite.stack.createCustomer();
    const { token } = await suite.stack.login(agent);

    const asCustomer = await resign(token, { role: 'customer' });
    await expect(TestClient.connect(suite.stack.url, asCustomer)).rejects.toThrow('unauthorized');
    const asOther = await resign(token, { sub: customer.id, role: 'customer' });
    await expect(TestClient.connect(suite.stack.url, asOther)).rejects.toThrow('unauthorized');
    // The untouched token still works.
    suite.track(await TestClient.connect(suite.stack.url, token, agent));
  });
});

describe('a disabled customer', () => {
  it('leaves the queue when an admin disables it, and agents cannot write it into a chat', async () => {
    const stack = suite.stack;
    const account = await stack.createCustomer();
    const customer = suite.track(await TestClient.login(stack, account));
    const agent = await suite.loginNew('agent');
    const { state } = await customer.requestOk('chat.request');

    // What `npm run admin -- customer disable` does: the record, then a word to every node.
    await stack.server.mongo.collections.customers.updateOne(
      { _id: account.id },
      { $set: { disabled: true } },
    );
    const mark = agent.mark();
    new Emitter(stack.server.redis, { key: SOCKET_IO_KEY }).serverSideEmit(
      PROFILE_CHANGED,
      account.id,
    );
    await agent.waitFor('queue.snapshot', (snapshot) => snapshot.total === 0, mark);

    const take = await agent.request('chat.take', { requestId: state.requestId! });
    expect(take).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const write = await agent.request('message.send', {
      customerId: account.id,
      clientMsgId: 'to-disabled',
      text: 'hello?',
    });
    expect(write).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await stack.server.mongo.collections.messages.countDocuments({})).toBe(0);
  });
});
