// The server and the admin tool as real processes: configuration errors, graceful SIGTERM,
// SIGKILL of a node, and account administration from the command line (R1, R11).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { RedisProcess } from '@callcenter/devstack/embedded';
import { TestClient } from '@callcenter/devstack/testing';
import {
  loginOverHttp,
  runCommand,
  serverEnv,
  startServerProcess,
  type ServerProcess,
} from './support/serverProcess';

let dataDir: string;
let redisServer: RedisProcess;
let redis: Redis;
const processes: ServerProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'callcenter-process-test-'));
  redisServer = await RedisProcess.start({ dataDir });
  redis = new Redis(redisServer.url);
});

afterAll(async () => {
  for (const p of processes) p.child.kill('SIGKILL');
  await redis.quit();
  await redisServer.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('configuration', () => {
  it('bad values stop the server with a clear message and exit code 78', async () => {
    const result = await runCommand(['server/src/main.ts'], {
      PORT: 'eighty',
      MONGODB_URL: 'http://wrong',
      JWT_SECRET: 'short',
      ALLOWED_ORIGINS: 'not a url',
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('Invalid configuration');
    for (const name of ['PORT', 'REDIS_URL', 'MONGODB_URL', 'JWT_SECRET', 'ALLOWED_ORIGINS']) {
      expect(result.stderr).toContain(name);
    }
  });
});

describe('admin command line and server processes', () => {
  let env: Record<string, string>;

  beforeAll(() => {
    env = serverEnv(redisServer.url, inject('mongodbUrl'), {
      PRESENCE_HEARTBEAT_MS: '300',
      NODE_DEAD_AFTER_MS: '1500',
    });
  });

  it('creates, updates, disables and bulk-imports accounts, never printing a password', async () => {
    const adminEnv = {
      MONGODB_URL: env.MONGODB_URL!,
      MONGODB_DB: env.MONGODB_DB!,
      REDIS_URL: env.REDIS_URL!,
    };
    const created = await runCommand(
      [
        'server/src/admin/cli.ts',
        'agent',
        'create',
        '--login',
        'olga',
        '--name',
        'Olga Ivanova',
        '--password-stdin',
      ],
      adminEnv,
      'olga-secret-1\n',
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^created agent olga \(id [0-9a-f-]+\)\n$/);

    const duplicate = await runCommand(
      [
        'server/src/admin/cli.ts',
        'agent',
        'create',
        '--login',
        'olga',
        '--name',
        'Again',
        '--password-stdin',
      ],
      adminEnv,
      'another-secret\n',
    );
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('an agent with this login already exists');

    const noTerminal = await runCommand(
      [
        'server/src/admin/cli.ts',
        'customer',
        'create',
        '--login',
        'p',
        '--name',
        'P',
        '--tier',
        'gold',
      ],
      adminEnv,
    );
    expect(noTerminal.code).toBe(1);
    expect(noTerminal.stderr).toContain('--password-stdin');

    const file = join(dataDir, 'accounts.json');
    await writeFile(
      file,
      JSON.stringify({
        agents: [{ login: 'pavel', displayName: 'Pavel', password: 'pavel-secret-1' }],
        customers: [
          {
            login: 'quinn',
            displayName: 'Quinn',
            password: 'quinn-secret-1',
            tier: 'platinum',
            email: 'quinn@example.com',
            phone: '+1 555 0199',
          },
          { login: 'rosa', displayName: 'Rosa', password: 'short', tier: 'gold' },
          { login: 'olga', displayName: 'Not an agent field', password: 'x', tier: 'unknown' },
        ],
      }),
    );
    const bulk = await runCommand(['server/src/admin/cli.ts', 'import', file], adminEnv);
    expect(bulk.code).toBe(1);
    expect(bulk.stdout).toContain('[1/4] created agent #1 (pavel)');
    expect(bulk.stdout).toContain('[2/4] created customer #1 (quinn)');
    expect(bulk.stdout).toContain(
      '[3/4] failed customer #2 (rosa): password: passwords have at least 8 characters',
    );
    expect(bulk.stdout).toContain('2 created, 0 updated, 2 failed');
    for (const output of [created, bulk]) {
      for (const secret of ['olga-secret-1', 'pavel-secret-1', 'quinn-secret-1']) {
        expect(output.stdout + output.stderr).not.toContain(secret);
      }
    }

    const server = await startServerProcess(env);
    processes.push(server);
    // The imported customer logs in; the tier set by the import is what agents see.
    const { token } = await loginOverHttp(server.url, 'customer', 'quinn', 'quinn-secret-1');
    const customer = await TestClient.connect(server.url, token);
    const state = await customer.requestOk('session.sync', {});
    expect(state.state.state).toBe('notConnected');

    // Disabling the account ends its live session at once.
    const closed = customer.waitForDisconnect();
    const disabled = await runCommand(
      ['server/src/admin/cli.ts', 'customer', 'disable', '--login', 'quinn'],
      adminEnv,
    );
    expect(disabled.code).toBe(0);
    await customer.waitFor('session.revoked', (info) => info.reason === 'disabled');
    await closed;
    const refused = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'customer', login: 'quinn', password: 'quinn-secret-1' }),
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'account_disabled' } });

    // Passwords never reach the logs.
    expect(server.output.join('\n')).not.toContain('quinn-secret-1');
    expect(server.output.join('\n')).not.toContain(token);
  });

  it("an admin's change to a customer shows on a running node at once (its cached profile is dropped)", async () => {
    const adminEnv = {
      MONGODB_URL: env.MONGODB_URL!,
      MONGODB_DB: env.MONGODB_DB!,
      REDIS_URL: env.REDIS_URL!,
    };
    const admin = (args: string[], stdin?: string) =>
      runCommand(['server/src/admin/cli.ts', ...args], adminEnv, stdin);
    expect(
      (
        await admin(
          ['agent', 'create', '--login', 'tanya', '--name', 'Tanya', '--password-stdin'],
          'tanya-secret-1\n',
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await admin(
          [
            'customer',
            'create',
            '--login',
            'sam',
            '--name',
            'Sam',
            '--tier',
            'standard',
            '--password-stdin',
          ],
          'sam-secret-1\n',
        )
      ).code,
    ).toBe(0);

    const server = await startServerProcess(env);
    processes.push(server);
    const customer = await TestClient.connect(
      server.url,
      (await loginOverHttp(server.url, 'customer', 'sam', 'sam-secret-1')).token,
    );
    const agent = await TestClient.connect(
      server.url,
      (await loginOverHttp(server.url, 'agent', 'tanya', 'tanya-secret-1')).token,
    );
    await customer.requestOk('chat.request');
    const started = await agent.requestOk('chat.start');
    expect(started.customer.displayName).toBe('Sam');
    const first = await customer.requestOk('message.send', {
      clientMsgId: 'before-rename',
      text: 'Hello',
    });
    expect(first.message.sender.displayName).toBe('Sam');

    const renamed = await admin([
      'customer',
      'update',
      '--login',
      'sam',
      '--name',
      'Samantha',
      '--tier',
      'gold',
    ]);
    expect(renamed.code).toBe(0);
    // The node hears of it through Redis just after the command returns: the next messages
    // (not the next minute's) carry the new name.
    let attempt = 0;
    await vi.waitFor(
      async () => {
        attempt += 1;
        const sent = await customer.requestOk('message.send', {
          clientMsgId: `after-rename-${attempt}`,
          text: 'Still there?',
        });
        expect(sent.message.sender.displayName).toBe('Samantha');
        expect(sent.message.priority).toBe(2);
      },
      { timeout: 5_000, interval: 100 },
    );
    expect(attempt).toBeLessThan(20);
    customer.close();
    agent.close();
  });

  it('SIGTERM: the node stops gracefully and leaves presence', async () => {
    const server = await startServerProcess(env);
    processes.push(server);
    const { token } = await loginOverHttp(server.url, 'agent', 'olga', 'olga-secret-1');
    const agent = await TestClient.connect(server.url, token);
    await expect.poll(() => redis.hlen(`cc:node:${server.nodeId}`)).toBe(1);
    const closed = agent.waitForDisconnect();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await closed;
    expect(await redis.exists(`cc:node:${server.nodeId}`)).toBe(0);
    expect(await redis.zscore('cc:nodes', server.nodeId)).toBeNull();
    expect(server.output.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
  });

  it('SIGKILL of a node: another node drops its connections from presence', async () => {
    const survivor = await startServerProcess(env);
    const victim = await startServerProcess(env);
    processes.push(survivor, victim);
    const { token, userId } = await loginOverHttp(victim.url, 'agent', 'olga', 'olga-secret-1');
    const agent = await TestClient.connect(victim.url, token);
    const connections = `cc:conns:agent:${userId}`;
    await expect.poll(() => redis.hlen(`cc:node:${victim.nodeId}`)).toBe(1);
    expect(await redis.smembers(connections)).toEqual([
      `${victim.nodeId}|${agent.socket.id ?? ''}`,
    ]);
    victim.child.kill('SIGKILL');
    await victim.exited;
    // A surviving node notices the missing heartbeats and drops the dead node's connections.
    await expect.poll(() => redis.exists(`cc:node:${victim.nodeId}`), { timeout: 10_000 }).toBe(0);
    expect(await redis.scard(connections)).toBe(0);
    const reapers = processes.filter((p) =>
      p.output.some((line) => line.includes('dropped the connections of a dead node')),
    );
    expect(reapers.length).toBeGreaterThan(0);
    expect(reapers).not.toContain(victim);
    agent.close();
  });
});
