// Bad input: every event with wrong payloads, operator objects, unknown events, events from
// the wrong role, other customers' data, oversized packets. Each gets its clear error code,
// the server stays up, and storage is unchanged.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { io } from 'socket.io-client';
import type { ErrorCode } from '@callcenter/shared';
import { LIMITS } from '@callcenter/shared';
import { TestClient, TestStack } from '@callcenter/devstack/testing';

let stack: TestStack;
let agent: TestClient;
let otherAgent: TestClient;
let customer: TestClient;
let otherCustomer: TestClient;
let conversationId: string;

const OPERATORS = [{ $ne: null }, { $gt: '' }, { $regex: '.*' }];

interface Case {
  name: string;
  client: () => TestClient;
  event: string;
  payload: unknown;
  code: ErrorCode;
}

/** What storage and the queue hold; must not change under bad input. */
async function storageFingerprint(): Promise<string> {
  const { messages, conversations, customers, agents } = stack.server.mongo.collections;
  const redis = stack.server.redis;
  const parts = await Promise.all([
    messages.countDocuments(),
    conversations.find({}).sort({ _id: 1 }).toArray(),
    customers.countDocuments(),
    agents.countDocuments(),
    redis.zrange('cc:queue', '0', '-1'),
    redis.hgetall(`cc:cust:${customer.account!.id}`),
    redis.hgetall(`cc:cust:${otherCustomer.account!.id}`),
    redis.hgetall(`cc:agent:${agent.account!.id}`),
    redis.hgetall(`cc:agent:${otherAgent.account!.id}`),
  ]);
  return JSON.stringify(parts);
}

beforeAll(async () => {
  stack = await TestStack.start({ mongodbUrl: inject('mongodbUrl') });
  agent = await TestClient.login(stack, await stack.createAgent());
  otherAgent = await TestClient.login(stack, await stack.createAgent());
  customer = await TestClient.login(stack, await stack.createCustomer());
  otherCustomer = await TestClient.login(stack, await stack.createCustomer());
  // One active conversation (agent with customer) and one queued request (otherCustomer).
  await customer.requestOk('chat.request');
  const started = await agent.requestOk('chat.start');
  conversationId = started.conversation.id;
  await customer.requestOk('message.send', {
    clientMsgId: 'secret-1',
    text: 'my account number is 42',
  });
  await otherCustomer.requestOk('chat.request');
  // The conversation's record follows the take: let it land before any fingerprint is taken.
  await vi.waitFor(async () => {
    const stored = await stack.server.mongo.collections.conversations.findOne({
      _id: conversationId,
    });
    expect(stored).not.toBeNull();
  });
});

afterAll(async () => {
  for (const client of [agent, otherAgent, customer, otherCustomer]) client.close();
  await stack.stop();
});

