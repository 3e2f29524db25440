// The deployment files, checked with what runs here (no Docker engine on these machines): the
// Dockerfile's shape, the compose file parsed, and the real nginx config (`nginx -t`, then
// nginx itself) proxying HTTP and WebSocket traffic to two production-bundle nodes.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { parse } from 'yaml';
import {
  RedisProcess,
  findFreePort,
  findOnPath,
  findRepoRoot,
} from '@callcenter/devstack/embedded';
import { TestClient } from '@callcenter/devstack/testing';
import { BUILT_CLIENTS_DIR } from './support/paths';
import {
  loginOverHttp,
  runCommand,
  serverEnv,
  startServerProcess,
  type ServerProcess,
} from './support/serverProcess';

const root = findRepoRoot();
const nginx =
  findOnPath('nginx') ??
  (spawnSync('test', ['-x', '/usr/sbin/nginx']).status === 0 ? '/usr/sbin/nginx' : undefined);

describe('Dockerfile', () => {
  it('is multi-stage, runs the production bundle as a non-root user, with a health check', async () => {
    const dockerfile = await readFile(join(root, 'Dockerfile'), 'utf8');
    const stages = dockerfile.match(/^FROM /gm) ?? [];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toContain('--omit=dev');
    expect(runtime).toContain('CMD ["node", "dist/server/main.js"]');
    expect(runtime).toContain('HEALTHCHECK');
  });
});

describe('compose file', () => {
  it('has Redis with AOF, MongoDB, two server nodes on them, and a proxy with the nginx config', async () => {
    const compose = parse(await readFile(join(root, 'deploy', 'compose.yaml'), 'utf8'), {
      merge: true,
    }) as {
      services: Record<
        string,
        {
          command?: string[];
          image?: string;
          environment?: Record<string, string>;
          volumes?: string[];
          build?: { dockerfile: string };
        }
      >;
    };
    const { services } = compose;
    expect(services.redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(services.mongo?.image).toMatch(/^mongo:/);
    const nodes = ['server-1', 'server-2'].map((name) => services[name]);
    for (const node of nodes) {
      expect(node?.build?.dockerfile).toBe('Dockerfile');
      expect(node?.environment).toMatchObject({
        REDIS_URL: 'redis://redis:6379',
        MONGODB_URL: 'mongodb://mongo:27017',
      });
    }
    expect(new Set(nodes.map((node) => node?.environment?.NODE_ID))).toEqual(
      new Set(['server-1', 'server-2']),
    );
    expect(services.proxy?.volumes).toContain('./nginx.conf:/etc/nginx/conf.d/default.conf:ro');
    // coturn checks the credentials the nodes issue from the same secret.
    expect(services.turn?.command).toEqual(
      expect.arrayContaining(['--use-auth-secret', '--static-auth-secret=${TURN_SECRET:-}']),
    );
    for (const node of nodes) {
      expect(node?.environment).toMatchObject({ TURN_SECRET: '${TURN_SECRET:-}' });
    }
  });
});

describe.skipIf(nginx === undefined)('nginx reverse proxy in front of two nodes', () => {
  let dir: string;
  let redis: RedisProcess;
  const nodes: ServerProcess[] = [];
  let proxyPort: number;
  let proxy: ReturnType<typeof spawn> | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callcenter-deploy-'));
    redis = await RedisProcess.start({ dataDir: dir });
    env = serverEnv(redis.url, inject('mongodbUrl'), { STATIC_DIR: BUILT_CLIENTS_DIR });
    nodes.push(
      await startServerProcess(env, { bundle: true }),
      await startServerProcess(env, { bundle: true }),
    );
    proxyPort = await findFreePort();
    // The committed site config, with the compose service names pointed at this machine's nodes.
    const site = (await readFile(join(root, 'deploy', 'nginx.conf'), 'utf8'))
      .replace('server-1:3000', nodes[0]!.url.replace('http://', ''))
      .replace('server-2:3000', nodes[1]!.url.replace('http://', ''))
      .replace('listen 80;', `listen 127.0.0.1:${proxyPort};`);
    await writeFile(join(dir, 'site.conf'), site);
    await writeFile(
      join(dir, 'nginx.conf'),
      [
        'daemon off;',
        'worker_processes 1;',
        `pid ${join(dir, 'nginx.pid')};`,
        `error_log ${join(dir, 'error.log')} warn;`,
        'events { worker_connections 256; }',
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (t) => `  ${t}_temp_path ${join(dir, t)};`,
        ),
        `  include ${join(dir, 'site.conf')};`,
        '}',
      ].join('\n'),
    );
  }, 120_000);

  afterAll(async () => {
    proxy?.kill('SIGTERM');
    for (const node of nodes) node.child.kill('SIGTERM');
    await Promise.all(nodes.map((node) => node.exited));
    await redis.stop('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('passes nginx -t', () => {
    const check = spawnSync(nginx!, ['-t', '-c', join(dir, 'nginx.conf'), '-p', dir], {
      encoding: 'utf8',
    });
    expect(check.stderr).toContain('syntax is ok');
    expect(check.status).toBe(0);
  });

  it('proxies login, the built clients and Socket.IO over WebSocket and long-polling to both nodes', async () => {
    proxy = spawn(nginx!, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
    const base = `http://127.0.0.1:${proxyPort}`;
    await expect
      .poll(
        () =>
          fetch(`${base}/healthz`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 10_000 },
      )
      .toBe(200);

    const adminEnv = {
      MONGODB_URL: env.MONGODB_URL!,
      MONGODB_DB: env.MONGODB_DB!,
      REDIS_URL: env.REDIS_URL!,
    };
    for (const [kind, login, extra] of [
      ['agent', 'proxied-agent', []],
      ['customer', 'proxied-customer', ['--tier', 'gold']],
    ] as const) {
      const created = await runCommand(
        [
          'dist/server/admin.js',
          kind,
          'create',
          '--login',
          login,
          '--name',
          login,
          ...extra,
          '--password-stdin',
        ],
        adminEnv,
        'proxied-password\n',
      );
      expect(created.code).toBe(0);
    }
    const loginThroughProxy = async (role: 'agent' | 'customer', login: string) =>
      (await loginOverHttp(base, role, login, 'proxied-password')).token;
    const agent = await TestClient.connect(base, await loginThroughProxy('agent', 'proxied-agent'));
    // The customer uses HTTP long-polling first, then upgrades: both must pass the proxy.
    const customer = await TestClient.connect(
      base,
      await loginThroughProxy('customer', 'proxied-customer'),
      undefined,
      ['polling', 'websocket'],
    );
    await customer.requestOk('chat.request');
    await agent.requestOk('chat.start');
    const sent = await customer.requestOk('message.send', {
      clientMsgId: 'via-proxy',
      text: 'through nginx',
    });
    await agent.waitFor('message.new', (m) => m.id === sent.message.id);

    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    agent.close();
    customer.close();
    proxy.kill('SIGTERM');
    await once(proxy, 'exit');
  });
});
