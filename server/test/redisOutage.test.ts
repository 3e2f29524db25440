// Redis goes away under a running server: every request answers `unavailable` at once rather
// than waiting for Redis to come back (the client retries, and a person sees "retrying", not a
// frozen screen). When Redis returns on the same port, everything works again without a
// restart and nothing that was acknowledged is lost.
import { expect, it } from 'vitest';
import { io } from 'socket.io-client';
import {
  InvariantChecker,
  TestClient,
  useTestStack,
  type TestAccount,
} from '@callcenter/devstack/testing';

// appendfsync always: everything acknowledged before the kill is on disk.
const suite = useTestStack({ appendfsync: 'always' });

/** Generous: the point is "answers instead of hanging", not a latency target. */
const ANSWER_WITHIN_MS = 5_000;

/** Resolves with how long `answer` took; fails if it took longer than ANSWER_WITHIN_MS. */
async function timed<T>(answer: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const startedAt = performance.now();
  const value = await answer();
  const elapsedMs = performance.now() - startedAt;
  expect(elapsedMs).toBeLessThan(ANSWER_WITHIN_MS);
  return { value, elapsedMs };
}

/** A new Socket.IO handshake; resolves with `connected` or the connect_error message. */
function handshake(url: string, token: string): Promise<string> {
  const socket = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: ANSWER_WITHIN_MS,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error.message);
    });
  });
}

async function login(url: string, account: TestAccount) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: account.role, login: account.login, password: account.password }),
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  const body: unknown = await response.json();
  return { status: response.status, body };
}

async function readiness(url: string): Promise<number> {
  const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
  return response.status;
}

/** With Redis down: each request answers `unavailable` (or 503) within ANSWER_WITHIN_MS. */
async function expectUnavailableAtOnce(
  customer: TestClient,
  agent: TestClient,
  customerId: string,
  customerAccount: TestAccount,
): Promise<Record<string, number>> {
  const url = suite.stack.url;
  const send = await timed(() =>
    customer.request(
      'message.send',
      { clientMsgId: 'during', text: 'sent during the outage' },
      ANSWER_WITHIN_MS,
    ),
  );
  expect(send.value).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  const agentSend = await timed(() =>
    agent.request(
      'message.send',
      { customerId, clientMsgId: 'reply-during', text: 'during' },
      ANSWER_WITHIN_MS,
    ),
  );
  expect(agentSend.value).toMatchObject({ ok: false, error: { code: 'unavailable' } });

  const ready = await timed(() => readiness(url));
  expect(ready.value).toBe(503);
  // The process itself is alive: a supervisor must not restart it for this.
  expect((await fetch(`${url}/healthz`)).status).toBe(200);

  const loggedIn = await timed(() => login(url, customerAccount));
  expect(loggedIn.value).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });

  // A valid token that cannot be checked now is not a logged-out session.
  const refused = await timed(() => handshake(url, customer.token));
  expect(refused.value).toBe('unavailable');

  // The connected clients stay connected through the outage.
  expect(customer.socket.connected && agent.socket.connected).toBe(true);
  return {
    send: Math.round(send.elapsedMs),
    agentSend: Math.round(agentSend.elapsedMs),
    readyz: Math.round(ready.elapsedMs),
    login: Math.round(loggedIn.elapsedMs),
    handshake: Math.round(refused.elapsedMs),
  };
}

it('with Redis killed, sends, readiness, logins and handshakes answer `unavailable` at once; after Redis returns nothing acknowledged is lost', async () => {
  const { stack } = suite;
  const invariants = new InvariantChecker(stack.server.mongo.collections, stack.server.redis);
  const agent = suite.track(await TestClient.login(stack, await stack.createAgent()));
  const customerAccount = await stack.createCustomer();
  const customer = suite.track(await TestClient.login(stack, customerAccount));
  const customerId = customerAccount.id;
  await customer.requestOk('chat.request');
  invariants.recordRequested(customerId);
  await agent.requestOk('chat.start');
  const before = await customer.requestOk('message.send', {
    clientMsgId: 'before',
    text: 'before the outage',
  });
  invariants.recordAcked(before.message);
  const reply = await agent.requestOk('message.send', {
    customerId,
    clientMsgId: 'reply-before',
    text: 'hello',
  });
  invariants.recordAcked(reply.message);

  await stack.redis.stop('SIGKILL');
  let answers: Record<string, number>;
  try {
    answers = await expectUnavailableAtOnce(customer, agent, customerId, customerAccount);
  } finally {
    // Back for the suite's clean-up even when an expectation failed.
    if (!stack.redis.running) await stack.redis.start();
  }
  const downUntil = performance.now();
  await expect.poll(() => readiness(stack.url), { timeout: 15_000, interval: 50 }).toBe(200);
  const recoveryMs = performance.now() - downUntil;

  // The retry of the refused send is stored once; the conversation goes on as before.
  const during = await customer.requestOk('message.send', {
    clientMsgId: 'during',
    text: 'sent during the outage',
  });
  invariants.recordAcked(during.message);
  const after = await agent.requestOk('message.send', {
    customerId,
    clientMsgId: 'reply-after',
    text: 'after',
  });
  invariants.recordAcked(after.message);
  await customer.waitFor('message.new', (m) => m.clientMsgId === 'reply-after');
  expect(await handshake(stack.url, customer.token)).toBe('connected');
  expect((await login(stack.url, customerAccount)).status).toBe(200);

  expect(invariants.ackedCount).toBe(4);
  await invariants.checkAll([agent], [{ client: customer, customerId }]);
  expect(
    agent.received('message.new').map((m) => m.clientMsgId),
    'every acknowledged message reached the agent, once, in order',
  ).toEqual(['before', 'reply-before', 'during', 'reply-after']);
  console.info('redis outage, ms to answer:', { ...answers, readyAgain: Math.round(recoveryMs) });
}, 90_000);

