// R5: taking is atomic. Many agents race for the queue, for one request, and for one customer
// while it ends its chat; every outcome must leave each customer with at most one agent, in
// Redis and in MongoDB, and no request lost.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import type { AckResult, ChatStartResult, CustomerState } from '@callcenter/shared';
import { TestClient, TestStack, type TestAccount } from '@callcenter/devstack/testing';

const ROUNDS = 20;
let stack: TestStack;
let agents: TestClient[] = [];
let customers: TestClient[] = [];

async function loginAll(accounts: TestAccount[]): Promise<TestClient[]> {
  return Promise.all(accounts.map((account) => TestClient.login(stack, account)));
}

/** Ends every conversation and request, so the next round starts from a clean state. */
async function resetRound(): Promise<void> {
  await Promise.all(customers.map((customer) => customer.requestOk('chat.end')));
  const redis = stack.server.redis;
  const queued = await redis.zcard('cc:queue');
  expect(queued).toBe(0);
}

async function customerAssignments(): Promise<Map<string, string[]>> {
  const redis = stack.server.redis;
  const byCustomer = new Map<string, string[]>();
  for (const agent of agents) {
    const [state, customerId] = await redis.hmget(
      `cc:agent:${agent.account!.id}`,
      'state',
      'customerId',
    );
    if (state === 'inConversation' && customerId) {
      byCustomer.set(customerId, [...(byCustomer.get(customerId) ?? []), agent.account!.id]);
    }
  }
  return byCustomer;
}

beforeAll(async () => {
  stack = await TestStack.start({ mongodbUrl: inject('mongodbUrl') });
  const agentAccounts = await Promise.all(
    Array.from({ length: 50 }, (_, i) => stack.createAgent(`Agent ${i}`)),
  );
  const customerAccounts = await Promise.all(
    Array.from({ length: 20 }, (_, i) => stack.createCustomer('standard', `Customer ${i}`)),
  );
  agents = await loginAll(agentAccounts);
  customers = await loginAll(customerAccounts);
}, 120_000);

afterAll(async () => {
  for (const client of [...agents, ...customers]) client.close();
  await stack.stop();
});

describe('race: Start Chat', () => {
  it(`50 agents press Start Chat at once against 20 queued customers, ${ROUNDS} rounds`, async () => {
    const conversations = stack.server.mongo.collections.conversations;
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const customer of customers) await customer.requestOk('chat.request');
      const results = await Promise.all(agents.map((agent) => agent.request('chat.start')));

      const wins = results.filter((r): r is { ok: true } & ChatStartResult => r.ok);
      const lossCodes = results.flatMap((r) => (r.ok ? [] : [r.error.code]));
      expect(wins).toHaveLength(20);
      expect(lossCodes).toEqual(Array(30).fill('not_found'));
      // Every customer got exactly one agent.
      const wonCustomers = wins.map((w) => w.customer.id).sort();
      expect(wonCustomers).toEqual(customers.map((c) => c.account!.id).sort());
      const assignments = await customerAssignments();
      expect(assignments.size).toBe(20);
      for (const agentIds of assignments.values()) expect(agentIds).toHaveLength(1);
      // MongoDB follows Redis (a take's start is written after its ack): wait until it has.
      for (const customer of customers) {
        await vi.waitFor(async () => {
          const active = await conversations
            .find({ customerId: customer.account!.id, status: 'active' })
            .toArray();
          expect(active).toHaveLength(1);
          expect(active[0]!.agentId).toBe(assignments.get(customer.account!.id)![0]);
        });
      }
      await resetRound();
    }
  }, 300_000);
});

describe('race: take one specific request', () => {
  it(`20 agents take the same request: exactly one success, ${ROUNDS} rounds`, async () => {
    const racers = agents.slice(0, 20);
    const customer = customers[0]!;
    for (let round = 0; round < ROUNDS; round += 1) {
      const { state } = await customer.requestOk('chat.request');
      const results = await Promise.all(
        racers.map((agent) => agent.request('chat.take', { requestId: state.requestId! })),
      );
      const wins = results.filter((r) => r.ok);
      expect(wins).toHaveLength(1);
      const codes = results
        .map((r) => (r.ok ? 'ok' : r.error.code))
        .filter((code) => code !== 'ok');
      expect(new Set(codes)).toEqual(new Set(['already_claimed']));
      const assignments = await customerAssignments();
      expect(assignments.get(customer.account!.id)).toHaveLength(1);
      await resetRound();
    }
  }, 300_000);
});

describe('race: Start Chat, an agent message (R9) and the customer End Chat on one customer', () => {
  it(`every outcome is consistent and never two agents, ${ROUNDS} rounds`, async () => {
    const [starter, writer] = [agents[0]!, agents[1]!];
    const customer = customers[0]!;
    const customerId = customer.account!.id;
    const conversations = stack.server.mongo.collections.conversations;
    const outcomes = new Set<string>();
    for (let round = 0; round < ROUNDS; round += 1) {
      await customer.requestOk('chat.request');
      const [start, write, end] = (await Promise.all([
        starter.request('chat.start'),
        writer.request('message.send', {
          customerId,
          clientMsgId: `race-${round}`,
          text: 'Can I help?',
        }),
        customer.request('chat.end'),
      ])) as [AckResult<ChatStartResult>, AckResult, AckResult<{ state: CustomerState }>];
      expect(end.ok).toBe(true);
      outcomes.add(
        `${start.ok ? 'start' : start.error.code}/${write.ok ? 'write' : write.error.code}`,
      );

      // Never two agents for one customer, in Redis or in MongoDB.
      const assignments = await customerAssignments();
      expect((assignments.get(customerId) ?? []).length).toBeLessThanOrEqual(1);
      const [state, assignedAgent] = await stack.server.redis.hmget(
        `cc:cust:${customerId}`,
        'state',
        'agentId',
      );
      if (state === 'inConversation') {
        expect(assignments.get(customerId)).toEqual([assignedAgent]);
      }
      // MongoDB follows Redis (a take's start is written after its ack): wait until it has.
      await vi.waitFor(async () => {
        const active = await conversations.find({ customerId, status: 'active' }).toArray();
        expect(active.length).toBeLessThanOrEqual(1);
        if (state === 'inConversation') {
          expect(active).toHaveLength(1);
          expect(active[0]!.agentId).toBe(assignedAgent);
        } else {
          expect(active).toHaveLength(0);
        }
      });
      // A refused message was not stored.
      const stored = await stack.server.mongo.collections.messages.countDocuments({
        clientMsgId: `race-${round}`,
      });
      expect(stored).toBe(write.ok ? 1 : 0);

      await customer.requestOk('chat.end');
      await Promise.all(
        [starter, writer].map(async (agent) => {
          const [agentState, conversationId] = await stack.server.redis.hmget(
            `cc:agent:${agent.account!.id}`,
            'state',
            'conversationId',
          );
          if (agentState === 'inConversation')
            await agent.requestOk('chat.end', { conversationId: conversationId! });
        }),
      );
      expect(await stack.server.redis.zcard('cc:queue')).toBe(0);
    }
    // The outcomes seen are only ever the consistent ones.
    for (const outcome of outcomes) {
      expect([
        'start/assigned_to_other',
        'not_found/write',
        'not_found/assigned_to_other',
        'start/write',
        'not_found/agent_busy',
      ]).toContain(outcome);
    }
  }, 300_000);
});
