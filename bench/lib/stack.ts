import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { RedisProcess, startMongo, type MongoHandle } from '@callcenter/devstack/embedded';
import { hashPassword } from '@callcenter/server';
import { findRepoRoot } from '@callcenter/server/runtime';
import type { AgentDoc, CustomerDoc } from '@callcenter/server/storage';
import type { BenchAccount, LoadgenApi } from '../loadgen';
import { ChildProcessHandle } from './ipc';
import type { ProbeApi, ProcessSample } from './memoryProbe';

/** The checkout this bench runs from (found from this file: packages may be linked in). */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

/** Redis and the MongoDB-compatible store, shared by every scenario of one run. */
export interface Stores {
  redisUrl: string;
  mongodbUrl: string;
  /** What the store is, for the report. */
  storeKind: string;
  redis: Redis;
  mongo: MongoClient;
  stop(): Promise<void>;
}

export async function startStores(mongodbUrl: string | undefined): Promise<Stores> {
  const dataDir = await mkdtemp(join(tmpdir(), 'callcenter-bench-'));
  // As in production: append-only file, fsync every second.
  const redisProcess = await RedisProcess.start({ dataDir, appendfsync: 'everysec' });
  let mongoHandle: MongoHandle | undefined;
  let url = mongodbUrl;
  let storeKind = 'MONGODB_URL (given)';
  if (url === undefined || url === '') {
    // The product's embedded default (FerretDB on a private PostgreSQL), or FERRETDB_HANDLER=sqlite.
    const sqlite = process.env.FERRETDB_HANDLER === 'sqlite';
    mongoHandle = await startMongo({ dataDir, kind: sqlite ? 'ferretdb' : 'ferretdb-postgresql' });
    url = mongoHandle.url;
    storeKind = `FerretDB v1 (${sqlite ? 'SQLite' : 'PostgreSQL'}), started by the bench`;
  }
  const redis = new Redis(redisProcess.url);
  const mongo = new MongoClient(url);
  await mongo.connect();
  return {
    redisUrl: redisProcess.url,
    mongodbUrl: url,
    storeKind,
    redis,
    mongo,
    stop: async () => {
      redis.disconnect();
      await mongo.close();
      await redisProcess.stop('SIGKILL');
      await mongoHandle?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type ServerEntry = 'bundle' | 'source';

/** A server under test (product node or baseline) in its own process, with the memory probe. */
export interface ServerUnderTest {
  url: string;
  handle: ChildProcessHandle<ProbeApi>;
  sample(): Promise<ProcessSample>;
  stop(): Promise<void>;
}

/** Node flags of every server under test: the memory probe, and a CPU profile when asked. */
export const probeArgs = [
  '--expose-gc',
  '--import',
  'tsx',
  '--import',
  './bench/lib/memoryProbe.ts',
  // BENCH_CPU_PROF=DIR writes a V8 CPU profile of every server under test (investigations).
  ...(process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : []),
];

async function startProcess(
  name: string,
  script: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<ServerUnderTest> {
  const handle = ChildProcessHandle.spawn<ProbeApi>({
    name,
    args: [...probeArgs, script],
    env,
    cwd: repoRoot,
    echo: process.env.BENCH_ECHO === '1',
  });
  const line = await handle.waitForLine(ready, 120_000);
  const port = (JSON.parse(line) as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    handle,
    sample: () => handle.call('sample', null),
    stop: () => handle.stop('SIGTERM', 15_000),
  };
}

/** The product's environment under the bench, on `stores` with database `db`. */
export function productEnv(stores: Stores, db: string, jwtSecret: string): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: stores.redisUrl,
    MONGODB_URL: stores.mongodbUrl,
    MONGODB_DB: db,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'warn',
    // Queued customers stay queued while the bench's sockets come and go.
    QUEUE_OFFLINE_GRACE_SECONDS: '3600',
    // As behind a load balancer: the load generators stand in for thousands of machines from
    // one loopback address.
    MAX_SOCKETS_PER_ADDRESS: '1000000',
    LOGIN_AT_ONCE_PER_ADDRESS: '10000',
    NODE_ENV: 'production',
  };
}

export function productScript(entry: ServerEntry): string {
  return entry === 'bundle' ? 'dist/server/main.js' : 'server/src/main.ts';
}

export interface ProductCluster {
  nodes: ServerUnderTest[];
  db: string;
  stop(): Promise<void>;
}

/**
 * Fresh live state and a fresh database (or `database`, prepared by the caller), then `count`
 * product nodes on them.
 */
export async function startProduct(
  stores: Stores,
  count: number,
  entry: ServerEntry,
  database?: string,
): Promise<ProductCluster> {
  await stores.redis.flushall();
  const db = database ?? `bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const env = productEnv(stores, db, randomBytes(32).toString('hex'));
  const script = productScript(entry);
  const nodes: ServerUnderTest[] = [];
  for (let i = 0; i < count; i += 1) {
    nodes.push(
      await startProcess(
        `node-${i + 1}`,
        script,
        { ...env, NODE_ID: `bench-${i + 1}`, LOG_LEVEL: 'info' },
        /"server listening"/,
      ),
    );
  }
  return {
    nodes,
    db,
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop()));
      await stores.mongo
        .db(db)
        .dropDatabase()
        .catch(() => undefined);
    },
  };
}

export function startBaseline(): Promise<ServerUnderTest> {
  return startProcess('baseline', 'bench/baselineServer.ts', {}, /"baseline listening"/);
}

/** Load generator processes. */
export type Loadgen = ChildProcessHandle<LoadgenApi>;

export function startLoadgens(count: number, tag: string): Loadgen[] {
  return Array.from({ length: count }, (_, i) =>
    ChildProcessHandle.spawn<LoadgenApi>({
      name: `loadgen-${tag}-${i + 1}`,
      args: ['--import', 'tsx', 'bench/loadgen.ts'],
      cwd: repoRoot,
      echo: process.env.BENCH_ECHO === '1',
    }),
  );
}

export async function stopLoadgens(loadgens: Loadgen[]): Promise<void> {
  await Promise.all(loadgens.map((loadgen) => loadgen.stop('SIGKILL', 1_000)));
}

/**
 * Bench accounts share one password. Its hash uses the production format with a small scrypt
 * cost (N=2^10), so ten thousand logins measure the login path rather than the password
 * hash; the churn scenario also runs with the production cost (N=2^15).
 */
export const BENCH_PASSWORD = 'bench-password-not-secret';

export function cheapPasswordHash(): string {
  const params = { N: 1 << 10, r: 8, p: 1 };
  const salt = randomBytes(16);
  const key = scryptSync(BENCH_PASSWORD, salt, 32, params);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

export function productionPasswordHash(): Promise<string> {
  return hashPassword(BENCH_PASSWORD);
}

/** Inserts accounts straight into the product's database (logins still go through HTTP). */
export async function insertAccounts(
  stores: Stores,
  db: string,
  role: 'agent' | 'customer',
  count: number,
  prefix: string,
  passwordHash: string,
): Promise<BenchAccount[]> {
  const now = new Date();
  const accounts: BenchAccount[] = [];
  const tiers = ['standard', 'gold', 'platinum'] as const;
  const batch: (AgentDoc | CustomerDoc)[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const collection = stores.mongo
      .db(db)
      .collection<AgentDoc | CustomerDoc>(role === 'agent' ? 'agents' : 'customers');
    await collection.insertMany(batch.splice(0), { ordered: false });
  };
  for (let i = 0; i < count; i += 1) {
    const login = `${prefix}-${i}`;
    accounts.push({ role, login, password: BENCH_PASSWORD });
    const common: AgentDoc = {
      _id: randomUUID(),
      login,
      displayName: `Bench ${role} ${i}`,
      passwordHash,
      disabled: false,
      email: `${login}@example.test`,
      createdAt: now,
      updatedAt: now,
    };
    batch.push(
      role === 'agent'
        ? common
        : {
            ...common,
            tier: tiers[i % tiers.length] ?? 'standard',
            phone: '+1 555 0100',
            company: 'Bench Ltd',
            customerSince: new Date('2024-03-01T00:00:00Z'),
            notes: null,
          },
    );
    if (batch.length >= 1000) await flush();
  }
  await flush();
  return accounts;
}

/** Accounts for the baseline: it accepts any login, so nothing is stored. */
export function baselineAccounts(
  role: 'agent' | 'customer',
  count: number,
  prefix: string,
): BenchAccount[] {
  return Array.from({ length: count }, (_, i) => ({
    role,
    login: `${prefix}-${i}`,
    password: BENCH_PASSWORD,
  }));
}
