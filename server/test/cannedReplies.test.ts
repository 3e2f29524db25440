// Canned replies (issue 14, point 4): an agent lists the shared set and its own, changes only
// its own, within the limits; consoles hear of changes (`canned.changed`), the admin tool's
// through Redis on every node. Against the real server, a private Redis and the storage.
import { Emitter } from '@socket.io/redis-emitter';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CANNED_LIMITS } from '@callcenter/shared';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';
import { CannedAdmin } from '../src/admin/cannedAdmin';
import { CANNED_CHANGED, SOCKET_IO_KEY } from '../src/socket/channels';
import { CannedRepliesRepository } from '../src/store/cannedReplies';

const suite = useTestStack();
const { loginNew } = suite;

let adminRedis: Redis;
let admin: CannedAdmin;

beforeAll(() => {
  // The admin tool's way to the nodes: an emitter on their Redis (see admin/cli.ts).
  adminRedis = new Redis(suite.stack.redis.url);
  const emitter = new Emitter(adminRedis, { key: SOCKET_IO_KEY });
  admin = new CannedAdmin(new CannedRepliesRepository(suite.stack.server.mongo.collections), {
    sharedChanged: () => {
      emitter.serverSideEmit(CANNED_CHANGED);
      return Promise.resolve();
    },
  });
});

afterEach(async () => {
  await suite.stack.server.mongo.collections.cannedReplies.deleteMany({});
});

afterAll(async () => {
  await adminRedis.quit();
});

const greeting = { shortcut: 'hello', title: 'Greeting', text: 'Hello {customer.firstName}!' };

