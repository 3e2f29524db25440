// Retention (issue 15): an admin sets how many days ended conversations are kept; a run
// removes exactly the ended ones whose end is older than that, with their messages, never an
// active one; it reports what it removed; one node runs at a time (a Redis lock).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack();
const DAY = 86_400_000;
const MINUTE = 60_000;

interface RunAnswer {
  ran: boolean;
  reason?: string;
  message?: string;
  report?: { removedConversations: number; removedMessages: number; cutoff: string };
}

async function adminToken(): Promise<string> {
  return (await suite.stack.login(await suite.stack.createSupervisor({ admin: true }))).token;
}

async function call<T>(token: string, method: string, path: string, body?: object, url?: string) {
  const answer = await fetch(`${url ?? suite.stack.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body && { 'content-type': 'application/json' }),
    },
    body: body && JSON.stringify(body),
  });
  expect(answer.status, `${method} ${path}`).toBe(200);
  return (await answer.json()) as T;
}

/** A conversation in the store with `messages` messages; `endedAt` null: still active. */
async function seed(startedAt: Date, endedAt: Date | null, messages: number): Promise<string> {
  const { conversations, messages: stored } = suite.stack.server.mongo.collections;
  const id = randomUUID();
  await conversations.insertOne({
    _id: id,
    customerId: 'customer-x',
    agentId: 'agent-x',
    requestId: null,
    status: endedAt ? 'ended' : 'active',
    startedAt,
    endedAt,
    endedBy: endedAt ? 'agent' : null,
    endReason: 'agent',
  });
  if (messages > 0) {
    await stored.insertMany(
      Array.from({ length: messages }, (_, i) => ({
        _id: randomUUID(),
        seq: Math.floor(Math.random() * 1e12),
        page: 0,
        clientMsgId: randomUUID(),
        senderKey: `customer:customer-x`,
        sender: { role: 'customer' as const, id: 'customer-x', displayName: 'X' },
        customerId: 'customer-x',
        conversationId: id,
        text: `message ${i}`,
        priority: 1,
        createdAt: new Date(startedAt.getTime() + i),
      })),
    );
  }
  return id;
}

async function remaining() {
  const { conversations, messages } = suite.stack.server.mongo.collections;
  const kept = await conversations.find({}, { projection: { _id: 1 } }).toArray();
  return {
    conversations: kept.map((c) => c._id).sort(),
    messages: await messages.countDocuments({}),
  };
}

/** Older ended (removed), newer ended and long-running active ones (kept), with 3 messages each. */
async function history(days: number) {
  const now = Date.now();
  const cutoff = now - days * DAY;
  const old = [
    await seed(new Date(cutoff - DAY), new Date(cutoff - MINUTE), 3),
    await seed(new Date(cutoff - 400 * DAY), new Date(cutoff - 300 * DAY), 3),
  ];
  const kept = [
    await seed(new Date(cutoff - DAY), new Date(cutoff + MINUTE), 3),
    await seed(new Date(cutoff - 500 * DAY), null, 3),
    await seed(new Date(now - MINUTE), null, 3),
  ];
  return { old, kept };
}

describe('retention', () => {
  it('removes exactly the ended conversations older than the setting, and their messages', async () => {
    const token = await adminToken();
    const { kept } = await history(30);
    // Off: nothing is removed.
    await call(token, 'PUT', '/api/supervisor/retention', { days: null });
    const off = await call<RunAnswer>(token, 'POST', '/api/supervisor/retention/run', {});
    expect(off).toMatchObject({ ran: false, reason: 'off' });
    expect((await remaining()).conversations).toHaveLength(5);

    const set = await call<{ days: number; updatedBy: { login: string } }>(
      token,
      'PUT',
      '/api/supervisor/retention',
      { days: 30 },
    );
    expect(set.days).toBe(30);
    const before = Date.now();
    const run = await call<RunAnswer>(token, 'POST', '/api/supervisor/retention/run', {});
    expect(run).toMatchObject({
      ran: true,
      report: { removedConversations: 2, removedMessages: 6 },
    });
    const cutoff = Date.parse(run.report!.cutoff);
    expect(cutoff).toBeGreaterThanOrEqual(before - 30 * DAY);
    expect(cutoff).toBeLessThanOrEqual(Date.now() - 30 * DAY);
    expect(await remaining()).toEqual({ conversations: [...kept].sort(), messages: 9 });

    // Reported on the setting and in the audit log.
    const settings = await call<{ days: number; lastRun: Record<string, unknown> }>(
      token,
      'GET',
      '/api/supervisor/retention',
    );
    expect(settings.lastRun).toMatchObject({ removedConversations: 2, removedMessages: 6 });
    const audit = await suite.stack.server.mongo.collections.auditLog
      .find({ action: { $in: ['retention.run', 'retention.update'] } })
      .sort({ at: -1 })
      .limit(2)
      .toArray();
    expect(audit[0]).toMatchObject({
      action: 'retention.run',
      actor: { id: 'system', login: 'system', displayName: 'Retention job' },
      after: { removedConversations: 2, removedMessages: 6, cutoff: run.report!.cutoff },
    });
    expect(audit[1]).toMatchObject({ action: 'retention.update', after: { days: 30 } });

    // A second run finds nothing more.
    const again = await call<RunAnswer>(token, 'POST', '/api/supervisor/retention/run', {});
    expect(again).toMatchObject({
      ran: true,
      report: { removedConversations: 0, removedMessages: 0 },
    });
    expect((await remaining()).conversations).toHaveLength(3);
  });

  it('runs on one node at a time', async () => {
    const token = await adminToken();
    const second = await suite.stack.addNode();
    try {
      await call(token, 'PUT', '/api/supervisor/retention', { days: 10 });
      const { kept } = await history(10);
      // Another node holds the lock: this one does not run.
      await suite.stack.server.redis.set('lock:retention', 'another-node', 'PX', 60_000);
      const busy = await call<RunAnswer>(token, 'POST', '/api/supervisor/retention/run', {});
      expect(busy).toMatchObject({ ran: false, reason: 'busy' });
      expect((await remaining()).conversations).toHaveLength(5);
      await suite.stack.server.redis.del('lock:retention');

      // Both nodes at once: whoever runs, the two old ones go once, and the lock is left free.
      const answers = await Promise.all([
        call<RunAnswer>(token, 'POST', '/api/supervisor/retention/run', {}),
        call<RunAnswer>(token, 'POST', '/api/supervisor/retention/run', {}, second.url),
      ]);
      const ran = answers.filter((a) => a.ran);
      expect(ran.length).toBeGreaterThanOrEqual(1);
      for (const answer of answers.filter((a) => !a.ran)) expect(answer.reason).toBe('busy');
      const removed = ran.reduce((sum, a) => sum + a.report!.removedConversations, 0);
      const removedMessages = ran.reduce((sum, a) => sum + a.report!.removedMessages, 0);
      expect({ removed, removedMessages }).toEqual({ removed: 2, removedMessages: 6 });
      expect(await remaining()).toEqual({ conversations: [...kept].sort(), messages: 9 });
      expect(await suite.stack.server.redis.get('lock:retention')).toBeNull();
    } finally {
      suite.stack.nodes.splice(suite.stack.nodes.indexOf(second), 1);
      await second.stop();
    }
  });
});
