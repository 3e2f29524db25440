// Three server processes on one Redis and one database: any node serves any client. Queue
// snapshots, races to take, messages and presence work across nodes, and a node killed with
// SIGKILL loses nothing that was acknowledged: its clients carry on from another node.
import { describe, expect, it } from 'vitest';
import type { ChatStartResult } from '@callcenter/shared';
import { TestClient } from '@callcenter/devstack/testing';
import { useServerCluster } from './support/serverCluster';
import { loginOverHttp, type ServerProcess } from './support/serverProcess';

const PASSWORD = 'multi-node-password';
const AGENTS = 10;
const CUSTOMERS = 5;

const cluster = useServerCluster({
  nodes: 3,
  prefix: 'mn',
  agents: AGENTS,
  customers: CUSTOMERS,
  password: PASSWORD,
  tier: 'gold',
});
const { connect } = cluster;

function login(node: ServerProcess, role: 'agent' | 'customer', name: string) {
  return loginOverHttp(node.url, role, name, PASSWORD);
}

describe('three nodes, one Redis, one database', () => {
  it('queue, races, messages and presence work across nodes; a SIGKILLed node loses nothing acknowledged', async () => {
    const [node1, node2, node3] = cluster.nodes as [ServerProcess, ServerProcess, ServerProcess];
    const { redis } = cluster;
    // Customers on node 1, agents alternating between nodes 2 and 3.
    const customers = await Promise.all(
      Array.from({ length: CUSTOMERS }, (_, i) => connect(node1, 'customer', `mn-customer-${i}`)),
    );
    const agents = await Promise.all(
      Array.from({ length: AGENTS }, (_, i) =>
        connect(i % 2 === 0 ? node2 : node3, 'agent', `mn-agent-${i}`),
      ),
    );

    // Presence: each connection is recorded under the node that holds it.
    const firstCustomer = await login(node1, 'customer', 'mn-customer-0');
    await expect
      .poll(() => redis.smembers(`cc:conns:customer:${firstCustomer.userId}`))
      .toEqual([expect.stringMatching(new RegExp(`^${node1.nodeId}\\|`))]);

    // Queue snapshots reach agents on the other nodes.
    for (const customer of customers) await customer.requestOk('chat.request');
    await agents[0]!.waitFor('queue.snapshot', (s) => s.total === CUSTOMERS);
    await agents[1]!.waitFor('queue.snapshot', (s) => s.total === CUSTOMERS);

    // Race across nodes: exactly one agent per customer.
    const results = await Promise.all(agents.map((agent) => agent.request('chat.start')));
    const wins = results.filter((r): r is { ok: true } & ChatStartResult => r.ok);
    expect(wins).toHaveLength(CUSTOMERS);
    expect(new Set(wins.map((w) => w.customer.id)).size).toBe(CUSTOMERS);
    expect(results.flatMap((r) => (r.ok ? [] : [r.error.code]))).toEqual(
      Array(AGENTS - CUSTOMERS).fill('not_found'),
    );

    // Messages cross nodes both ways; every agent sees the customer's message.
    const winnerIndex = results.findIndex((r) => r.ok && r.customer.id === firstCustomer.userId);
    const owner = agents[winnerIndex]!;
    const ownerNode = winnerIndex % 2 === 0 ? node2 : node3;
    const otherNode = ownerNode === node2 ? node3 : node2;
    const fromCustomer = await customers[0]!.requestOk('message.send', {
      clientMsgId: 'mn-1',
      text: 'hello from node 1',
    });
    for (const agent of agents)
      await agent.waitFor('message.new', (m) => m.id === fromCustomer.message.id);
    const fromAgent = await owner.requestOk('message.send', {
      customerId: firstCustomer.userId,
      clientMsgId: 'mn-2',
      text: 'hello back',
    });
    await customers[0]!.waitFor('message.new', (m) => m.id === fromAgent.message.id);
    const { cursor } = await owner.requestOk('session.sync', {});

    // SIGKILL the owner's node. Meanwhile the customer keeps writing; every send is acked.
    ownerNode.child.kill('SIGKILL');
    await ownerNode.exited;
    const acked: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { message } = await customers[0]!.requestOk('message.send', {
        clientMsgId: `mn-gap-${i}`,
        text: `while the node is down ${i}`,
      });
      acked.push(message.id);
    }
    // The agent reconnects to a surviving node with its token and cursor, and carries on.
    const again = cluster.track(await TestClient.connect(otherNode.url, owner.token));
    const replay = await again.requestOk('session.sync', { since: cursor });
    expect(replay.messages.map((m) => m.id)).toEqual(acked);
    expect(replay.state.state).toBe('inConversation');
    const reply = await again.requestOk('message.send', {
      customerId: firstCustomer.userId,
      clientMsgId: 'mn-3',
      text: 'still here',
    });
    await customers[0]!.waitFor('message.new', (m) => m.id === reply.message.id);

    // The dead node's connections leave presence (the survivors reap it).
    await expect
      .poll(() => redis.exists(`cc:node:${ownerNode.nodeId}`), { timeout: 30_000 })
      .toBe(0);
    for (const key of await redis.keys('cc:conns:*')) {
      for (const member of await redis.smembers(key))
        expect(member.startsWith(`${ownerNode.nodeId}|`)).toBe(false);
    }
  }, 180_000);
});