describe('canned.list / canned.save / canned.delete', () => {
  it('an agent lists the shared replies and its own, never a colleague’s', async () => {
    const agent = await loginNew('agent');
    const colleague = await loginNew('agent');
    expect((await agent.requestOk('canned.list')).replies).toEqual([]);
    await admin.add({ shortcut: 'thanks', title: 'Thanks', text: 'Thank you for waiting.' });
    const own = await agent.requestOk('canned.save', greeting);
    expect(own.reply).toMatchObject({ ...greeting, scope: 'own' });
    await colleague.requestOk('canned.save', { ...greeting, text: 'Hi there' });

    const listed = (await agent.requestOk('canned.list')).replies;
    expect(listed.map((r) => [r.scope, r.shortcut, r.text])).toEqual([
      ['shared', 'thanks', 'Thank you for waiting.'],
      ['own', 'hello', 'Hello {customer.firstName}!'],
    ]);
    expect(listed[1]).toEqual(own.reply);
    const stored = await suite.stack.server.mongo.collections.cannedReplies.findOne({
      _id: own.reply.id,
    });
    expect(stored?.ownerId).toBe(agent.account!.id);
  });

  it('save with an id updates the reply; a duplicate shortcut in the own set is refused', async () => {
    const agent = await loginNew('agent');
    await admin.add({ shortcut: 'bye', title: 'Goodbye', text: 'Goodbye!' });
    const first = (await agent.requestOk('canned.save', greeting)).reply;
    // The same shortcut as a shared reply is fine: the own set is another set.
    const second = (
      await agent.requestOk('canned.save', { shortcut: 'bye', title: 'Mine', text: 'Bye now' })
    ).reply;

    const updated = await agent.requestOk('canned.save', {
      id: first.id,
      shortcut: 'hi',
      title: 'Hi',
      text: 'Hi {customer.name}',
    });
    expect(updated.reply).toMatchObject({
      id: first.id,
      shortcut: 'hi',
      text: 'Hi {customer.name}',
    });
    expect(Date.parse(updated.reply.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.updatedAt));

    const duplicate = await agent.request('canned.save', { ...greeting, shortcut: 'bye' });
    expect(duplicate).toEqual({
      ok: false,
      error: {
        code: 'invalid_payload',
        message: 'shortcut: you already have a canned reply with the shortcut "/bye".',
      },
    });
    const renamedOntoOther = await agent.request('canned.save', {
      id: first.id,
      shortcut: 'bye',
      title: 'Hi',
      text: 'Hi',
    });
    expect(renamedOntoOther).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const own = (await agent.requestOk('canned.list')).replies.filter((r) => r.scope === 'own');
    expect(own.map((r) => [r.id, r.shortcut])).toEqual([
      [second.id, 'bye'],
      [first.id, 'hi'],
    ]);
  });

  it('an agent changes and deletes only its own: a colleague’s is not_found, a shared one forbidden', async () => {
    const agent = await loginNew('agent');
    const colleague = await loginNew('agent');
    const shared = await admin.add({ shortcut: 'policy', title: 'Policy', text: 'Our policy…' });
    const theirs = (await colleague.requestOk('canned.save', greeting)).reply;

    expect(await agent.request('canned.delete', { id: theirs.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await agent.request('canned.save', { ...greeting, id: theirs.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await agent.request('canned.delete', { id: shared._id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'Shared canned replies are changed by admins only.' },
    });
    expect(await agent.request('canned.delete', { id: 'no-such-reply' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    // Nothing changed.
    expect((await colleague.requestOk('canned.list')).replies.map((r) => r.id)).toEqual([
      shared._id,
      theirs.id,
    ]);

    await colleague.requestOk('canned.delete', { id: theirs.id });
    expect((await colleague.requestOk('canned.list')).replies.map((r) => r.id)).toEqual([
      shared._id,
    ]);
    expect(await colleague.request('canned.delete', { id: theirs.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('refuses bad shortcuts, titles and texts with a clear message, and customers', async () => {
    const agent = await loginNew('agent');
    const refusal = async (payload: unknown) => {
      const answer = await agent.requestRaw('canned.save', payload);
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      return (answer as { error: { message: string } }).error.message;
    };
    expect(await refusal({ ...greeting, shortcut: 'Hello There' })).toBe(
      'shortcut: a shortcut uses lower-case letters, digits, - and _ only, starting with a letter or digit',
    );
    expect(
      await refusal({ ...greeting, shortcut: 'x'.repeat(CANNED_LIMITS.shortcutLength + 1) }),
    ).toBe(`shortcut: a shortcut has at most ${CANNED_LIMITS.shortcutLength} characters`);
    expect(await refusal({ ...greeting, title: '   ' })).toBe(
      'title: a title has at least 1 character',
    );
    expect(await refusal({ ...greeting, title: 'Line\nbreak' })).toMatch(
      /^title: contains control/,
    );
    expect(await refusal({ ...greeting, text: 'x'.repeat(CANNED_LIMITS.textLength + 1) })).toBe(
      `text: a text has at most ${CANNED_LIMITS.textLength} characters`,
    );
    expect(await refusal({ ...greeting, text: 'evil \u202E' })).toMatch(
      /^text: contains bidirectional/,
    );
    expect(await refusal({ ...greeting, ownerId: 'someone' })).toMatch(/ownerId/);
    expect((await agent.requestOk('canned.list')).replies).toEqual([]);

    const customer = await loginNew('customer');
    expect(await customer.requestRaw('canned.list', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it(`keeps at most ${CANNED_LIMITS.repliesPerAgent} replies of an agent's own`, async () => {
    const agent = await loginNew('agent');
    const now = new Date();
    await suite.stack.server.mongo.collections.cannedReplies.insertMany(
      Array.from({ length: CANNED_LIMITS.repliesPerAgent - 1 }, (_, i) => ({
        _id: `seeded-${agent.account!.id}-${i}`,
        ownerId: agent.account!.id,
        shortcut: `r${i}`,
        title: `Reply ${i}`,
        text: 'text',
        createdAt: now,
        updatedAt: now,
      })),
    );
    const last = (await agent.requestOk('canned.save', greeting)).reply;
    expect(await agent.request('canned.save', { ...greeting, shortcut: 'one-more' })).toEqual({
      ok: false,
      error: {
        code: 'invalid_payload',
        message: `You already have ${CANNED_LIMITS.repliesPerAgent} canned replies, the most an agent may keep; delete one first.`,
      },
    });
    // Updating one is still fine, and deleting one makes room.
    await agent.requestOk('canned.save', { ...greeting, id: last.id, text: 'Changed' });
    await agent.requestOk('canned.delete', { id: last.id });
    await agent.requestOk('canned.save', { ...greeting, shortcut: 'one-more' });
  });
});

describe('canned.changed', () => {
  it("an agent's own change reaches its other sessions, not its colleagues", async () => {
    const agent = await loginNew('agent');
    const sameAgentElsewhere = suite.track(await TestClient.login(suite.stack, agent.account!));
    const colleague = await loginNew('agent');
    await agent.requestOk('canned.save', greeting);
    expect(await sameAgentElsewhere.waitFor('canned.changed')).toEqual({ scope: 'own' });
    expect(await agent.waitFor('canned.changed')).toEqual({ scope: 'own' });
    // A shared change reaches everyone after it: the colleague heard of nothing before it.
    await admin.add({ shortcut: 'thanks', title: 'Thanks', text: 'Thanks!' });
    await colleague.waitFor('canned.changed');
    expect(colleague.received('canned.changed')).toEqual([{ scope: 'shared' }]);
  });

  it("an admin's change to the shared set reaches every agent on every node through Redis", async () => {
    const second = await suite.stack.addNode();
    const here = await loginNew('agent');
    const account = await suite.stack.createAgent();
    const there = suite.track(await TestClient.login(suite.stack, account, second.url));
    const customer = await loginNew('customer');
    // Connected and joined to the agents' room on both nodes before the change.
    await here.requestOk('canned.list');
    await there.requestOk('canned.list');

    const added = await admin.add({ shortcut: 'wait', title: 'Wait', text: 'One moment' });
    for (const agent of [here, there]) {
      expect(await agent.waitFor('canned.changed')).toEqual({ scope: 'shared' });
      expect((await agent.requestOk('canned.list')).replies.map((r) => r.id)).toEqual([added._id]);
    }
    const mark = there.mark();
    await admin.update('wait', { text: 'One moment, please' });
    await there.waitFor('canned.changed', () => true, mark);
    const mark2 = here.mark();
    await admin.remove(added._id);
    await here.waitFor('canned.changed', () => true, mark2);
    expect((await here.requestOk('canned.list')).replies).toEqual([]);
    // Customers hear nothing of it.
    await customer.requestOk('session.sync', {});
    expect(customer.events.filter((e) => e.name === 'canned.changed')).toEqual([]);
  });
});
