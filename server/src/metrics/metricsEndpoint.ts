import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';

/** What serves a scrape: the exposition text and its content type. */
export type Scrape = () => Promise<{ contentType: string; body: string }>;

/** Why a scrape is refused, as the HTTP answer gives it (the server's usual error body). */
export interface ScrapeRefusal {
  status: number;
  code: 'unauthorized' | 'not_found';
  message: string;
}

/** The path Prometheus scrapes, on the main port and on the metrics port alike. */
export const METRICS_PATH = '/metrics';

const NOT_HERE: ScrapeRefusal = {
  status: 404,
  code: 'not_found',
  message:
    'Metrics are not served on this port: set METRICS_TOKEN to serve them here to a Bearer token, or METRICS_PORT for a listener of their own.',
};

const NO_TOKEN: ScrapeRefusal = {
  status: 401,
  code: 'unauthorized',
  message: 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".',
};

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Whether a scrape with this Authorization header may read the metrics. `token` null: no token
 * is asked (`open`) or none would do (the main port without a token). Compared in constant time.
 */
export function scrapeRefusal(
  authorization: string | undefined,
  token: string | null,
  withoutToken: 'open' | 'closed',
): ScrapeRefusal | undefined {
  if (token === null) return withoutToken === 'open' ? undefined : NOT_HERE;
  const sent = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : '';
  return timingSafeEqual(digest(sent), digest(token)) ? undefined : NO_TOKEN;
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  response
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    })
    .end(JSON.stringify(body));
}

export interface MetricsListener {
  port: number;
  close(): Promise<void>;
}

/**
 * A listener of its own for Prometheus (METRICS_PORT, on METRICS_HOST: loopback unless told):
 * it answers GET /metrics and nothing else. The token is asked here too when one is set.
 */
export async function startMetricsListener(options: {
  port: number;
  host: string;
  token: string | null;
  scrape: Scrape;
  logger: Logger;
}): Promise<MetricsListener> {
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== METRICS_PATH) {
      sendJson(response, 404, {
        error: { code: 'not_found', message: 'This port serves GET /metrics only.' },
      });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      sendJson(response, 405, {
        error: { code: 'invalid_payload', message: 'Use GET /metrics.' },
      });
      return;
    }
    const refusal = scrapeRefusal(request.headers.authorization, options.token, 'open');
    if (refusal !== undefined) {
      sendJson(response, refusal.status, {
        error: { code: refusal.code, message: refusal.message },
      });
      return;
    }
    const { contentType, body } = await options.scrape();
    response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.logger.error({ err: error }, 'serving the metrics failed');
      if (!response.headersSent) {
        sendJson(response, 500, {
          error: { code: 'internal', message: 'Reading the metrics failed.' },
        });
      } else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
