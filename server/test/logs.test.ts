// Issue 15, part 7: structured logs. A login and a socket's events, on a real node whose pino
// output is captured: every line of the request carries its request id, every line of the
// socket its session, user, role and socket ids, and no line holds the password or the token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';
import { startServer, type RunningServer } from '../src/app';
import { createLogger } from '../src/logger';

const suite = useTestStack();

/** The JSON lines a node logged. */
const lines: string[] = [];
const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

let node: RunningServer;
beforeAll(async () => {
  node = await startServer(
    { ...suite.stack.config, port: 0 },
    createLogger('debug', { nodeId: 'logged' }, { write: (line: string) => void lines.push(line) }),
  );
});
afterAll(async () => {
  await node.stop();
});

/** The session id a token carries (its `sid` claim). */
function sessionOf(token: string): string {
  const payload = token.split('.')[1] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sid: string }).sid;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('logs', () => {
  it('a login and a socket event log ids on every line, and never the password or the token', async () => {
    const account = await suite.stack.createCustomer('gold');
    const customer = suite.track(await TestClient.login(suite.stack, account, node.url));
    await customer.requestOk('chat.request');
    const refused = await customer.requestRaw('message.send', { text: 42 });
    expect(refused.ok).toBe(false);
    customer.close();

    const login = logged().find((l) => l.msg === 'logged in' && l.userId === account.id);
    expect(login).toMatchObject({ role: 'customer', nodeId: 'logged', service: 'callcenter' });
    expect(login?.reqId).toMatch(UUID);

    const ids = {
      sessionId: sessionOf(customer.token),
      userId: account.id,
      role: 'customer',
    };
    const answered = logged().filter((l) => l.msg === 'event answered' && l.userId === account.id);
    expect(answered.map((l) => [l.event, l.ok, l.code])).toEqual([
      ['chat.request', true, undefined],
      ['message.send', false, 'invalid_payload'],
    ]);
    for (const line of answered) {
      expect(line).toMatchObject(ids);
      expect(line.socketId).toEqual(expect.any(String));
    }
    const connected = logged().find((l) => l.msg === 'socket connected' && l.userId === account.id);
    expect(connected).toMatchObject({ ...ids, socketId: answered[0]?.socketId });

    const everything = lines.join('\n');
    expect(everything).not.toContain(account.password);
    expect(everything).not.toContain(customer.token);
  });

  it('redacts tokens, passwords, secrets, Authorization headers and cookies wherever they sit', () => {
    const secret = 'very-secret-value-0123456789';
    node.logger.info(
      {
        token: secret,
        password: secret,
        login: { password: secret, newPassword: secret },
        headers: { authorization: `Bearer ${secret}`, cookie: `sid=${secret}` },
        req: { headers: { authorization: `Bearer ${secret}`, cookie: `sid=${secret}` } },
        handshake: { auth: { token: secret } },
        config: { jwtSecret: secret, turnSecret: secret },
      },
      'redaction check',
    );
    const line = lines.find((l) => l.includes('redaction check'));
    expect(line).toBeDefined();
    expect(line).not.toContain(secret);
    expect(line).toContain('[redacted]');
  });
});
