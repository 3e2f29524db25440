// A server node killed with SIGKILL in the middle of sends and takes: its clients reconnect to
// the surviving node and retry with the same client message ids; afterwards every invariant
// holds (stored once, views equal storage, one agent per customer, no foreign data).
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvariantChecker,
  TestClient,
  asAgentSync,
  collectionsOf,
  sendUntilAcked,
} from '@callcenter/devstack/testing';
import { useServerCluster } from './support/serverCluster';
import { loginOverHttp, type ServerProcess } from './support/serverProcess';

const PASSWORD = 'node-kill-password';
const cluster = useServerCluster({
  nodes: 2,
  prefix: 'nk',
  agents: 4,
  customers: 6,
  password: PASSWORD,
});
let mongo: MongoClient;
let tearingDown = false;

/** A client that moves to the surviving node when its node dies. */
class FailoverClient {
  current!: TestClient;
  private constructor(
    private readonly token: string,
    readonly userId: string,
  ) {}

  static async login(
    role: 'agent' | 'customer',
    login: string,
    node: ServerProcess,
    fallback: ServerProcess,
  ): Promise<FailoverClient> {
    const { token, userId } = await loginOverHttp(node.url, role, login, PASSWORD);
    const client = new FailoverClient(token, userId);
    await client.attach(node, fallback);
    return client;
  }

  private async attach(node: ServerProcess, fallback: ServerProcess): Promise<void> {
    this.current = cluster.track(await TestClient.connect(node.url, this.token));
    this.current.socket.once('disconnect', () => {
      if (tearingDown || node === fallback) return;
      this.attach(fallback, fallback).catch((error: unknown) => {
        process.stderr.write(`failover failed: ${String(error)}\n`);
      });
    });
  }
}

beforeAll(() => {
  mongo = new MongoClient(cluster.env.MONGODB_URL ?? '');
});

// Before the cluster's own teardown (hooks after the tests run last-registered first).
afterAll(async () => {
  tearingDown = true;
  await mongo.close();
});

describe('SIGKILL of a node in the middle of sends and takes', () => {
  it('clients fail over, nothing acknowledged is lost or duplicated, and the invariants hold', async () => {
    const [survivor, victim] = cluster.nodes as [ServerProcess, ServerProcess];
    const { redis, env } = cluster;
    const db = mongo.db(env.MONGODB_DB);
    const invariants = new InvariantChecker(collectionsOf(db), redis);
    // Half of everyone on the node that will die.
    const customers = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        FailoverClient.login('customer', `nk-customer-${i}`, i % 2 ? victim : survivor, survivor),
      ),
    );
    const agents = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        FailoverClient.login('agent', `nk-agent-${i}`, i % 2 ? victim : survivor, survivor),
      ),
    );
    for (const customer of customers) {
      await customer.current.requestOk('chat.request');
      invariants.recordRequested(customer.userId);
    }

    let acked = 0;
    const killAt = 15;
    let killed: Promise<unknown> | undefined;
    const count = (): void => {
      acked += 1;
      if (acked === killAt) {
        victim.child.kill('SIGKILL');
        killed = victim.exited;
      }
    };
    const sends = customers.map(async (customer, c) => {
      for (let i = 0; i < 10; i += 1) {
        invariants.recordAcked(
          await sendUntilAcked(() => customer.current, {
            clientMsgId: `nk-${c}-${i}`,
            text: `customer ${c} says ${i}`,
          }),
        );
        count();
      }
    });
    // Agents take customers and write to them, through the failover. A take whose answer was
    // lost with the node is found again with a re-sync.
    const takes = agents.map(async (agent, a) => {
      const started = await agent.current.request('chat.start', {}, 5_000).catch(() => undefined);
      let customerId = started?.ok ? started.customer.id : undefined;
      if (!started?.ok) {
        const sync = asAgentSync(await agent.current.requestOk('session.sync', {}));
        customerId = sync.state.customer?.id;
      }
      if (!customerId) return;
      for (let i = 0; i < 3; i += 1) {
        invariants.recordAcked(
          await sendUntilAcked(() => agent.current, {
            customerId,
            clientMsgId: `nk-agent-${a}-${i}`,
            text: `agent ${a} writes ${i}`,
          }),
        );
        count();
      }
    });
    await Promise.all([...sends, ...takes]);
    expect(killed).toBeDefined();
    await killed;

    // The survivor reaps the dead node; every client is now on the survivor.
    await expect.poll(() => redis.exists(`cc:node:${victim.nodeId}`), { timeout: 30_000 }).toBe(0);
    await invariants.checkAll(
      agents.map((agent) => agent.current),
      customers.map((customer) => ({ client: customer.current, customerId: customer.userId })),
    );
  }, 180_000);
});
