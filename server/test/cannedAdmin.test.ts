// The shared canned replies as admins manage them (issue 14, point 4): one at a time by id or
// shortcut, and in bulk, all or nothing. Against real MongoDB-compatible storage.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { AdminInputError } from '../src/admin/accountAdmin';
import { CannedAdmin } from '../src/admin/cannedAdmin';
import { CannedRepliesRepository } from '../src/store/cannedReplies';
import { connectMongo, type MongoStore } from '../src/store/mongo';

let mongo: MongoStore;
let admin: CannedAdmin;
let signals = 0;

beforeAll(async () => {
  mongo = await connectMongo(
    inject('mongodbUrl'),
    `test_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
  );
  admin = new CannedAdmin(new CannedRepliesRepository(mongo.collections), {
    sharedChanged: () => {
      signals += 1;
      return Promise.resolve();
    },
  });
});

beforeEach(async () => {
  await mongo.collections.cannedReplies.deleteMany({});
  signals = 0;
});

afterAll(async () => {
  await mongo.db.dropDatabase().catch(() => undefined);
  await mongo.close();
});

const stored = () =>
  mongo.collections.cannedReplies
    .find({}, { projection: { _id: 0, ownerId: 1, shortcut: 1, title: 1, text: 1 } })
    .sort({ shortcut: 1 })
    .toArray();

describe('one at a time', () => {
  it('adds, lists, updates and removes by id or shortcut; each change signals the nodes', async () => {
    const added = await admin.add({
      shortcut: 'hello',
      title: 'Hello',
      text: 'Hi {customer.name}',
    });
    await admin.add({ shortcut: 'bye', title: 'Bye', text: 'Goodbye' });
    expect((await admin.list()).map((d) => d.shortcut)).toEqual(['bye', 'hello']);
    await admin.update('/hello', { title: 'Greeting' });
    await admin.update(added._id, { text: 'Hello {customer.firstName}' });
    await admin.remove('bye');
    expect(await stored()).toEqual([
      { ownerId: null, shortcut: 'hello', title: 'Greeting', text: 'Hello {customer.firstName}' },
    ]);
    expect(signals).toBe(5);
  });

  it('refuses bad input, unknown replies and a duplicate shortcut, changing nothing', async () => {
    await admin.add({ shortcut: 'hello', title: 'Hello', text: 'Hi' });
    await admin.add({ shortcut: 'bye', title: 'Bye', text: 'Bye' });
    await expect(admin.add({ shortcut: 'hello', title: 'Again', text: 'x' })).rejects.toThrow(
      new AdminInputError('a shared canned reply with shortcut "hello" exists'),
    );
    await expect(admin.update('bye', { shortcut: 'hello' })).rejects.toThrow(
      new AdminInputError('a shared canned reply with shortcut "hello" exists'),
    );
    await expect(admin.add({ shortcut: 'Big Shortcut', title: 'x', text: 'x' })).rejects.toThrow(
      /^shortcut: a shortcut uses lower-case letters/,
    );
    await expect(admin.add({ shortcut: 'x', title: 'x', text: '\u202Ex' })).rejects.toThrow(
      /^text: contains bidirectional control characters/,
    );
    await expect(admin.update('nope', { title: 'x' })).rejects.toThrow(
      new AdminInputError('no shared canned reply with id or shortcut "nope"'),
    );
    await expect(admin.update('hello', {})).rejects.toThrow(/^nothing to change/);
    await expect(admin.remove('nope')).rejects.toBeInstanceOf(AdminInputError);
    expect((await stored()).map((d) => [d.shortcut, d.title])).toEqual([
      ['bye', 'Bye'],
      ['hello', 'Hello'],
    ]);
    expect(signals).toBe(2);
  });

  it("never touches an agent's own replies", async () => {
    const repository = new CannedRepliesRepository(mongo.collections);
    const own = await repository.create('agent-1', { shortcut: 'mine', title: 'Mine', text: 'x' });
    expect(await admin.list()).toEqual([]);
    await expect(admin.remove(own._id)).rejects.toBeInstanceOf(AdminInputError);
    await expect(admin.update('mine', { title: 'Taken' })).rejects.toBeInstanceOf(AdminInputError);
    // The shared set may use the same shortcut.
    await admin.add({ shortcut: 'mine', title: 'Shared', text: 'y' });
    expect((await stored()).map((d) => [d.ownerId, d.title])).toEqual([
      ['agent-1', 'Mine'],
      [null, 'Shared'],
    ]);
  });
});

describe('bulk import', () => {
  it('creates, and on re-import updates by shortcut', async () => {
    const rows = [
      { shortcut: 'hello', title: 'Hello', text: 'Hi {customer.firstName}' },
      { shortcut: 'bye', title: 'Bye', text: 'Goodbye,\n{agent.name}' },
    ];
    expect(await admin.importBulk(rows)).toEqual({ created: 2, updated: 0 });
    expect(
      await admin.importBulk([
        { ...rows[0], text: 'Hello again' },
        { shortcut: 'wait', title: 'Wait', text: 'One moment' },
      ]),
    ).toEqual({ created: 1, updated: 1 });
    expect((await stored()).map((d) => [d.shortcut, d.text])).toEqual([
      ['bye', 'Goodbye,\n{agent.name}'],
      ['hello', 'Hello again'],
      ['wait', 'One moment'],
    ]);
    expect(signals).toBe(2);
  });

  it('imports nothing when a row is bad, and names every bad row', async () => {
    await admin.add({ shortcut: 'keep', title: 'Keep', text: 'Unchanged' });
    const attempt = admin.importBulk([
      { shortcut: 'keep', title: 'Keep', text: 'Changed' },
      { shortcut: 'ok', title: 'Fine', text: 'Fine' },
      { shortcut: 'Bad One', title: 'Bad', text: 'x' },
      { shortcut: 'notitle', text: 'x' },
      { shortcut: 'ok', title: 'Twice', text: 'x' },
      'not an object',
      { shortcut: 'extra', title: 'x', text: 'x', owner: 'me' },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(AdminInputError);
    const message = await attempt.then(
      () => 'imported',
      (error: unknown) => (error as Error).message,
    );
    expect(message.split('\n')).toEqual([
      '5 of 7 rows are not valid; nothing was imported:',
      '  row 3 ("Bad One"): shortcut: a shortcut uses lower-case letters, digits, - and _ only, starting with a letter or digit',
      '  row 4 ("notitle"): title: Invalid input: expected string, received undefined',
      '  row 5 ("ok"): the same shortcut as row 2',
      '  row 6: Invalid input: expected object, received string',
      '  row 7 ("extra"): Unrecognized key: "owner"',
    ]);
    expect((await stored()).map((d) => [d.shortcut, d.text])).toEqual([['keep', 'Unchanged']]);
    expect(signals).toBe(1);
  });

  it('refuses a file that is not an array', async () => {
    await expect(admin.importBulk({ replies: [] })).rejects.toThrow(/must hold a JSON array/);
  });
});
