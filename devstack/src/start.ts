// `npm start`: the embedded default (DESIGN.md section 5). Runs the server with the Redis and
// MongoDB it starts itself when REDIS_URL / MONGODB_URL are not given, data under .data/,
// demo accounts seeded, and the URLs and logins printed. Ctrl-C stops everything it started.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  createLogger,
  loadConfig,
  startServer,
  writeRuntimeInfo,
  type Config,
  type RunningServer,
} from '@callcenter/server';
import { AccountsRepository } from '@callcenter/server/storage';
import { buildClients, buildReason, servedClients } from './clientBuild';
import { DEMO_AGENTS, DEMO_CUSTOMERS, DEMO_SUPERVISORS, seedDemoAccounts } from './demoAccounts';
import { RedisProcess, findRepoRoot, startMongo, type MongoHandle } from './embeddedServices';

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A secret generated on first start and kept in .data/ (never in the repository). */
function devJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file))
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * The Web Push (VAPID) key pair, generated on first start and kept in .data/ like the JWT
 * secret: a new pair would orphan every device's subscription.
 */
function devVapidKeys(dataDir: string): { publicKey: string; privateKey: string } {
  const file = join(dataDir, 'vapid-keys.json');
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const jwk = privateKey.export({ format: 'jwk' });
    if (jwk.x === undefined || jwk.y === undefined || jwk.d === undefined) {
      throw new Error('the generated P-256 key has no coordinates');
    }
    // The uncompressed point (0x04, x, y), as browsers take an applicationServerKey.
    const publicKey = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(jwk.x, 'base64url'),
      Buffer.from(jwk.y, 'base64url'),
    ]).toString('base64url');
    writeFileSync(file, JSON.stringify({ publicKey, privateKey: jwk.d }), { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
}

/** Where GET /metrics is served, when METRICS_TOKEN or METRICS_PORT says so (docs/metrics.md). */
function metricsLines(running: RunningServer, config: Config): string[] {
  const lines: string[] = [];
  if (config.metrics.token !== null) {
    lines.push(`  Metrics:        ${running.url}/metrics (Bearer METRICS_TOKEN)`);
  }
  if (running.metricsPort !== null) {
    const bound = config.metrics.host;
    const host = bound === '0.0.0.0' ? '127.0.0.1' : bound.includes(':') ? `[${bound}]` : bound;
    lines.push(`  Metrics port:   http://${host}:${running.metricsPort}/metrics`);
  }
  return lines;
}

let redis: RedisProcess | undefined;
let mongo: MongoHandle | undefined;
let server: RunningServer | undefined;
let stopping = false;

/** Stops what this launcher started, in reverse order; a second Ctrl-C exits at once. */
async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  say('\nStopping...');
  await server?.stop().catch(() => undefined);
  await mongo?.stop().catch(() => undefined);
  await redis?.stop('SIGTERM').catch(() => undefined);
  process.exit(code);
}

async function main(): Promise<void> {
  const root = findRepoRoot();
  const dataDir = join(root, '.data');
  mkdirSync(dataDir, { recursive: true });
  const env = { ...process.env };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  if (!env.REDIS_URL) {
    say('Starting Redis (redis-server from PATH, data in .data/redis)...');
    redis = await RedisProcess.start({ dataDir: join(dataDir, 'redis') });
    env.REDIS_URL = redis.url;
  }
  if (!env.MONGODB_URL) {
    say('Starting MongoDB-compatible storage (data in .data/mongo)...');
    mongo = await startMongo({ dataDir: join(dataDir, 'mongo') });
    say(`  using ${mongo.kind}`);
    env.MONGODB_URL = mongo.url;
  }
  env.JWT_SECRET ??= devJwtSecret(dataDir);
  if (!env.VAPID_PUBLIC_KEY && !env.VAPID_PRIVATE_KEY) {
    const vapid = devVapidKeys(dataDir);
    env.VAPID_PUBLIC_KEY = vapid.publicKey;
    env.VAPID_PRIVATE_KEY = vapid.privateKey;
  }
  env.VAPID_SUBJECT ??= 'mailto:support@example.com';
  env.LOG_LEVEL ??= 'warn';
  if (!env.STATIC_DIR) {
    // The clients are served from their build: build them first when missing or out of date.
    const stale = servedClients(root).filter((client) => buildReason(client) !== undefined);
    if (stale.length > 0) await buildClients(root, stale, say);
    env.STATIC_DIR = join(root, 'dist', 'public');
  }

  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      say(error.message);
      return stopAll(78);
    }
    throw error;
  }
  server = await startServer(config, createLogger(config.logLevel));
  const created = await seedDemoAccounts(new AccountsRepository(server.mongo.collections));
  writeRuntimeInfo(root, {
    redisUrl: config.redisUrl,
    mongodbUrl: config.mongodbUrl,
    mongodbDb: config.mongodbDb,
    appUrl: server.url,
  });

  const lines = [
    '',
    `Call-center chat is running at ${server.url}`,
    `  Customer app:   ${server.url}/`,
    `  Agent console:  ${server.url}/agent/`,
    `  Supervisors:    ${server.url}/supervisor/`,
    `  Health:         ${server.url}/readyz`,
    ...metricsLines(server, config),
    created > 0 ? `  Seeded ${created} demo accounts.` : '',
    '',
    'Demo logins (login / password):',
    ...DEMO_AGENTS.map(
      (a) => `  agent     ${a.login.padEnd(8)} / ${a.password.padEnd(12)} ${a.displayName}`,
    ),
    ...DEMO_SUPERVISORS.map(
      (s) =>
        `  supervisor ${s.login.padEnd(7)} / ${s.password.padEnd(12)} ${s.displayName} (admin)`,
    ),
    ...DEMO_CUSTOMERS.map(
      (c) =>
        `  customer  ${c.login.padEnd(8)} / ${c.password.padEnd(12)} ${c.displayName} (${c.tier})`,
    ),
    '',
    'Press Ctrl-C to stop.',
  ];
  say(lines.filter((line, i, all) => line !== '' || all[i - 1] !== '').join('\n'));
}

main().catch((error: unknown) => {
  say(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
