// Account administration refuses names and profile texts that would corrupt or spoof what
// agents and customers see (issue 10, item 8): bidi controls, control characters, lone
// surrogates, invisible-only values. Against real MongoDB-compatible storage.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { AccountAdmin, AdminInputError } from '../src/admin/accountAdmin';
import { AccountsRepository } from '../src/store/accounts';
import { connectMongo, type MongoStore } from '../src/store/mongo';

let mongo: MongoStore;
let admin: AccountAdmin;

beforeAll(async () => {
  mongo = await connectMongo(
    inject('mongodbUrl'),
    `test_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
  );
  admin = new AccountAdmin(new AccountsRepository(mongo.collections), {
    revokeSessions: () => Promise.resolve(),
    customerChanged: () => Promise.resolve(),
    agentChanged: () => Promise.resolve(),
  });
});

afterAll(async () => {
  await mongo.db.dropDatabase().catch(() => undefined);
  await mongo.close();
});

function uniqueLogin(): string {
  return `user-${randomUUID().slice(0, 8)}`;
}

const password = 'correct horse battery';

describe('display names and profile texts', () => {
  it('refuses a display name with RIGHT-TO-LEFT OVERRIDE and stores nothing', async () => {
    const login = uniqueLogin();
    await expect(
      admin.create('agent', { login, displayName: 'Ada \u202Etnega', password }),
    ).rejects.toThrow(
      new AdminInputError(
        'displayName: contains bidirectional control characters (U+202A-U+202E, U+2066-U+2069)',
      ),
    );
    expect(await mongo.collections.agents.countDocuments({ login })).toBe(0);
  });

  it.each([
    ['NUL', 'Dana\u0000'],
    ['BEL', 'Dana\u0007'],
    ['a newline', 'Dana\nPlatinum'],
    ['a lone surrogate', 'Dana\ud800'],
    ['only zero-width spaces', '\u200B\u200B'],
  ])('refuses a customer display name with %s', async (_name, displayName) => {
    const login = uniqueLogin();
    await expect(
      admin.create('customer', { login, displayName, password, tier: 'gold' }),
    ).rejects.toThrow(/^displayName: /);
    expect(await mongo.collections.customers.countDocuments({ login })).toBe(0);
  });

  it('refuses a rename to a name with a bidi override and keeps the old name', async () => {
    const login = uniqueLogin();
    await admin.create('customer', { login, displayName: 'Dana', password, tier: 'standard' });
    await expect(
      admin.update('customer', login, { displayName: '\u202EanaD' }),
    ).rejects.toBeInstanceOf(AdminInputError);
    const stored = await mongo.collections.customers.findOne({ login });
    expect(stored?.displayName).toBe('Dana');
  });

  it('refuses control characters in company and notes, and a line break in company', async () => {
    const base = { displayName: 'Dana', password, tier: 'standard' };
    await expect(
      admin.create('customer', { ...base, login: uniqueLogin(), company: 'Acme\nLtd' }),
    ).rejects.toThrow(/^company: /);
    await expect(
      admin.create('customer', { ...base, login: uniqueLogin(), notes: 'VIP\u0000' }),
    ).rejects.toThrow(/^notes: contains control characters/);
    await expect(
      admin.create('customer', { ...base, login: uniqueLogin(), phone: '\u202E0100' }),
    ).rejects.toThrow(/^phone: /);
  });

  it('accepts right-to-left names, emoji, multi-line notes and clearing a field', async () => {
    const login = uniqueLogin();
    await admin.create('customer', {
      login,
      displayName: 'دانة 🌻',
      password,
      tier: 'platinum',
      company: 'חברה בע"מ',
      notes: 'Prefers e-mail.\nCalls after 5pm.',
    });
    await admin.update('customer', login, { company: '' });
    const stored = await mongo.collections.customers.findOne({ login });
    expect(stored).toMatchObject({
      displayName: 'دانة 🌻',
      notes: 'Prefers e-mail.\nCalls after 5pm.',
      company: '',
    });
  });
});
