import { z } from 'zod';
import { exactOrigin } from './http/originPolicy';
import { TIERS, type QueueAlerts, type Tier } from '@callcenter/shared';

/** A comma-separated list of exact origins (`scheme://host[:port]`), each checked. */
function originList(options: { allowNull: boolean }) {
  return z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin.length > 0),
    )
    .superRefine((origins, context) => {
      for (const origin of origins) {
        if ((options.allowNull && origin === 'null') || exactOrigin(origin) !== undefined) continue;
        context.addIssue({
          code: 'custom',
          message: `${JSON.stringify(origin)} is not an origin: write a comma-separated list of http(s)://host[:port], without a user, path or query`,
        });
      }
    });
}

/** An empty variable is an unset one. */
function emptyIsUnset(value: unknown): unknown {
  return value === '' ? undefined : value;
}

const booleanString = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** A comma-separated list of ICE server URLs of one scheme (`stun:host:port`, `turns:...`). */
function iceUrlList(scheme: RegExp, name: string, schemes: string) {
  return z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((url) => url.trim())
        .filter((url) => url !== ''),
    )
    .refine((urls) => urls.every((url) => scheme.test(url) && url.length <= 300), {
      message: `${name} takes a comma-separated list of ${schemes} URLs`,
    });
}

/** `standard=120,gold=60,platinum=30`: seconds per tier, every tier named once. */
const tierSeconds = z
  .string()
  .transform((value, ctx) => {
    const seconds: Partial<Record<Tier, number>> = {};
    for (const part of value.split(',')) {
      const [name, number] = part.split('=').map((s) => s.trim());
      const tier = TIERS.find((t) => t === name);
      const n = Number(number);
      if (!tier || !Number.isInteger(n) || n < 1 || tier in seconds) {
        ctx.addIssue({
          code: 'custom',
          message: `QUEUE_WAIT_ALERT_SECONDS: "${part}" is not tier=seconds (tiers ${TIERS.join(', ')}, each once, seconds >= 1)`,
        });
        return z.NEVER;
      }
      seconds[tier] = n;
    }
    const missing = TIERS.filter((tier) => !(tier in seconds));
    if (missing.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `QUEUE_WAIT_ALERT_SECONDS: no value for ${missing.join(', ')}`,
      });
      return z.NEVER;
    }
    return seconds as Record<Tier, number>;
  })
  .pipe(z.object({ standard: z.number(), gold: z.number(), platinum: z.number() }));