function cases(): Case[] {
  const c = (): TestClient => customer;
  const a = (): TestClient => agent;
  const list: Case[] = [
    // Missing, extra and wrong-typed fields.
    {
      name: 'customer message without text',
      client: c,
      event: 'message.send',
      payload: { clientMsgId: 'b1' },
      code: 'invalid_payload',
    },
    {
      name: 'customer message without id',
      client: c,
      event: 'message.send',
      payload: { text: 'hi' },
      code: 'invalid_payload',
    },
    {
      name: 'customer message with extra field',
      client: c,
      event: 'message.send',
      payload: { clientMsgId: 'b2', text: 'hi', priority: 99 },
      code: 'invalid_payload',
    },
    {
      name: 'customer message with numeric text',
      client: c,
      event: 'message.send',
      payload: { clientMsgId: 'b3', text: 5 },
      code: 'invalid_payload',
    },
    {
      name: 'customer message with a createdAt',
      client: c,
      event: 'message.send',
      payload: { clientMsgId: 'b4', text: 'hi', createdAt: '2000-01-01T00:00:00Z' },
      code: 'invalid_payload',
    },
    {
      name: 'oversized text',
      client: c,
      event: 'message.send',
      payload: { clientMsgId: 'b5', text: 'x'.repeat(LIMITS.messageLength + 1) },
      code: 'invalid_payload',
    },
    {
      name: 'payload that is not an object',
      client: c,
      event: 'chat.request',
      payload: 'please',
      code: 'invalid_payload',
    },
    {
      name: 'payload that is null',
      client: c,
      event: 'chat.end',
      payload: null,
      code: 'invalid_payload',
    },
    {
      name: 'chat.request with fields',
      client: c,
      event: 'chat.request',
      payload: { queue: 'vip' },
      code: 'invalid_payload',
    },
    {
      name: 'session.sync with a string cursor',
      client: c,
      event: 'session.sync',
      payload: { since: '0' },
      code: 'invalid_payload',
    },
    {
      name: 'session.sync with a negative cursor',
      client: c,
      event: 'session.sync',
      payload: { since: -1 },
      code: 'invalid_payload',
    },
    {
      name: 'agent take without requestId',
      client: a,
      event: 'chat.take',
      payload: {},
      code: 'invalid_payload',
    },
    {
      name: 'agent end without conversationId',
      client: a,
      event: 'chat.end',
      payload: {},
      code: 'invalid_payload',
    },
    {
      name: 'agent message without customerId',
      client: a,
      event: 'message.send',
      payload: { clientMsgId: 'b6', text: 'hi' },
      code: 'invalid_payload',
    },
    {
      name: 'agent message with a __proto__ key',
      client: a,
      event: 'message.send',
      payload: JSON.parse(
        '{"customerId":"x","clientMsgId":"b7","text":"hi","__proto__":{"admin":true}}',
      ),
      code: 'invalid_payload',
    },
    {
      name: 'chat.start with a constructor key',
      client: a,
      event: 'chat.start',
      payload: { constructor: { prototype: {} } },
      code: 'invalid_payload',
    },
    // Unknown events and the wrong role.
    {
      name: 'unknown event',
      client: c,
      event: 'admin.deleteAll',
      payload: {},
      code: 'invalid_payload',
    },
    {
      name: 'customer sends chat.start',
      client: c,
      event: 'chat.start',
      payload: {},
      code: 'forbidden',
    },
    {
      name: 'customer sends chat.take',
      client: c,
      event: 'chat.take',
      payload: { requestId: 'r1' },
      code: 'forbidden',
    },
    {
      name: 'agent sends chat.request',
      client: a,
      event: 'chat.request',
      payload: {},
      code: 'forbidden',
    },
    {
      name: 'agent sends session.exit',
      client: a,
      event: 'session.exit',
      payload: {},
      code: 'forbidden',
    },
    // Other people's things.
    {
      name: 'agent end with an empty conversationId',
      client: () => otherAgent,
      event: 'chat.end',
      payload: { conversationId: '' },
      code: 'invalid_payload',
    },
    {
      name: "agent takes a request that doesn't exist",
      client: () => otherAgent,
      event: 'chat.take',
      payload: { requestId: 'no-such-request' },
      code: 'not_found',
    },
    {
      name: 'agent in a conversation takes another',
      client: a,
      event: 'chat.start',
      payload: {},
      code: 'agent_busy',
    },
    {
      name: 'agent ends an unknown conversation',
      client: () => otherAgent,
      event: 'chat.end',
      payload: { conversationId: 'no-such-conversation' },
      code: 'not_found',
    },
    {
      name: 'agent writes to an unknown customer',
      client: () => otherAgent,
      event: 'message.send',
      payload: { customerId: 'no-such-customer', clientMsgId: 'b8', text: 'hi' },
      code: 'not_found',
    },
  ];
  // Operator objects in every id field.
  for (const op of OPERATORS) {
    list.push(
      {
        name: `operator ${JSON.stringify(op)} as clientMsgId`,
        client: c,
        event: 'message.send',
        payload: { clientMsgId: op, text: 'hi' },
        code: 'invalid_payload',
      },
      {
        name: `operator ${JSON.stringify(op)} as requestId`,
        client: a,
        event: 'chat.take',
        payload: { requestId: op },
        code: 'invalid_payload',
      },
      {
        name: `operator ${JSON.stringify(op)} as conversationId`,
        client: a,
        event: 'chat.end',
        payload: { conversationId: op },
        code: 'invalid_payload',
      },
      {
        name: `operator ${JSON.stringify(op)} as customerId`,
        client: a,
        event: 'message.send',
        payload: { customerId: op, clientMsgId: 'b9', text: 'hi' },
        code: 'invalid_payload',
      },
      {
        name: `operator ${JSON.stringify(op)} as text`,
        client: c,
        event: 'message.send',
        payload: { clientMsgId: 'b10', text: op },
        code: 'invalid_payload',
      },
      {
        name: `operator ${JSON.stringify(op)} as cursor`,
        client: c,
        event: 'session.sync',
        payload: { since: op },
        code: 'invalid_payload',
      },
    );
  }
  return list;
}

describe('bad payloads', () => {
  it.each(cases().map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    async (_name, testCase) => {
      const before = await storageFingerprint();
      const result = await testCase.client().requestRaw(testCase.event, testCase.payload);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe(testCase.code);
        expect(result.error.message.length).toBeGreaterThan(0);
      }
      expect(await storageFingerprint()).toBe(before);
    },
  );
});

