import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentToServerEvents } from '@callcenter/shared';
import { connectSocket, useTestStack } from '@callcenter/devstack/testing';
import { postLogin, postLogout } from './authApi';
import { request } from './request';

const suite = useTestStack();
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A server on a free port that answers every request with `status` and `body`. */
async function answering(status: number, body: string): Promise<string> {
  const server = createServer((_, response) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve();
    }),
  );
  closers.push(
    () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('postLogin and postLogout', () => {
  it('sign in and out; the token then no longer opens a socket, and a second sign-out is fine', async () => {
    const { stack } = suite;
    const account = await stack.createAgent();
    const { token, user } = await postLogin(stack.url, {
      role: 'agent',
      login: account.login,
      password: account.password,
    });
    expect(user).toMatchObject({ id: account.id, role: 'agent' });
    const socket = await connectSocket<AgentToServerEvents>(stack.url, token);
    expect((await request(socket, 'session.sync', {})).state).toBeDefined();
    socket.close();

    await postLogout(stack.url, token);
    await expect(connectSocket(stack.url, token)).rejects.toThrow('unauthorized');
    await expect(postLogout(stack.url, token)).resolves.toBeUndefined();
  });

  it("reject with the server's code, or unavailable when there is no server to answer", async () => {
    const { stack } = suite;
    const account = await stack.createCustomer();
    await expect(
      postLogin(stack.url, { role: 'customer', login: account.login, password: 'wrong' }),
    ).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(
      postLogin(stack.url, { role: 'agent', login: account.login, password: account.password }),
    ).rejects.toMatchObject({ code: 'invalid_credentials' });

    // A port that was just freed: nothing listens there.
    const nobody = await answering(200, '{}');
    await closers.pop()?.();
    await expect(
      postLogin(nobody, { role: 'customer', login: 'x', password: 'y' }),
    ).rejects.toMatchObject({ code: 'unavailable' });
    await expect(postLogout(nobody, 'token')).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('tell a server in trouble from an answer that is not the protocol', async () => {
    const credentials = { role: 'customer' as const, login: 'x', password: 'y' };
    const down = await answering(503, '<html>Bad gateway</html>');
    await expect(postLogin(down, credentials)).rejects.toMatchObject({ code: 'unavailable' });
    const odd = await answering(200, '{"hello":"world"}');
    await expect(postLogin(odd, credentials)).rejects.toMatchObject({
      code: 'internal',
      message: 'The server sent an unexpected answer.',
    });
    const refusing = await answering(
      429,
      '{"error":{"code":"rate_limited","message":"Too many tries."}}',
    );
    await expect(postLogin(refusing, credentials)).rejects.toMatchObject({
      code: 'rate_limited',
      message: 'Too many tries.',
    });
  });
});