const envSchema = z
  .object({
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
    ALLOWED_ORIGINS: originList({ allowNull: true }),
    PUBLIC_ORIGINS: originList({ allowNull: false }),
    QUEUE_OFFLINE_GRACE_SECONDS: z.coerce.number().int().min(1).default(300),
    // An active conversation nobody wrote in for this long gets a warning; 0: never closed.
    CHAT_IDLE_WARNING_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 3600)
      .default(600),
    // ...and closes this long after the warning unless someone writes; 0: never closed either.
    CHAT_IDLE_CLOSE_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .max(24 * 3600)
      .default(120),
    // Consoles repeat the queue sound this often while customers wait (and the agent has room).
    QUEUE_ALERT_REPEAT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    // A waiting time above this, per tier, marks the entry: "standard=120,gold=60,platinum=30".
    QUEUE_WAIT_ALERT_SECONDS: tierSeconds.default({ standard: 120, gold: 60, platinum: 30 }),
    CALL_RING_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(30_000),
    CALL_RECONNECT_GRACE_MS: z.coerce.number().int().min(1_000).max(120_000).default(15_000),
    STUN_URLS: iceUrlList(/^stuns?:/, 'STUN_URLS', 'stun: or stuns:'),
    TURN_URLS: iceUrlList(/^turns?:/, 'TURN_URLS', 'turn: or turns:'),
    TURN_SECRET: z.string().min(16, 'TURN_SECRET must be at least 16 characters').optional(),
    TURN_CREDENTIAL_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(600),
    ICE_RELAY_ONLY: booleanString.default(false),
    RATE_LIMIT_EVENTS_PER_SECOND: z.coerce.number().positive().default(20),
    RATE_LIMIT_BURST: z.coerce.number().int().positive().default(60),
    REPLAY_INDEX_MESSAGES: z.coerce.number().int().min(1_000).default(100_000),
    MAX_SOCKETS_PER_USER: z.coerce.number().int().positive().default(10),
    MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().positive().default(2_000),
    LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
    LOGIN_AT_ONCE_PER_ADDRESS: z.coerce.number().int().positive().default(64),
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
    // GET /metrics: on the main port with this Bearer token, and/or on a port of its own.
    // Empty is unset (a compose file's `${METRICS_TOKEN:-}`).
    METRICS_TOKEN: z.preprocess(
      emptyIsUnset,
      z
        .string()
        .regex(
          /^[\x21-\x7e]{16,200}$/,
          'METRICS_TOKEN must be 16-200 printable characters, no spaces',
        )
        .optional(),
    ),
    METRICS_PORT: z.preprocess(emptyIsUnset, z.coerce.number().int().min(1).max(65535).optional()),
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /** The zone "today" is counted in on the wallboard (an IANA name); default: the server's. */
    STATS_TIME_ZONE: z
      .string()
      .default(() => Intl.DateTimeFormat().resolvedOptions().timeZone)
      .refine(isTimeZone, 'STATS_TIME_ZONE must be an IANA time zone such as Europe/Berlin'),
    /** Seconds between the wallboard charts' samples of the queue. */
    WALLBOARD_SAMPLE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /** Hours of queue history the wallboard charts show (kept in Redis). */
    WALLBOARD_HISTORY_HOURS: z.coerce.number().int().min(1).max(168).default(12),
    /** Seconds between checks for conversations older than the retention setting. */
    /** Largest attachment accepted, in bytes (pictures are re-encoded, so kept ones may differ). */
    ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    RETENTION_CHECK_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600)
      .default(3600),
    /** Minutes of recent takes a queued customer's estimated wait is computed from. */
    WAIT_ESTIMATE_WINDOW_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    // Web Push (VAPID): both keys, or neither and push is off. `npx web-push generate-vapid-keys`.
    VAPID_PUBLIC_KEY: z.preprocess(emptyIsUnset, vapidKey(65, 'VAPID_PUBLIC_KEY').optional()),
    VAPID_PRIVATE_KEY: z.preprocess(emptyIsUnset, vapidKey(32, 'VAPID_PRIVATE_KEY').optional()),
    // Who the push services may contact about this server's pushes.
    VAPID_SUBJECT: z.preprocess(
      emptyIsUnset,
      z
        .string()
        .regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, 'VAPID_SUBJECT is a mailto: or https: URL')
        .optional(),
    ),
    // A push about a message carries its text (through the browser's push service) only if set.
    PUSH_MESSAGE_PREVIEW: booleanString.default(false),
    // Tests only: subscriptions may name a push service on http://localhost.
    PUSH_LOOPBACK_ENDPOINTS: booleanString.default(false),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .refine((e) => e.TURN_URLS.length === 0 || e.TURN_SECRET !== undefined, {
    path: ['TURN_SECRET'],
    message: 'TURN_URLS needs TURN_SECRET (the static-auth-secret of the TURN server)',
  })
  .refine((e) => e.METRICS_PORT === undefined || e.METRICS_PORT !== e.PORT, {
    path: ['METRICS_PORT'],
    message: 'METRICS_PORT must differ from PORT (it is a listener of its own)',
  })
  .refine((e) => (e.VAPID_PUBLIC_KEY === undefined) === (e.VAPID_PRIVATE_KEY === undefined), {
    path: ['VAPID_PRIVATE_KEY'],
    message: 'VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together (a key pair), or neither',
  })
  .refine((e) => e.VAPID_PUBLIC_KEY === undefined || e.VAPID_SUBJECT !== undefined, {
    path: ['VAPID_SUBJECT'],
    message: 'VAPID keys need VAPID_SUBJECT (mailto:you@example.com or https://your.site)',
  })
  .refine((e) => !e.ICE_RELAY_ONLY || e.TURN_URLS.length > 0, {
    path: ['ICE_RELAY_ONLY'],
    message: 'ICE_RELAY_ONLY needs TURN_URLS: relayed media goes through a TURN server',
  });

/** A VAPID key as `web-push generate-vapid-keys` prints it: base64url of so many bytes. */
function vapidKey(bytes: number, name: string) {
  return z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, `${name} is base64url (as web-push generate-vapid-keys prints it)`)
    .refine((key) => key.length === Math.ceil((bytes * 4) / 3), {
      message: `${name} is a ${bytes}-byte key in base64url`,
    });
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface IceSettings {
  stunUrls: string[];
  turnUrls: string[];
  turnSecret: string | null;
  turnTtlSeconds: number;
  relayOnly: boolean;
}

/**
 * Web Push: the server's VAPID key pair and contact (null: push is off), whether a message's
 * push carries its text, and whether endpoints on http://localhost are taken (tests).
 */
export interface WebPushSettings {
  vapid: { publicKey: string; privateKey: string; subject: string } | null;
  messagePreview: boolean;
  loopbackEndpoints: boolean;
}

