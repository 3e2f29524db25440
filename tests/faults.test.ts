// Faults under traffic, each ending with the invariant check: Redis restarted by SIGTERM and
// by SIGKILL (AOF on), and a customer offline for 30 s while messages flow both ways.
import { describe, expect, it } from 'vitest';
import {
  InvariantChecker,
  TestClient,
  sendUntilAcked,
  useTestStack,
} from '@callcenter/devstack/testing';

// appendfsync always: an acknowledged write is on disk before Redis can be killed.
const suite = useTestStack({ appendfsync: 'always' });

function checker(): InvariantChecker {
  return new InvariantChecker(suite.stack.server.mongo.collections, suite.stack.server.redis);
}

describe.each(['SIGTERM', 'SIGKILL'] as const)('Redis restarted by %s under traffic', (signal) => {
  it('loses and duplicates nothing; queue and assignments stay consistent', async () => {
    const invariants = checker();
    const agent = await suite.loginNew('agent');
    const customers = await Promise.all([0, 1, 2, 3].map(() => suite.loginNew('customer')));
    for (const customer of customers) {
      await customer.requestOk('chat.request');
      invariants.recordRequested(customer.account!.id);
    }
    const started = await agent.requestOk('chat.start');
    const partner = customers.find((c) => c.account!.id === started.customer.id)!;

    let acked = 0;
    let restarted: Promise<void> | undefined;
    const restartOnce = (): void => {
      acked += 1;
      // Restart while the traffic is in full flow.
      if (acked === 6)
        restarted = suite.stack.redis.stop(signal).then(() => suite.stack.redis.start());
    };
    const customerTraffic = customers.map(async (customer, index) => {
      for (let i = 0; i < 12; i += 1) {
        const message = await sendUntilAcked(() => customer, {
          clientMsgId: `${signal}-c${index}-${i}`,
          text: `customer ${index} message ${i}`,
        });
        invariants.recordAcked(message);
        restartOnce();
      }
    });
    const agentTraffic = (async () => {
      for (let i = 0; i < 8; i += 1) {
        const message = await sendUntilAcked(() => agent, {
          customerId: partner.account!.id,
          clientMsgId: `${signal}-a-${i}`,
          text: `agent message ${i}`,
        });
        invariants.recordAcked(message);
        restartOnce();
      }
    })();
    await Promise.all([...customerTraffic, agentTraffic]);
    await restarted;
    expect(invariants.ackedCount).toBe(4 * 12 + 8);

    // Everything still works after the restart: a new take, the queue as before.
    const redis = suite.stack.server.redis;
    await expect.poll(() => redis.zcard('cc:queue'), { timeout: 15_000 }).toBe(3);
    await invariants.checkAll(
      [agent],
      customers.map((client) => ({ client, customerId: client.account!.id })),
    );
  }, 120_000);
});

describe('a customer offline for 30 s while messages flow both ways', () => {
  it('gets every agent message on reconnect and its own offline messages are stored once', async () => {
    const invariants = checker();
    const agent = await suite.loginNew('agent');
    const account = await suite.stack.createCustomer('gold');
    let customer = suite.track(await TestClient.login(suite.stack, account));
    await customer.requestOk('chat.request');
    invariants.recordRequested(account.id);
    await agent.requestOk('chat.start');
    const { cursor } = await customer.requestOk('session.sync', {});

    customer.close();
    const offlineSince = Date.now();
    // While away: the agent keeps writing, and the customer "types" into its outbox.
    const outbox = Array.from({ length: 5 }, (_, i) => ({
      clientMsgId: `offline-${i}`,
      text: `typed offline ${i}`,
    }));
    let sent = 0;
    while (Date.now() - offlineSince < 30_000) {
      const message = await sendUntilAcked(() => agent, {
        customerId: account.id,
        clientMsgId: `while-away-${sent}`,
        text: `agent writes ${sent}`,
      });
      invariants.recordAcked(message);
      sent += 1;
      // Paced by the agent's own acknowledgements and a one-second tick: the outage lasts 30 s.
      await agent.waitFor('message.new', (m) => m.id === message.id);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }

    customer = suite.track(await TestClient.connect(suite.stack.url, customer.token, account));
    const replay = await customer.requestOk('session.sync', {
      since: cursor,
    });
    expect(replay.messages.map((m) => m.clientMsgId)).toEqual(
      Array.from({ length: sent }, (_, i) => `while-away-${i}`),
    );
    // The outbox goes out with its original ids; a retry of each is not stored twice.
    for (const entry of outbox) invariants.recordAcked(await sendUntilAcked(() => customer, entry));
    for (const entry of outbox) invariants.recordAcked(await sendUntilAcked(() => customer, entry));
    await invariants.checkStoredOnce();
    await invariants.checkView(customer, account.id);
    await invariants.checkView(agent, null);
    await invariants.checkQueueAccounting();
    invariants.checkNoForeignData(customer, account.id);
  }, 90_000);
});
