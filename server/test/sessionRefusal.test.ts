// Every event refuses a session that has ended in the same way, whether its entry checks the
// revocation before the work or with it (a customer's message.send, in its own Redis script):
// the ack is unauthorized, the socket is told `session.revoked { reason: 'expired' }` and closed.
import { SignJWT, decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type {
  AgentToServerEvents,
  CallEvents,
  CustomerToServerEvents,
  EventPayload,
  Role,
} from '@callcenter/shared';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack();

type Payloads<Events> = { [E in keyof Events]-?: EventPayload<Events, E> };

const callPayloads: Payloads<CallEvents> = {
  'call.start': { conversationId: 'some-conversation' },
  'call.accept': { callId: 'some-call' },
  'call.decline': { callId: 'some-call' },
  'call.end': { callId: 'some-call' },
  'call.signal': { callId: 'some-call', signal: { kind: 'candidate', candidate: null } },
};

/** A well-formed payload for every event of each role's map (a new event must be added here). */
const payloads: {
  customer: Payloads<CustomerToServerEvents>;
  agent: Payloads<AgentToServerEvents>;
} = {
  customer: {
    'session.sync': { since: 0 },
    'chat.request': {},
    'chat.end': {},
    'session.exit': {},
    'message.send': { clientMsgId: 'after-the-end', text: 'hello' },
    'chat.typing': { typing: true },
    'chat.read': { seq: 1 },
    'chat.rate': { conversationId: 'some-conversation', score: 5 },
    'customer.language': { language: 'ar' },
    ...callPayloads,
  },
  agent: {
    'session.sync': { since: 0 },
    'chat.start': {},
    'chat.take': { requestId: 'some-request' },
    'chat.end': { conversationId: 'some-conversation' },
    'message.send': { customerId: 'some-customer', clientMsgId: 'after-the-end', text: 'hi' },
    'agent.status': { status: 'away' },
    'chat.typing': { conversationId: 'some-conversation', typing: true },
    'chat.read': { conversationId: 'some-conversation', seq: 1 },
    'chat.transfer': { conversationId: 'some-conversation' },
    'canned.list': {},
    'canned.save': { shortcut: 'hello', title: 'Hello', text: 'Hello {customer.name}' },
    'canned.delete': { id: 'some-reply' },
    ...callPayloads,
  },
};

const events = (['customer', 'agent'] as const).flatMap((role) =>
  Object.entries<unknown>(payloads[role]).map(([event, payload]) => ({ role, event, payload })),
);

async function connectNew(role: Role, expiresAt?: number): Promise<TestClient> {
  const stack = suite.stack;
  const account = role === 'agent' ? await stack.createAgent() : await stack.createCustomer();
  const { token } = await stack.login(account);
  if (expiresAt === undefined) return suite.track(await TestClient.connect(stack.url, token));
  // The same session, with a token that expires soon.
  const claims = decodeJwt(token);
  const soon = await new SignJWT({ role: claims.role, sid: claims.sid, name: claims.name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub ?? '')
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(stack.config.jwtSecret));
  return suite.track(await TestClient.connect(stack.url, soon));
}

/** Sends the event and returns its ack and the push, once the server has closed the socket. */
async function refusalOf(client: TestClient, event: string, payload: unknown) {
  const closed = client.waitForDisconnect();
  const ack = await client.requestRaw(event, payload);
  const revoked = await client.waitFor('session.revoked');
  await closed;
  return { ack, revoked };
}

const refused = {
  ack: {
    ok: false,
    error: { code: 'unauthorized', message: 'This session has ended; log in again.' },
  },
  revoked: { reason: 'expired' },
};

describe('a session that has ended is refused alike by every event', () => {
  it.each(events)('revoked without a push: $role $event', async ({ role, event, payload }) => {
    const client = await connectNew(role);
    // As if logged out on another node whose push never came: only Redis knows.
    const { sid } = decodeJwt(client.token);
    expect(await suite.stack.server.redis.del(`cc:session:${String(sid)}`)).toBe(1);
    expect(await refusalOf(client, event, payload)).toEqual(refused);
  });

  it('expired: every event of both roles', async () => {
    // Whole seconds, as tokens count them; long enough to connect every client first.
    const expiresAt = Math.floor(Date.now() / 1000) + 8;
    const clients = await Promise.all(events.map(({ role }) => connectNew(role, expiresAt)));
    await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 50));
    const results = await Promise.all(
      events.map(({ event, payload }, i) => refusalOf(clients[i]!, event, payload)),
    );
    expect(results).toEqual(events.map(() => refused));
  });
});
