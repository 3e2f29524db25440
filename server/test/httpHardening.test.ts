// What a browser is told about every response (CSP, framing, sniffing, referrer, permissions),
// and which origins and host names the server answers, on HTTP and on the Socket.IO handshake
// (both transports), as docs/protocol.md "Origin rules" describes.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RunningServer } from '../src/app';
import { configFrom, configProblems } from './support/configProblems';
import { TestStack } from '@callcenter/devstack/testing';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP request with exactly the headers given (fetch would not let a test set Host). */
function send(
  url: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(path, url),
      { method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const POLLING_HANDSHAKE = '/socket.io/?EIO=4&transport=polling';
const WEBSOCKET_HANDSHAKE = '/socket.io/?EIO=4&transport=websocket';

/** A WebSocket upgrade: 101 when accepted, else the HTTP status and body of the refusal. */
function upgrade(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(new URL(WEBSOCKET_HANDSHAKE, url.replace(/^http/, 'ws')), {
      headers,
    });
    socket.once('upgrade', (res) => {
      socket.close();
      resolve({ status: res.statusCode ?? 0, body: '', headers: res.headers });
    });
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      });
    });
    socket.once('error', reject);
  });
}

/** The login endpoint's answer to an empty body: 400 when let through, 403 when refused. */
async function loginStatus(url: string, headers: Record<string, string>) {
  const response = await send(url, '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{}',
  });
  return {
    status: response.status,
    allowOrigin: response.headers['access-control-allow-origin'],
  };
}

/** Whether HTTP, a polling handshake and a WebSocket upgrade all pass (true) or are all refused. */
async function passesEverywhere(url: string, headers: Record<string, string>): Promise<boolean> {
  const [http, polling, websocket] = await Promise.all([
    loginStatus(url, headers),
    send(url, POLLING_HANDSHAKE, { headers }),
    upgrade(url, headers),
  ]);
  const passed = [http.status !== 403, polling.status === 200, websocket.status === 101];
  if (passed.every(Boolean)) return true;
  if (passed.some(Boolean)) {
    throw new Error(
      `HTTP, polling and WebSocket disagree for ${JSON.stringify(headers)}: ${http.status}, ${polling.status}, ${websocket.status}`,
    );
  }
  expect([http.status, polling.status, websocket.status]).toEqual([403, 403, 403]);
  return false;
}

let stack: TestStack;
let staticDir: string;
let publicNode: RunningServer;
let proxiedNode: RunningServer;

beforeAll(async () => {
  staticDir = await mkdtemp(join(tmpdir(), 'callcenter-static-'));
  for (const client of ['pwa', 'agent']) {
    await mkdir(join(staticDir, client, 'assets'), { recursive: true });
    await writeFile(join(staticDir, client, 'index.html'), `<!doctype html><html>${client}</html>`);
    await writeFile(join(staticDir, client, 'assets', 'app-1a2b3c.js'), 'export {};');
  }
  stack = await TestStack.start({
    mongodbUrl: inject('mongodbUrl'),
    config: { staticDir, allowedOrigins: ['https://console.example'] },
  });
  publicNode = await stack.addNode({ publicOrigins: ['https://chat.example'] });
  proxiedNode = await stack.addNode({ trustProxy: true });
});

afterAll(async () => {
  await stack.stop();
  await rm(staticDir, { recursive: true, force: true });
});

