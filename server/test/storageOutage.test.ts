// The MongoDB-compatible store goes away: sends are not acknowledged (they answer
// `unavailable`, so the client retries), and once it is back the retried send is stored and
// delivered exactly once. Uses a private store so the other suites are not disturbed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, startMongo, type MongoHandle } from '@callcenter/devstack/embedded';
import {
  InvariantChecker,
  TestClient,
  TestStack,
  sendUntilAcked,
} from '@callcenter/devstack/testing';

let dataDir: string;
let port: number;
let mongo: MongoHandle;
let stack: TestStack;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'callcenter-outage-'));
  port = await findFreePort();
  mongo = await startMongo({ dataDir, port });
  stack = await TestStack.start({ mongodbUrl: mongo.url });
}, 120_000);

afterAll(async () => {
  await stack.stop();
  await mongo.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('storage unreachable', () => {
  it('a send while storage is down is not acknowledged; the retry afterwards is stored and delivered once', async () => {
    const agent = await TestClient.login(stack, await stack.createAgent());
    const customer = await TestClient.login(stack, await stack.createCustomer());
    await customer.requestOk('chat.request');
    await customer.requestOk('message.send', { clientMsgId: 'before', text: 'before the outage' });

    await mongo.stop();
    const during = await customer.request(
      'message.send',
      { clientMsgId: 'during', text: 'sent during the outage' },
      30_000,
    );
    expect(during).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    // The server itself stays up and says it is not ready.
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${stack.url}/readyz`)).status).toBe(503);

    mongo = await startMongo({ dataDir, port });
    await expect
      .poll(async () => (await fetch(`${stack.url}/readyz`)).status, { timeout: 30_000 })
      .toBe(200);
    const retried = await Promise.all([
      customer.requestOk('message.send', {
        clientMsgId: 'during',
        text: 'sent during the outage',
      }),
      customer.requestOk('message.send', {
        clientMsgId: 'during',
        text: 'sent during the outage',
      }),
    ]);
    expect(retried[0].message.id).toBe(retried[1].message.id);
    await customer.requestOk('message.send', { clientMsgId: 'after', text: 'after' });
    await agent.waitFor('message.new', (m) => m.clientMsgId === 'after');
    expect(agent.received('message.new').map((m) => m.clientMsgId)).toEqual([
      'before',
      'during',
      'after',
    ]);
    expect(
      await stack.server.mongo.collections.messages.countDocuments({ clientMsgId: 'during' }),
    ).toBe(1);
    agent.close();
    customer.close();
  }, 120_000);

  it('10 s without storage while clients keep retrying: every send is stored once afterwards and the invariants hold', async () => {
    const invariants = new InvariantChecker(stack.server.mongo.collections, stack.server.redis);
    const agent = await TestClient.login(stack, await stack.createAgent());
    const customers = await Promise.all(
      [0, 1].map(async () => TestClient.login(stack, await stack.createCustomer())),
    );
    for (const customer of customers) {
      await customer.requestOk('chat.request');
      invariants.recordRequested(customer.account!.id);
    }
    await mongo.stop();
    const downSince = Date.now();
    // Clients retry with the same ids the whole time; nothing is acknowledged while it is down.
    const sends = customers.map((customer, c) =>
      Promise.all(
        [0, 1, 2].map(async (i) => {
          const message = await sendUntilAcked(() => customer, {
            clientMsgId: `outage-${c}-${i}`,
            text: `written during the outage ${i}`,
          });
          expect(Date.now() - downSince).toBeGreaterThanOrEqual(10_000);
          invariants.recordAcked(message);
        }),
      ),
    );
    await expect
      .poll(() => Date.now() - downSince, { timeout: 20_000, interval: 500 })
      .toBeGreaterThanOrEqual(10_000);
    mongo = await startMongo({ dataDir, port });
    await Promise.all(sends);
    await invariants.checkAll(
      [agent],
      customers.map((client) => ({ client, customerId: client.account!.id })),
    );
    for (const customer of customers) customer.close();
    agent.close();
  }, 120_000);
});
