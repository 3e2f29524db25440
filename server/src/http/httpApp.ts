import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { LogController, fastify, type FastifyReply } from 'fastify';
import type { ErrorCode } from '@callcenter/shared';
import { ProtocolError, loginRequestSchema } from '@callcenter/shared';
import type { AuthService } from '../auth/authService';
import { isUnavailable } from '../errors';
import type { Logger } from '../logger';
import type { OriginPolicy } from './originPolicy';

export interface HttpAppOptions {
  auth: AuthService;
  logger: Logger;
  originPolicy: OriginPolicy;
  trustProxy: boolean;
  /** Folder with the built clients: `pwa/` served at `/`, `agent/` at `/agent/`. */
  staticDir: string | undefined;
  /** Readiness: Redis and MongoDB answer. */
  checkReady: () => Promise<{ redis: boolean; mongodb: boolean }>;
  /** Called when a session is logged out over HTTP, to close its sockets. */
  onLogout: (sessionId: string) => void;
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  invalid_payload: 400,
  invalid_credentials: 401,
  unauthorized: 401,
  account_disabled: 403,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
  unavailable: 503,
};

function sendError(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  return reply.status(STATUS_BY_CODE[code] ?? 500).send({ error: { code, message } });
}

/** HTTP: login and logout, health and readiness, and the built clients. */
export async function createHttpApp(options: HttpAppOptions) {
  const app = fastify({
    loggerInstance: options.logger,
    // Per-request logs would put every login into the log stream; errors are logged below.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: options.trustProxy,
    bodyLimit: 16 * 1024,
  });

  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!options.originPolicy.allows(origin, request.headers.host)) {
      return sendError(reply, 'forbidden', 'This origin is not allowed.');
    }
    if (origin !== undefined) {
      void reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin');
      if (request.method === 'OPTIONS') {
        return reply
          .header('Access-Control-Allow-Methods', 'GET, POST')
          .header('Access-Control-Allow-Headers', 'Content-Type, Authorization')
          .header('Access-Control-Max-Age', '600')
          .status(204)
          .send();
      }
    }
    return undefined;
  });

  app.setErrorHandler((error, _request, reply) => {
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
      options.logger.warn({ err: error }, 'storage unavailable');
      return sendError(reply, 'unavailable', 'The service is briefly unavailable; retry.');
    }
    options.logger.error({ err: error }, 'request failed');
    return sendError(reply, 'internal', 'Something went wrong on the server; try again.');
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, 'not_found', 'No such page.'));

  app.post('/api/auth/login', async (request, reply) => {
    const parsed = loginRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      return sendError(reply, 'invalid_payload', 'Send { role, login, password }.');
    }
    return options.auth.login(parsed.data, request.ip);
  });

  app.post('/api/auth/logout', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const identity = await options.auth.verify(token);
    await options.auth.logout(identity);
    options.onLogout(identity.sessionId);
    return reply.status(204).send();
  });

  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const checks = await options.checkReady();
    const ready = checks.redis && checks.mongodb;
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  const staticDir = options.staticDir;
  if (staticDir !== undefined) {
    const agentDir = join(staticDir, 'agent');
    const pwaDir = join(staticDir, 'pwa');
    if (existsSync(agentDir)) {
      await app.register(fastifyStatic, {
        root: agentDir,
        prefix: '/agent/',
        decorateReply: false,
      });
    }
    if (existsSync(pwaDir)) {
      await app.register(fastifyStatic, { root: pwaDir, prefix: '/', decorateReply: false });
    }
  }
  return app;
}