describe('security headers', () => {
  const expectHardened = (headers: IncomingHttpHeaders, what: string) => {
    const csp = String(headers['content-security-policy']);
    expect(csp, what).toContain("default-src 'self'");
    expect(csp, what).toContain("script-src 'self'");
    expect(csp, what).toContain("connect-src 'self'");
    expect(csp, what).toContain("object-src 'none'");
    expect(csp, what).toContain("frame-ancestors 'none'");
    expect(csp, what).not.toContain('unsafe-inline');
    expect(headers['x-frame-options'], what).toBe('DENY');
    expect(headers['x-content-type-options'], what).toBe('nosniff');
    expect(headers['referrer-policy'], what).toBe('no-referrer');
    expect(headers['cross-origin-opener-policy'], what).toBe('same-origin');
    expect(headers['permissions-policy'], what).toBe(
      'microphone=(self), camera=(), geolocation=()',
    );
  };

  it('every response carries them: both apps, an asset, the API, errors and Socket.IO', async () => {
    const page = { accept: 'text/html' };
    const responses: [string, RawResponse, number][] = [
      ['PWA', await send(stack.url, '/', { headers: page }), 200],
      ['PWA deep link', await send(stack.url, '/chat/history', { headers: page }), 200],
      ['agent console', await send(stack.url, '/agent/', { headers: page }), 200],
      ['asset', await send(stack.url, '/assets/app-1a2b3c.js'), 200],
      ['agent asset', await send(stack.url, '/agent/assets/app-1a2b3c.js'), 200],
      ['health', await send(stack.url, '/healthz'), 200],
      ['login', await send(stack.url, '/api/auth/login', { method: 'POST' }), 400],
      ['unknown API', await send(stack.url, '/api/nothing'), 404],
      [
        'refused origin',
        await send(stack.url, '/healthz', { headers: { origin: 'https://evil.example' } }),
        403,
      ],
      ['Socket.IO polling', await send(stack.url, POLLING_HANDSHAKE), 200],
      [
        'refused Socket.IO polling',
        await send(stack.url, POLLING_HANDSHAKE, { headers: { origin: 'https://evil.example' } }),
        403,
      ],
    ];
    for (const [what, response, status] of responses) {
      expect(response.status, what).toBe(status);
      expectHardened(response.headers, what);
    }
    expect(responses[0]?.[1].body).toContain('pwa');
    expect(responses[2]?.[1].body).toContain('agent');
  });
});

describe('origins', () => {
  it('a listed origin and the server itself pass; anything not byte-equal is refused', async () => {
    const port = new URL(stack.url).port;
    const self = `http://127.0.0.1:${port}`;
    for (const origin of ['https://console.example', self]) {
      expect(await passesEverywhere(stack.url, { origin }), origin).toBe(true);
      expect((await loginStatus(stack.url, { origin })).allowOrigin).toBe(origin);
    }
    const refused = [
      'http://console.example',
      'https://console.example:8443',
      'https://console.example/',
      'https://console.example/app',
      'https://user@console.example',
      'ftp://console.example',
      `https://127.0.0.1:${port}`,
      `ftp://127.0.0.1:${port}`,
      `ws://127.0.0.1:${port}`,
      `http://user@127.0.0.1:${port}`,
      `http://127.0.0.1:${port}/agent/`,
      `http://127.0.0.1:${port}?x=1`,
      'http://127.0.0.1',
      'null',
    ];
    for (const origin of refused) {
      expect(await passesEverywhere(stack.url, { origin }), origin).toBe(false);
      expect((await loginStatus(stack.url, { origin })).allowOrigin, origin).toBeUndefined();
    }
  });

  it('a refused handshake answers 403 on both transports, with the documented body', async () => {
    const headers = { origin: 'https://evil.example' };
    const polling = await send(stack.url, POLLING_HANDSHAKE, { headers });
    const websocket = await upgrade(stack.url, headers);
    for (const response of [polling, websocket]) {
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body)).toEqual({ code: 4, message: 'origin not allowed' });
    }
  });

  it('the scheme of the server itself is the one the request came in on', async () => {
    const host = 'app.example';
    // Directly: plain http, whatever a client claims in X-Forwarded-Proto.
    const direct = { host, 'x-forwarded-proto': 'https' };
    expect(await passesEverywhere(stack.url, { ...direct, origin: `http://${host}` })).toBe(true);
    expect(await passesEverywhere(stack.url, { ...direct, origin: `https://${host}` })).toBe(false);
    // Behind a trusted proxy (TRUST_PROXY): the last X-Forwarded-Proto entry.
    const proxied = { host, 'x-forwarded-proto': 'http, https' };
    expect(await passesEverywhere(proxiedNode.url, { ...proxied, origin: `https://${host}` })).toBe(
      true,
    );
    expect(await passesEverywhere(proxiedNode.url, { ...proxied, origin: `http://${host}` })).toBe(
      false,
    );
  });
});