describe('ownership', () => {
  it("another agent cannot end this agent's conversation", async () => {
    const before = await storageFingerprint();
    const result = await otherAgent.request('chat.end', { conversationId });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await storageFingerprint()).toBe(before);
  });

  it("a customer never reads another customer's messages", async () => {
    const sync = await otherCustomer.requestOk('session.sync', {
      since: 0,
    });
    expect(sync.messages).toEqual([]);
    expect(otherCustomer.received('message.new')).toEqual([]);
  });

  it("a customer's End Chat only ever touches its own request", async () => {
    const ended = await otherCustomer.requestOk('chat.end');
    expect(ended.state.state).toBe('notConnected');
    const stillActive = await stack.server.redis.hget(`cc:conv:${conversationId}`, 'status');
    expect(stillActive).toBe('active');
  });
});

describe('connection-level abuse', () => {
  it.each([
    ['no token', {}],
    ['a malformed token', { token: 'not-a-jwt' }],
    ['a token of the wrong type', { token: { $ne: null } }],
    ['a forged token', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' }],
  ])('a handshake with %s fails with connect_error unauthorized', async (_name, auth) => {
    const socket = io(stack.url, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.close();
    expect(error.message).toBe('unauthorized');
  });

  it('an event without an ack callback is ignored and the server stays up', async () => {
    const before = await storageFingerprint();
    customer.socket.emit('message.send', { clientMsgId: 'no-ack', text: 'hi' });
    customer.socket.emit('chat.end');
    const sync = await customer.requestOk('session.sync', {});
    expect(sync.ok).toBe(true);
    expect(await storageFingerprint()).toBe(before);
  });

  it('a packet over the size limit closes only that connection; the server stays up', async () => {
    const account = await stack.createCustomer();
    const flooder = await TestClient.login(stack, account);
    const before = await storageFingerprint();
    const closed = flooder.waitForDisconnect();
    flooder.socket.emit(
      'message.send',
      { clientMsgId: 'huge', text: 'x'.repeat(LIMITS.maxPayloadBytes * 2) },
      () => undefined,
    );
    await closed;
    expect(await storageFingerprint()).toBe(before);
    const health = await fetch(`${stack.url}/healthz`);
    expect(health.status).toBe(200);
    const sync = await customer.requestOk('session.sync', {});
    expect(sync.ok).toBe(true);
  });

  it('a flood from one socket is rate limited', async () => {
    const flooder = await TestClient.login(stack, await stack.createCustomer());
    const results = await Promise.all(
      Array.from({ length: 500 }, () => flooder.request('session.sync', {})),
    );
    const limited = results.filter((r) => !r.ok && r.error.code === 'rate_limited');
    expect(limited.length).toBeGreaterThan(0);
    flooder.close();
    // Others are still served.
    expect((await customer.requestOk('session.sync', {})).ok).toBe(true);
  });
});

describe('HTTP bad input', () => {
  it.each([
    ['not JSON', 'role=agent', 'text/plain'],
    ['missing password', JSON.stringify({ role: 'agent', login: 'x' }), 'application/json'],
    [
      'operator as login',
      JSON.stringify({ role: 'customer', login: { $ne: null }, password: 'x' }),
      'application/json',
    ],
    [
      'unknown role',
      JSON.stringify({ role: 'admin', login: 'x', password: 'y' }),
      'application/json',
    ],
  ])('login with %s is a 400 invalid_payload', async (_name, body, contentType) => {
    const response = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_payload' } });
  });

  it('wrong credentials are a 401 invalid_credentials, repeated failures soon a 429 with Retry-After', async () => {
    const account = await stack.createCustomer();
    const attempt = () =>
      fetch(`${stack.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'customer', login: account.login, password: 'wrong' }),
      });
    const first = await attempt();
    expect(first.status).toBe(401);
    expect(await first.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
    // Five more are free; then checks are held back progressively, and soon refused.
    let throttled = await attempt();
    for (let i = 0; i < 10 && throttled.status !== 429; i += 1) throttled = await attempt();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await throttled.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('a foreign Origin is refused', async () => {
    const response = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ role: 'customer', login: 'x', password: 'y' }),
    });
    expect(response.status).toBe(403);
  });

  it('logout revokes the token and disconnects its sockets', async () => {
    const account = await stack.createAgent();
    const { token } = await stack.login(account);
    const client = await TestClient.connect(stack.url, token, account);
    const closed = client.waitForDisconnect();
    const response = await fetch(`${stack.url}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(204);
    await client.waitFor('session.revoked');
    await closed;
    await expect(TestClient.connect(stack.url, token)).rejects.toThrow('unauthorized');
    const again = await fetch(`${stack.url}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(again.status).toBe(401);
  });
});
