// A newcomer's first run: `npm start` on a checkout that has never been built (no dist/), as
// the README says. Every URL it prints must answer, so it has to build the clients first; a
// second start on the same checkout must not build them again.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findRepoRoot } from '@callcenter/devstack/embedded';

const root = findRepoRoot();
let checkout: string;

/** The repository's files as a clone has them (no dist/, no .data/), sharing node_modules. */
async function freshCheckout(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'callcenter-first-run-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => file !== '');
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await cp(join(root, file), join(dir, file)).catch((error: unknown) => {
      // A file deleted in the work tree but still in the index: a clone would not have it.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    });
  }
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

interface Started {
  urls: { app: string; console: string; ready: string };
  output: string[];
  stop: () => Promise<void>;
}

/** `npm start` in the checkout; resolves once it prints its URLs. */
function npmStart(dir: string): Promise<Started> {
  const child = spawn('npm', ['start'], {
    cwd: dir,
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      PORT: '0',
      // The test's store; Redis is left to `npm start` itself (redis-server from PATH).
      MONGODB_URL: inject('mongodbUrl'),
      MONGODB_DB: `test_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  const output: string[] = [];
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const found: Partial<Started['urls']> = {};
    const onLine = (line: string): void => {
      output.push(line);
      const match = /^\s*(Customer app|Agent console|Health):\s+(\S+)/.exec(line);
      if (match?.[1] === 'Customer app') found.app = match[2];
      if (match?.[1] === 'Agent console') found.console = match[2];
      if (match?.[1] === 'Health') found.ready = match[2];
      if (found.app && found.console && found.ready) {
        resolve({ urls: found as Started['urls'], output, stop });
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', onLine);
    }
    void exited.then(([code]) => {
      reject(
        new Error(
          `npm start exited (${String(code)}) before printing its URLs:\n${output.join('\n')}`,
        ),
      );
    });
  });
}

async function expectPage(url: string, marker: RegExp): Promise<void> {
  const response = await fetch(url, { headers: { accept: 'text/html' } });
  expect(response.status, url).toBe(200);
  expect(await response.text()).toMatch(marker);
}

beforeAll(async () => {
  checkout = await freshCheckout();
});

afterAll(async () => {
  await rm(checkout, { recursive: true, force: true });
});

describe('npm start on a fresh checkout', () => {
  it('builds the clients before printing URLs, and every printed URL answers', async () => {
    const started = await npmStart(checkout);
    try {
      expect(started.output.join('\n')).toMatch(/Building the customer app \(not built yet\)/);
      await expectPage(started.urls.app, /<div id="root">|<html/i);
      await expectPage(started.urls.console, /<html/i);
      const ready = await fetch(started.urls.ready);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready' });
      // The console's own script is served too, not only its page.
      const page = await (await fetch(started.urls.console)).text();
      const script = /src="([^"]+\.js)"/.exec(page)?.[1];
      expect(script).toBeDefined();
      expect((await fetch(new URL(script ?? '', started.urls.console))).status).toBe(200);
    } finally {
      await started.stop();
    }
  }, 400_000);

  it('a second start with nothing changed does not build again', async () => {
    const started = await npmStart(checkout);
    try {
      expect(started.output.join('\n')).not.toMatch(/Building the/);
      await expectPage(started.urls.app, /<html/i);
    } finally {
      await started.stop();
    }
  }, 120_000);
});