describe('host names (DNS rebinding)', () => {
  it('with PUBLIC_ORIGINS set, only its hosts and loopback names are answered', async () => {
    const port = new URL(publicNode.url).port;
    // A name the attacker controls, pointed at this server: the browser sends it as Host, and
    // the page's Origin is that name too, so only the Host check stops it.
    const rebound = { host: `rebind.example:${port}`, origin: `http://rebind.example:${port}` };
    expect(await passesEverywhere(publicNode.url, rebound)).toBe(false);
    expect(await passesEverywhere(publicNode.url, { host: 'rebind.example' })).toBe(false);
    expect(
      JSON.parse((await send(publicNode.url, POLLING_HANDSHAKE, { headers: rebound })).body),
    ).toEqual({ code: 4, message: 'host not allowed' });

    const published = { host: 'chat.example', origin: 'https://chat.example' };
    expect(await passesEverywhere(publicNode.url, published)).toBe(true);
    expect(await passesEverywhere(publicNode.url, { host: 'chat.example' })).toBe(true);
    for (const loopback of ['127.0.0.1', 'localhost', '[::1]']) {
      const host = `${loopback}:${port}`;
      expect(await passesEverywhere(publicNode.url, { host }), host).toBe(true);
      expect(await passesEverywhere(publicNode.url, { host, origin: `http://${host}` }), host).toBe(
        true,
      );
    }
    expect(await passesEverywhere(publicNode.url, { host: 'chat.example:8443' })).toBe(false);
    expect(await passesEverywhere(publicNode.url, { host: 'user@chat.example' })).toBe(false);
  });

  it('without PUBLIC_ORIGINS any host is answered, its pages only by their own origin', async () => {
    const host = 'intranet.example:8080';
    expect(await passesEverywhere(stack.url, { host })).toBe(true);
    expect(await passesEverywhere(stack.url, { host, origin: `http://${host}` })).toBe(true);
    for (const origin of ['http://intranet.example', `https://${host}`, `http://x@${host}`]) {
      expect(await passesEverywhere(stack.url, { host, origin }), origin).toBe(false);
    }
  });
});

describe('configuration of origins', () => {
  it('accepts exact origins, and null only among the allowed ones', () => {
    const config = configFrom({
      ALLOWED_ORIGINS: 'https://console.example, http://127.0.0.1:5173, null',
      PUBLIC_ORIGINS: 'https://chat.example,https://chat.example:8443/',
    });
    expect(config.allowedOrigins).toEqual([
      'https://console.example',
      'http://127.0.0.1:5173',
      'null',
    ]);
    expect(config.publicOrigins).toEqual(['https://chat.example', 'https://chat.example:8443/']);
  });

  it.each([
    ['ALLOWED_ORIGINS', 'not a url'],
    ['ALLOWED_ORIGINS', 'https://console.example/app'],
    ['ALLOWED_ORIGINS', 'https://user@console.example'],
    ['ALLOWED_ORIGINS', 'ftp://console.example'],
    ['ALLOWED_ORIGINS', 'https://console.example?x=1'],
    ['PUBLIC_ORIGINS', 'chat.example'],
    ['PUBLIC_ORIGINS', 'https://chat.example/chat'],
    ['PUBLIC_ORIGINS', 'null'],
    ['PUBLIC_ORIGINS', 'https://chat.example, wss://chat.example'],
  ])('%s=%s is refused with a clear message', (name, value) => {
    const problems = configProblems({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: .* is not an origin`));
  });
});
