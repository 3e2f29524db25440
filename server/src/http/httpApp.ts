import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import {
  LogController,
  fastify,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawServerDefault,
} from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '@callcenter/shared';
import { ProtocolError, loginRequestSchema } from '@callcenter/shared';
import type { AuthService, SessionIdentity } from '../auth/authService';
import { LoginThrottledError } from '../auth/loginThrottledError';
import { isUnavailable } from '../errors';
import type { Logger } from '../logger';
import { METRICS_PATH, scrapeRefusal, type Scrape } from '../metrics/metricsEndpoint';
import type { SocketCounts } from '../metrics/metrics';
import type { OriginPolicy } from './originPolicy';
import { setSecurityHeaders } from './securityHeaders';

export interface HttpAppOptions {
  auth: AuthService;
  logger: Logger;
  originPolicy: OriginPolicy;
  trustProxy: boolean;
  /**
   * Folder with the built clients: `pwa/` served at `/`, `agent/` at `/agent/`, `supervisor/`
   * at `/supervisor/`.
   */
  staticDir: string | undefined;
  /** Readiness: Redis and MongoDB answer. */
  checkReady: () => Promise<{ redis: boolean; mongodb: boolean }>;
  /** Called when a session is logged out over HTTP, to close its sockets. */
  onLogout: (identity: SessionIdentity) => void;
  /**
   * GET /metrics on this port: served to `token` as a Bearer token; without a token, refused
   * (404: see METRICS_PORT). `counts` counts the error answers.
   */
  metrics?: { scrape: Scrape; token: string | null; counts: Pick<SocketCounts, 'errorAnswered'> };
  /** More API routes (the supervisors' `/api/supervisor/...`), registered after the core ones. */
  routes?: ((app: ApiApp) => void | Promise<void>)[];
}

/** The HTTP app as route modules see it. */
export type ApiApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>;

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  invalid_payload: 400,
  invalid_credentials: 401,
  unauthorized: 401,
  account_disabled: 403,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  unsupported_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

function sendError(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  return reply.status(STATUS_BY_CODE[code] ?? 500).send({ error: { code, message } });
}

// Paths the server answers itself; an unknown one of these is a 404, never a client's page.
const SERVER_PATH_PREFIXES = ['/api/', '/socket.io/', '/healthz', '/readyz', METRICS_PATH];

/**
 * Caching of the built clients. Vite names the files under `assets/` by their content hash, so
 * they never change and may be cached for good; everything else (index.html, the service worker
 * and its Workbox runtime, the manifest, icons) keeps its name across releases and must be
 * revalidated, or a browser would keep an old app shell or never see a new service worker.
 */
function cacheControlFor(clientRoot: string, filePath: string): string {
  return relative(clientRoot, filePath).startsWith(`assets${sep}`)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '';
}

/** A page load (not a script's fetch or an asset) that should get the client's index.html. */
function wantsClientPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = pathOf(request);
  if (SERVER_PATH_PREFIXES.some((prefix) => path.startsWith(prefix))) return false;
  // A missing file with an extension (a stale hashed asset) stays a 404.
  if (basename(path).includes('.')) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/** HTTP: login and logout, health and readiness, and the built clients. */
