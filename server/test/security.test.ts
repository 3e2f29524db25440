// Hostile handshakes and stored secrets: expired and foreign-signed tokens, a foreign Origin on
// the socket, deeply nested payloads, prototype pollution attempts, and how passwords are kept.
import { SignJWT } from 'jose';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack({ config: { allowedOrigins: ['https://console.example'] } });

function connectError(auth: unknown, extraHeaders: Record<string, string> = {}): Promise<string> {
  const socket = io(suite.stack.url, {
    auth: auth as Record<string, unknown>,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders,
  });
  return new Promise((resolve) => {
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error.message);
    });
    socket.once('connect', () => {
      socket.close();
      resolve('connected');
    });
  });
}

describe('handshake', () => {
  it('an expired token is refused', async () => {
    const account = await suite.stack.createAgent();
    const { token } = await suite.stack.login(account);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      sid: string;
      name: string;
    };
    const expired = await new SignJWT({ role: 'agent', sid: claims.sid, name: claims.name })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(account.id)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(suite.stack.config.jwtSecret));
    expect(await connectError({ token: expired })).toBe('unauthorized');
    expect(await connectError({ token })).toBe('connected');
  });

  it('a token signed with another secret, or with alg none, is refused', async () => {
    const account = await suite.stack.createAgent();
    const forged = await new SignJWT({ role: 'agent', sid: 'x', name: 'Mallory' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(account.id)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-another'));
    expect(await connectError({ token: forged })).toBe('unauthorized');
    const header = Buffer.from('{"alg":"none"}').toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ sub: account.id, role: 'agent', sid: 'x', name: 'M', exp: 9e9 }),
    ).toString('base64url');
    expect(await connectError({ token: `${header}.${body}.` })).toBe('unauthorized');
  });

  it('a browser from a foreign Origin cannot connect; a listed origin can', async () => {
    const account = await suite.stack.createAgent();
    const { token } = await suite.stack.login(account);
    expect(await connectError({ token }, { origin: 'https://evil.example' })).not.toBe('connected');
    expect(await connectError({ token }, { origin: 'https://console.example' })).toBe('connected');
  });
});

describe('payloads', () => {
  it('deeply nested JSON and prototype keys are refused without harm', async () => {
    const customer = await suite.loginNew('customer');
    let nested: unknown = 'deep';
    for (let i = 0; i < 500; i += 1) nested = { a: nested };
    const deep = await customer.requestRaw('message.send', { clientMsgId: 'deep', text: nested });
    expect(deep).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const polluting = await customer.requestRaw(
      'chat.request',
      JSON.parse('{"__proto__":{"isAdmin":true}}'),
    );
    expect(polluting).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect((await customer.requestOk('session.sync', {})).ok).toBe(true);
  });

  it('script and HTML in messages are stored and delivered as plain text', async () => {
    const agent = await suite.loginNew('agent');
    const customer = await suite.loginNew('customer');
    await customer.requestOk('chat.request');
    const text = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    await customer.requestOk('message.send', { clientMsgId: 'html', text });
    const delivered = await agent.waitFor('message.new', (m) => m.clientMsgId === 'html');
    expect(delivered.text).toBe(text);
  });
});

describe('secrets at rest', () => {
  it('passwords are stored as salted scrypt hashes, never as given', async () => {
    const first = await suite.stack.createCustomer();
    const second = await suite.stack.createCustomer();
    const docs = await suite.stack.server.mongo.collections.customers
      .find({ _id: { $in: [first.id, second.id] } })
      .toArray();
    for (const doc of docs) {
      expect(doc.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
      expect(doc.passwordHash).not.toContain(first.password);
    }
  });

  it('the token travels in the handshake body, never in the URL', async () => {
    const account = await suite.stack.createAgent();
    const client = suite.track(await TestClient.login(suite.stack, account));
    expect(client.socket.io.opts.query ?? {}).not.toHaveProperty('token');
    expect(JSON.stringify(client.socket.io.opts.query ?? {})).not.toContain(client.token);
  });
});
