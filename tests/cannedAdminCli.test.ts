// `npm run admin -- canned ...` as a real process (issue 14, point 4): the shared canned replies
// one at a time and in bulk (all or nothing, every bad row named), and the change reaching a
// running node's agents at once through Redis.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestStack } from '@callcenter/devstack/testing';
import { runCommand } from './support/serverProcess';

const suite = useTestStack();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callcenter-canned-cli-'));
});

afterEach(async () => {
  await suite.stack.server.mongo.collections.cannedReplies.deleteMany({});
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function admin(...args: string[]) {
  return runCommand(['server/src/admin/cli.ts', 'canned', ...args], {
    MONGODB_URL: suite.stack.config.mongodbUrl,
    MONGODB_DB: suite.stack.config.mongodbDb,
    REDIS_URL: suite.stack.redis.url,
  });
}

async function jsonFile(name: string, content: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(content));
  return file;
}

describe('admin canned', () => {
  it('adds, lists, updates, removes and imports; agents on a running node hear of each change', async () => {
    const agent = await suite.loginNew('agent');
    await agent.requestOk('canned.list');
    const shortcuts = async () =>
      (await agent.requestOk('canned.list')).replies.map((r) => `${r.shortcut}: ${r.text}`);

    let mark = agent.mark();
    const added = await admin(
      'add',
      '--shortcut',
      'hello',
      '--title',
      'Greeting',
      '--text',
      'Hello {customer.firstName}, {agent.firstName} here.',
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(/^added \/hello "Greeting" \(id [\w-]+\)\n$/);
    expect(await agent.waitFor('canned.changed', () => true, mark)).toEqual({ scope: 'shared' });
    expect(await shortcuts()).toEqual([
      'hello: Hello {customer.firstName}, {agent.firstName} here.',
    ]);

    mark = agent.mark();
    expect((await admin('update', 'hello', '--text', 'Hi {customer.name}')).code).toBe(0);
    await agent.waitFor('canned.changed', () => true, mark);
    expect(await shortcuts()).toEqual(['hello: Hi {customer.name}']);

    const file = await jsonFile('replies.json', [
      { shortcut: 'hello', title: 'Greeting', text: 'Hello again' },
      { shortcut: 'bye', title: 'Goodbye', text: 'Goodbye,\n{agent.name}' },
    ]);
    mark = agent.mark();
    const imported = await admin('import', file);
    expect(imported).toMatchObject({ code: 0, stdout: '1 created, 1 updated\n' });
    await agent.waitFor('canned.changed', () => true, mark);
    expect(await shortcuts()).toEqual(['bye: Goodbye,\n{agent.name}', 'hello: Hello again']);

    const listed = await admin('list', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([
      { shortcut: 'bye', title: 'Goodbye', text: 'Goodbye,\n{agent.name}' },
      { shortcut: 'hello', title: 'Greeting', text: 'Hello again' },
    ]);
    expect((await admin('list')).stdout).toContain('2 shared canned replies\n');

    mark = agent.mark();
    expect((await admin('remove', '/bye')).stdout).toMatch(/^removed \/bye "Goodbye"/);
    await agent.waitFor('canned.changed', () => true, mark);
    expect(await shortcuts()).toEqual(['hello: Hello again']);
  });

  it('imports nothing from a file with bad rows, naming each, and exits 1', async () => {
    expect(
      (await admin('add', '--shortcut', 'keep', '--title', 'Keep', '--text', 'Kept')).code,
    ).toBe(0);
    const file = await jsonFile('bad.json', [
      { shortcut: 'fine', title: 'Fine', text: 'Fine' },
      { shortcut: 'No Spaces', title: 'Bad', text: 'x' },
      { shortcut: 'keep', title: '', text: 'Changed' },
      { shortcut: 'fine', title: 'Again', text: 'x' },
    ]);
    const result = await admin('import', file);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'error: 3 of 4 rows are not valid; nothing was imported:',
        '  row 2 ("No Spaces"): shortcut: a shortcut uses lower-case letters, digits, - and _ only, starting with a letter or digit',
        '  row 3 ("keep"): title: a title has at least 1 character',
        '  row 4 ("fine"): the same shortcut as row 1',
        '',
      ].join('\n'),
    );
    const stored = await suite.stack.server.mongo.collections.cannedReplies.find({}).toArray();
    expect(stored.map((d) => [d.shortcut, d.text])).toEqual([['keep', 'Kept']]);

    const notJson = join(dir, 'broken.json');
    await writeFile(notJson, '[{ "shortcut": ');
    const broken = await admin('import', notJson);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^error: cannot read .*broken\.json: /);

    const unknown = await admin('remove', 'nope');
    expect(unknown).toMatchObject({
      code: 1,
      stderr: 'error: no shared canned reply with id or shortcut "nope"\n',
    });
  });
});