export async function createHttpApp(options: HttpAppOptions) {
  const app = fastify({
    loggerInstance: options.logger,
    // Per-request logs would put every login into the log stream; errors are logged below.
    logController: new LogController({ disableRequestLogging: true }),
    // One hop: the client is the address our proxy saw (the last X-Forwarded-For entry), not
    // whatever the client itself wrote in front of it.
    trustProxy: options.trustProxy ? (_address: string, hop: number) => hop === 0 : false,
    bodyLimit: 16 * 1024,
    // Every line logged for a request (request.log) carries its reqId.
    genReqId: () => randomUUID(),
  });

  // First, so that every answer carries them, a refusal below included.
  app.addHook('onRequest', (request, reply, done) => {
    setSecurityHeaders(request.raw, reply.raw, done);
  });
  app.addHook('onRequest', async (request, reply) => {
    const refusal = options.originPolicy.refusalOf(request.raw);
    if (refusal === 'host not allowed') {
      return sendError(reply, 'forbidden', 'This server is not reached by that host name.');
    }
    if (refusal === 'origin not allowed') {
      return sendError(reply, 'forbidden', 'This origin is not allowed.');
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      void reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin');
      if (request.method === 'OPTIONS') {
        return reply
          .header('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE')
          .header('Access-Control-Allow-Headers', 'Content-Type, Authorization')
          .header('Access-Control-Max-Age', '600')
          .status(204)
          .send();
      }
    }
    return undefined;
  });

  // Error answers, by code, for the metrics (they are small JSON bodies from sendError).
  const counts = options.metrics?.counts;
  if (counts !== undefined) {
    app.addHook('onSend', async (_request, reply, payload) => {
      if (reply.statusCode >= 400 && typeof payload === 'string') {
        try {
          const code = (JSON.parse(payload) as { error?: { code?: unknown } }).error?.code;
          if (typeof code === 'string') counts.errorAnswered('http', code);
        } catch {
          // Not one of ours (a static file's error page): not counted.
        }
      }
      return payload;
    });
  }

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof LoginThrottledError) {
      void reply.header('retry-after', String(error.retryAfterSeconds));
    }
    if (error instanceof ProtocolError) return sendError(reply, error.code, error.message);
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return sendError(
        reply,
        'invalid_payload',
        error instanceof Error ? error.message : 'bad request',
      );
    }
    if (isUnavailable(error)) {
      request.log.warn({ err: error }, 'storage unavailable');
      return sendError(reply, 'unavailable', 'The service is briefly unavailable; retry.');
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 'internal', 'Something went wrong on the server; try again.');
  });
  // Built clients: an unknown page path (a deep link, a bookmark) gets the client's index.html,
  // as a single-page app expects; `/agent/...` the agent console's, `/supervisor/...` the
  // supervisor console's, anything else the PWA's.
  const clientIndex = (path: string): string | undefined => {
    if (options.staticDir === undefined) return undefined;
    const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
    const client = under('/agent') ? 'agent' : under('/supervisor') ? 'supervisor' : 'pwa';
    const file = join(options.staticDir, client, 'index.html');
    return existsSync(file) ? file : undefined;
  };
  app.setNotFoundHandler(async (request, reply) => {
    const index = wantsClientPage(request) ? clientIndex(pathOf(request)) : undefined;
    if (index === undefined) return sendError(reply, 'not_found', 'No such page.');
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(await readFile(index));
  });

  app.post('/api/auth/login', async (request, reply) => {
    const parsed = loginRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      return sendError(reply, 'invalid_payload', 'Send { role, login, password }.');
    }
    const answer = await options.auth.login(parsed.data, request.ip);
    request.log.info({ role: parsed.data.role, userId: answer.user.id }, 'logged in');
    return answer;
  });

  app.post('/api/auth/logout', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const identity = await options.auth.verify(token);
    await options.auth.logout(identity);
    options.onLogout(identity);
    return reply.status(204).send();
  });

  app.get(METRICS_PATH, async (request, reply) => {
    const refusal = scrapeRefusal(
      request.headers.authorization,
      options.metrics?.token ?? null,
      'closed',
    );
    if (refusal !== undefined || options.metrics === undefined) {
      const { code, message } = refusal ?? { code: 'not_found' as const, message: 'No metrics.' };
      return sendError(reply, code, message);
    }
    const { contentType, body } = await options.metrics.scrape();
    return reply.type(contentType).header('cache-control', 'no-store').send(body);
  });

  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const checks = await options.checkReady();
    const ready = checks.redis && checks.mongodb;
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  for (const routes of options.routes ?? []) await routes(app);

  const staticDir = options.staticDir;
  if (staticDir !== undefined) {
    const pwaDir = join(staticDir, 'pwa');
    for (const name of ['agent', 'supervisor']) {
      const consoleDir = join(staticDir, name);
      if (!existsSync(consoleDir)) continue;
      await app.register(fastifyStatic, {
        root: consoleDir,
        prefix: `/${name}/`,
        decorateReply: false,
        setHeaders: (reply, filePath) => {
          reply.header('cache-control', cacheControlFor(consoleDir, filePath));
        },
      });
    }
    if (existsSync(pwaDir)) {
      await app.register(fastifyStatic, {
        root: pwaDir,
        prefix: '/',
        decorateReply: false,
        setHeaders: (reply, filePath) => {
          reply.header('cache-control', cacheControlFor(pwaDir, filePath));
        },
      });
    }
  }
  return app;
}