it('four seconds without Redis, two nodes, clients retrying: no crash, and afterwards events cross nodes again and every send is stored once', async () => {
  const { stack } = suite;
  const nodeB = stack.nodes[1] ?? (await stack.addNode());
  const invariants = new InvariantChecker(stack.server.mongo.collections, stack.server.redis);
  const agent = suite.track(await TestClient.login(stack, await stack.createAgent()));
  const customerAccount = await stack.createCustomer();
  const customerId = customerAccount.id;
  const customer = suite.track(await TestClient.login(stack, customerAccount, nodeB.url));
  await customer.requestOk('chat.request');
  invariants.recordRequested(customerId);
  await agent.requestOk('chat.start');

  await stack.redis.stop('SIGKILL');
  const downSince = performance.now();
  let attempts = 0;
  try {
    // Long enough for several presence heartbeats, reaper runs and queue refreshes to fail;
    // every attempt meanwhile is answered at once.
    await expect
      .poll(
        async () => {
          attempts += 1;
          const answer = await timed(() =>
            customer.request(
              'message.send',
              { clientMsgId: 'retried', text: 'retried through the outage' },
              ANSWER_WITHIN_MS,
            ),
          );
          expect(answer.value).toMatchObject({ ok: false, error: { code: 'unavailable' } });
          return performance.now() - downSince;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBeGreaterThanOrEqual(4_000);
  } finally {
    if (!stack.redis.running) await stack.redis.start();
  }
  expect(attempts).toBeGreaterThan(5);

  for (const node of stack.nodes) {
    await expect.poll(() => readiness(node.url), { timeout: 15_000, interval: 50 }).toBe(200);
  }
  const retried = await customer.requestOk('message.send', {
    clientMsgId: 'retried',
    text: 'retried through the outage',
  });
  invariants.recordAcked(retried.message);
  await agent.waitFor('message.new', (m) => m.clientMsgId === 'retried');
  // Across nodes again: the agent is on the first node, the customer on the second.
  const reply = await agent.requestOk('message.send', {
    customerId,
    clientMsgId: 'reply',
    text: 'got it',
  });
  invariants.recordAcked(reply.message);
  await customer.waitFor('message.new', (m) => m.clientMsgId === 'reply');
  await invariants.checkAll([agent], [{ client: customer, customerId }]);
}, 90_000);

it('with Redis frozen (connections open, no answers), requests answer `unavailable` after the command timeout; thawed, it goes on', async () => {
  const { stack } = suite;
  const invariants = new InvariantChecker(stack.server.mongo.collections, stack.server.redis);
  const agent = suite.track(await TestClient.login(stack, await stack.createAgent()));
  const customerAccount = await stack.createCustomer();
  const customerId = customerAccount.id;
  const customer = suite.track(await TestClient.login(stack, customerAccount));
  await customer.requestOk('chat.request');
  invariants.recordRequested(customerId);
  await agent.requestOk('chat.start');

  stack.redis.pause();
  let answers: Awaited<ReturnType<typeof answersWhileFrozen>>;
  try {
    answers = await answersWhileFrozen(customer, customerAccount);
  } finally {
    stack.redis.resume();
  }
  expect(answers.send.value).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  expect(answers.ready.value).toBe(503);
  expect(answers.loggedIn.value.status).toBe(503);
  expect(answers.refused.value).toBe('unavailable');

  await expect.poll(() => readiness(stack.url), { timeout: 15_000, interval: 50 }).toBe(200);
  const sent = await customer.requestOk('message.send', {
    clientMsgId: 'after-freeze',
    text: 'still here',
  });
  invariants.recordAcked(sent.message);
  await agent.waitFor('message.new', (m) => m.clientMsgId === 'after-freeze');
  await invariants.checkAll([agent], [{ client: customer, customerId }]);
  console.info('redis frozen, ms to answer:', {
    send: Math.round(answers.send.elapsedMs),
    readyz: Math.round(answers.ready.elapsedMs),
    login: Math.round(answers.loggedIn.elapsedMs),
    handshake: Math.round(answers.refused.elapsedMs),
  });
}, 90_000);

/** All at once, so the test waits for one command timeout rather than four. */
async function answersWhileFrozen(customer: TestClient, account: TestAccount) {
  const url = suite.stack.url;
  const [send, ready, loggedIn, refused] = await Promise.all([
    timed(() =>
      customer.request(
        'message.send',
        { clientMsgId: 'frozen', text: 'into the void' },
        ANSWER_WITHIN_MS,
      ),
    ),
    timed(() => readiness(url)),
    timed(() => login(url, account)),
    timed(() => handshake(url, customer.token)),
  ]);
  return { send, ready, loggedIn, refused };
}
