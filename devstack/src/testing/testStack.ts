import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountRole, LoginResponse, Tier } from '@callcenter/shared';
import { postLogin } from '@callcenter/client';
import {
  createLogger,
  hashPassword,
  startServer,
  type Config,
  type RunningServer,
} from '@callcenter/server';
import type { CustomerDoc } from '@callcenter/server/storage';
import { RedisProcess, type AppendFsyncPolicy } from '../embeddedServices';

export interface TestStackOptions {
  mongodbUrl: string;
  /** Overrides for the server's configuration (timings, limits). */
  config?: Partial<Config>;
  appendfsync?: AppendFsyncPolicy;
}

export interface TestAccount {
  id: string;
  role: AccountRole;
  login: string;
  password: string;
  displayName: string;
  tier?: Tier;
}

/**
 * One private Redis, a fresh database, and one server node on a free port. `addNode` starts
 * more nodes on the same Redis and database.
 */
export class TestStack {
  readonly nodes: RunningServer[] = [];
  /** Test accounts share one password, hashed once: a real hash per account costs ~100 ms. */
  private readonly password = `pw-${randomUUID()}`;
  private passwordHash: Promise<string> | undefined;

  private constructor(
    readonly redis: RedisProcess,
    private readonly dataDir: string,
    readonly config: Config,
  ) {}

  static async start(options: TestStackOptions): Promise<TestStack> {
    const dataDir = await mkdtemp(join(tmpdir(), 'callcenter-test-'));
    const redis = await RedisProcess.start({
      dataDir,
      appendfsync: options.appendfsync ?? 'everysec',
    });
    const config: Config = {
      port: 0,
      host: '127.0.0.1',
      redisUrl: redis.url,
      mongodbUrl: options.mongodbUrl,
      mongodbDb: `test_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
      jwtSecret: randomBytes(32).toString('hex'),
      tokenTtlSeconds: 3600,
      allowedOrigins: [],
      publicOrigins: [],
      queueOfflineGraceSeconds: 300,
      // Off in tests unless one turns it on: a slow run must not close its conversations.
      idleClose: { warningSeconds: 0, closeSeconds: 120 },
      queueAlerts: { repeatSeconds: 30, waitSeconds: { standard: 120, gold: 60, platinum: 30 } },
      callRingTimeoutMs: 30_000,
      callReconnectGraceMs: 15_000,
      ice: { stunUrls: [], turnUrls: [], turnSecret: null, turnTtlSeconds: 600, relayOnly: false },
      rateLimit: { eventsPerSecond: 200, burst: 400 },
      socketLimits: { perUser: 10, perAddress: 10_000 },
      replayIndexSize: 100_000,
      loginThrottle: { maxFailures: 5, windowSeconds: 900, atOncePerAddress: 64 },
      nodeId: undefined,
      staticDir: undefined,
      trustProxy: false,
      // A test run may ask for the nodes' logs (TEST_LOG_LEVEL=error, say) when one fails.
      logLevel: (process.env.TEST_LOG_LEVEL ?? 'silent') as Config['logLevel'],
      presence: { heartbeatMs: 1_000, deadAfterMs: 3_000 },
      metrics: { token: null, port: null, host: '127.0.0.1' },
      wallboard: { timeZone: 'UTC', sampleSeconds: 60, historyHours: 12 },
      retention: { checkSeconds: 3600 },
      attachments: { maxBytes: 10 * 1024 * 1024 },
      // Push is off unless a test brings VAPID keys; its local push service is on loopback.
      webPush: { vapid: null, messagePreview: false, loopbackEndpoints: true },
      waitEstimate: { windowSeconds: 1800 },
      ...options.config,
    };
    const stack = new TestStack(redis, dataDir, config);
    await stack.addNode();
    return stack;
  }

  get server(): RunningServer {
    const first = this.nodes[0];
    if (!first) throw new Error('no server node is running');
    return first;
  }

  get url(): string {
    return this.server.url;
  }

  async addNode(overrides: Partial<Config> = {}): Promise<RunningServer> {
    const node = await startServer(
      { ...this.config, ...overrides },
      createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    );
    this.nodes.push(node);
    return node;
  }

  private get collections() {
    return this.server.mongo.collections;
  }

  /** The fields every test account has: a fresh login of `role`, the shared test password. */
  private async accountFields(role: AccountRole, displayName: string) {
    const login = `${role}-${randomUUID().slice(0, 12)}`;
    this.passwordHash ??= hashPassword(this.password);
    const now = new Date();
    return {
      _id: randomUUID(),
      login,
      displayName,
      passwordHash: await this.passwordHash,
      disabled: false,
      email: `${login}@example.test`,
      createdAt: now,
      updatedAt: now,
    };
  }

  async createAgent(name = `Agent ${randomUUID().slice(0, 6)}`): Promise<TestAccount> {
    const doc = await this.accountFields('agent', name);
    await this.collections.agents.insertOne(doc);
    return {
      id: doc._id,
      role: 'agent',
      login: doc.login,
      password: this.password,
      displayName: name,
    };
  }

  /** A supervisor account; `admin` gives it the administration right. */
  async createSupervisor(options: { admin?: boolean; name?: string } = {}): Promise<TestAccount> {
    const name = options.name ?? `Supervisor ${randomUUID().slice(0, 6)}`;
    const doc = {
      ...(await this.accountFields('supervisor', name)),
      admin: options.admin ?? false,
    };
    await this.collections.supervisors.insertOne(doc);
    return {
      id: doc._id,
      role: 'supervisor',
      login: doc.login,
      password: this.password,
      displayName: name,
    };
  }

  async createCustomer(
    tier: Tier = 'standard',
    name = `Customer ${randomUUID().slice(0, 6)}`,
  ): Promise<TestAccount> {
    const login = `customer-${randomUUID().slice(0, 12)}`;
    this.passwordHash ??= hashPassword(this.password);
    const now = new Date();
    const doc: CustomerDoc = {
      _id: randomUUID(),
      login,
      displayName: name,
      passwordHash: await this.passwordHash,
      disabled: false,
      email: `${login}@example.test`,
      tier,
      phone: '+1 555 0100',
      company: 'Example Ltd',
      customerSince: new Date('2024-03-01T00:00:00Z'),
      notes: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.collections.customers.insertOne(doc);
    return {
      id: doc._id,
      role: 'customer',
      login,
      password: this.password,
      displayName: name,
      tier,
    };
  }

  async login(account: TestAccount, url = this.url): Promise<LoginResponse> {
    const { role, login, password } = account;
    return postLogin(url, { role, login, password }).catch((error: unknown) => {
      throw new Error(`login of ${login} failed: ${String(error)}`);
    });
  }

  /** Empties the live state and the conversation record between tests; accounts stay. */
  async reset(): Promise<void> {
    await this.server.redis.flushdb();
    await this.collections.messages.deleteMany({});
    await this.collections.conversations.deleteMany({});
  }

  /** Stops every node, drops the test database and Redis, removes the data. */
  async stop(): Promise<void> {
    const first = this.nodes[0];
    if (first) {
      await first.mongo.db.dropDatabase().catch(() => undefined);
    }
    await Promise.allSettled(this.nodes.map((node) => node.stop()));
    await this.redis.stop('SIGKILL').catch(() => undefined);
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
