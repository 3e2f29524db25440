import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Tier } from '@callcenter/shared';
import { RedisProcess } from '@callcenter/devstack/embedded';
import { TestClient } from '@callcenter/devstack/testing';
import {
  MULTI_NODE_SETTINGS,
  importAccounts,
  loginOverHttp,
  serverEnv,
  startServerProcess,
  type ServerProcess,
} from './serverProcess';

export interface ClusterOptions {
  /** How many server processes. */
  nodes: number;
  /** Accounts `<prefix>-agent-<i>` and `<prefix>-customer-<i>`, all with `password`. */
  prefix: string;
  agents: number;
  customers: number;
  password: string;
  tier?: Tier;
  /** Settings besides `MULTI_NODE_SETTINGS` (a function: read when the nodes start). */
  env?: Record<string, string> | (() => Record<string, string>);
}

export interface Cluster {
  readonly nodes: ServerProcess[];
  /** The cluster's Redis, for checking what it holds. */
  readonly redis: Redis;
  readonly env: Record<string, string>;
  /** Logs the account in on `node` and connects there; closed after the file. */
  connect: (node: ServerProcess, role: 'agent' | 'customer', login: string) => Promise<TestClient>;
  /** Closes this client after the file. */
  track: (client: TestClient) => TestClient;
}

/**
 * Server processes on one private Redis and the test database, with imported accounts: started
 * before the file's tests, killed (with their clients closed) after them.
 */
export function useServerCluster(options: ClusterOptions): Cluster {
  let dir: string | undefined;
  let redisServer: RedisProcess | undefined;
  let redis: Redis | undefined;
  let env: Record<string, string> | undefined;
  let nodes: ServerProcess[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `callcenter-${options.prefix}-`));
    redisServer = await RedisProcess.start({ dataDir: dir });
    redis = new Redis(redisServer.url);
    env = serverEnv(redisServer.url, inject('mongodbUrl'), {
      ...MULTI_NODE_SETTINGS,
      ...(typeof options.env === 'function' ? options.env() : options.env),
    });
    await importAccounts(env, dir, {
      prefix: options.prefix,
      agents: options.agents,
      customers: options.customers,
      password: options.password,
      tier: options.tier ?? 'standard',
    });
    nodes = await Promise.all(
      Array.from({ length: options.nodes }, () => startServerProcess(env ?? {})),
    );
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const node of nodes) node.child.kill('SIGKILL');
    await Promise.all(nodes.map((node) => node.exited));
    await redis?.quit();
    await redisServer?.stop('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the cluster is not started yet');
    return value;
  };
  const cluster: Cluster = {
    get nodes() {
      return nodes;
    },
    get redis() {
      return started(redis);
    },
    get env() {
      return started(env);
    },
    connect: async (node, role, login) => {
      const { token } = await loginOverHttp(node.url, role, login, options.password);
      return cluster.track(await TestClient.connect(node.url, token));
    },
    track: (client) => {
      clients.push(client);
      return client;
    },
  };
  return cluster;
}
