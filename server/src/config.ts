import { z } from 'zod';

const booleanString = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  REDIS_URL: z.url({
    protocol: /^rediss?$/,
    error: 'REDIS_URL must be a redis:// or rediss:// URL',
  }),
  MONGODB_URL: z.url({
    protocol: /^mongodb(\+srv)?$/,
    error: 'MONGODB_URL must be a mongodb:// or mongodb+srv:// URL',
  }),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/)
    .default('callcenter'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters'),
  TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(12 * 3600),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin.length > 0),
    )
    .pipe(z.array(z.url({ error: 'ALLOWED_ORIGINS is a comma-separated list of origins' }))),
  QUEUE_OFFLINE_GRACE_SECONDS: z.coerce.number().int().min(1).default(300),
  RATE_LIMIT_EVENTS_PER_SECOND: z.coerce.number().positive().default(20),
  RATE_LIMIT_BURST: z.coerce.number().int().positive().default(60),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60),
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .optional(),
  STATIC_DIR: z.string().optional(),
  TRUST_PROXY: booleanString.default(false),
  PRESENCE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5_000),
  NODE_DEAD_AFTER_MS: z.coerce.number().int().min(300).default(15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  redisUrl: string;
  mongodbUrl: string;
  mongodbDb: string;
  jwtSecret: string;
  tokenTtlSeconds: number;
  allowedOrigins: string[];
  queueOfflineGraceSeconds: number;
  rateLimit: { eventsPerSecond: number; burst: number };
  loginThrottle: { maxFailures: number; windowSeconds: number };
  nodeId: string | undefined;
  staticDir: string | undefined;
  trustProxy: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** How often a node heartbeats, and after how long without one its connections are dropped. */
  presence: { heartbeatMs: number; deadAfterMs: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; throws a ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    mongodbUrl: e.MONGODB_URL,
    mongodbDb: e.MONGODB_DB,
    jwtSecret: e.JWT_SECRET,
    tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
    allowedOrigins: e.ALLOWED_ORIGINS,
    queueOfflineGraceSeconds: e.QUEUE_OFFLINE_GRACE_SECONDS,
    rateLimit: { eventsPerSecond: e.RATE_LIMIT_EVENTS_PER_SECOND, burst: e.RATE_LIMIT_BURST },
    loginThrottle: {
      maxFailures: e.LOGIN_MAX_FAILURES,
      windowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
    },
    nodeId: e.NODE_ID,
    staticDir: e.STATIC_DIR,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    presence: { heartbeatMs: e.PRESENCE_HEARTBEAT_MS, deadAfterMs: e.NODE_DEAD_AFTER_MS },
  };
}