export interface Config {
  port: number;
  host: string;
  redisUrl: string;
  mongodbUrl: string;
  mongodbDb: string;
  jwtSecret: string;
  tokenTtlSeconds: number;
  /** Browser origins of other sites allowed to use this server; `null` only if listed. */
  allowedOrigins: string[];
  /** Origins this server is reached at; its Host must be one of them (or loopback) when set. */
  publicOrigins: string[];
  queueOfflineGraceSeconds: number;
  /**
   * An active conversation with no message for `warningSeconds` is warned, then closed
   * (`idle`) `closeSeconds` later unless someone writes; either 0: never.
   */
  idleClose: { warningSeconds: number; closeSeconds: number };
  /** What consoles alert agents with (sent in their sync). */
  queueAlerts: QueueAlerts;
  /** A call nobody answered within this long ends as `missed`. */
  callRingTimeoutMs: number;
  /** A call whose device lost its connection waits this long for it to come back. */
  callReconnectGraceMs: number;
  /**
   * What calls' media may use to connect: STUN and TURN URLs, the secret TURN credentials are
   * derived from (coturn's `use-auth-secret`), how long each lasts, and whether to relay only.
   */
  ice: IceSettings;
  /** Events per second and burst, per user over all its sockets on one node. */
  rateLimit: { eventsPerSecond: number; burst: number };
  /** Newest messages kept in Redis for agents' syncs to read by range (about 0.5 KB each). */
  replayIndexSize: number;
  /** Open sockets per user (over every node) and per client address (per node). */
  socketLimits: { perUser: number; perAddress: number };
  /** Free failures, their window, and logins one address may have in progress on a node. */
  loginThrottle: { maxFailures: number; windowSeconds: number; atOncePerAddress: number };
  nodeId: string | undefined;
  staticDir: string | undefined;
  trustProxy: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /**
   * GET /metrics (Prometheus): served on the main port only when `token` is set (as a Bearer
   * token), and on `port` at `host` when set (the token required there too when set).
   */
  metrics: { token: string | null; port: number | null; host: string };
  /** How often a node heartbeats, and after how long without one its connections are dropped. */
  presence: { heartbeatMs: number; deadAfterMs: number };
  /**
   * The supervisors' wallboard: the zone its "today" is counted in, and its charts' sample
   * interval and reach. The tiers' target waits are `queueAlerts.waitSeconds`.
   */
  wallboard: { timeZone: string; sampleSeconds: number; historyHours: number };
  /** Every node checks this often whether ended conversations are past the retention setting. */
  retention: { checkSeconds: number };
  /** Files sent in chats: the largest upload accepted, in bytes. */
  attachments: { maxBytes: number };
  webPush: WebPushSettings;
  /** Queued customers' estimated waits come from the takes of this many recent seconds. */
  waitEstimate: { windowSeconds: number };
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
    publicOrigins: e.PUBLIC_ORIGINS,
    queueOfflineGraceSeconds: e.QUEUE_OFFLINE_GRACE_SECONDS,
    queueAlerts: {
      repeatSeconds: e.QUEUE_ALERT_REPEAT_SECONDS,
      waitSeconds: e.QUEUE_WAIT_ALERT_SECONDS,
    },
    idleClose: {
      warningSeconds: e.CHAT_IDLE_WARNING_SECONDS,
      closeSeconds: e.CHAT_IDLE_CLOSE_SECONDS,
    },
    callRingTimeoutMs: e.CALL_RING_TIMEOUT_MS,
    callReconnectGraceMs: e.CALL_RECONNECT_GRACE_MS,
    ice: {
      stunUrls: e.STUN_URLS,
      turnUrls: e.TURN_URLS,
      turnSecret: e.TURN_SECRET ?? null,
      turnTtlSeconds: e.TURN_CREDENTIAL_TTL_SECONDS,
      relayOnly: e.ICE_RELAY_ONLY,
    },
    rateLimit: { eventsPerSecond: e.RATE_LIMIT_EVENTS_PER_SECOND, burst: e.RATE_LIMIT_BURST },
    replayIndexSize: e.REPLAY_INDEX_MESSAGES,
    socketLimits: { perUser: e.MAX_SOCKETS_PER_USER, perAddress: e.MAX_SOCKETS_PER_ADDRESS },
    loginThrottle: {
      maxFailures: e.LOGIN_MAX_FAILURES,
      windowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
      atOncePerAddress: e.LOGIN_AT_ONCE_PER_ADDRESS,
    },
    nodeId: e.NODE_ID,
    staticDir: e.STATIC_DIR,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    metrics: { token: e.METRICS_TOKEN ?? null, port: e.METRICS_PORT ?? null, host: e.METRICS_HOST },
    presence: { heartbeatMs: e.PRESENCE_HEARTBEAT_MS, deadAfterMs: e.NODE_DEAD_AFTER_MS },
    wallboard: {
      timeZone: e.STATS_TIME_ZONE,
      sampleSeconds: e.WALLBOARD_SAMPLE_SECONDS,
      historyHours: e.WALLBOARD_HISTORY_HOURS,
    },
    retention: { checkSeconds: e.RETENTION_CHECK_SECONDS },
    attachments: { maxBytes: e.ATTACHMENT_MAX_BYTES },
    webPush: {
      vapid:
        e.VAPID_PUBLIC_KEY !== undefined &&
        e.VAPID_PRIVATE_KEY !== undefined &&
        e.VAPID_SUBJECT !== undefined
          ? {
              publicKey: e.VAPID_PUBLIC_KEY,
              privateKey: e.VAPID_PRIVATE_KEY,
              subject: e.VAPID_SUBJECT,
            }
          : null,
      messagePreview: e.PUSH_MESSAGE_PREVIEW,
      loopbackEndpoints: e.PUSH_LOOPBACK_ENDPOINTS,
    },
    waitEstimate: { windowSeconds: e.WAIT_ESTIMATE_WINDOW_MINUTES * 60 },
  };
}
