import type { IncomingMessage } from 'node:http';

/**
 * The serialized origin (`scheme://host[:port]`, as a browser sends it in `Origin`) of a
 * configured value, or undefined when the value is not exactly an http(s) origin: a user, a
 * path, a query or a fragment make it something else, which would never match a browser's
 * header and only hide a typo. A trailing `/` is tolerated.
 */
export function exactOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const exact =
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    /^https?:\/\/[^/?#\\\s]+\/?$/i.test(value);
  return exact ? url.origin : undefined;
}

// A Host header is a host name or bracketed IPv6 address and an optional port, nothing else.
const HOST_HEADER = /^(?:\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::\d{1,5})?$/i;
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `host[:port]` as a URL serializes it (lower case, no default port), or undefined. */
function normalizedHost(scheme: string, host: string | undefined): URL | undefined {
  if (host === undefined || !HOST_HEADER.test(host)) return undefined;
  try {
    return new URL(`${scheme === 'https' ? 'https' : 'http'}://${host}`);
  } catch {
    return undefined;
  }
}

/** What of a request the policy looks at. */
export interface RequestOrigin {
  /** The `Origin` header; absent for native clients and same-origin GETs. */
  origin: string | undefined;
  /** The `Host` header. */
  host: string | undefined;
  /** The scheme the request arrived on at the edge: `http` or `https`. */
  scheme: string;
}

export interface OriginPolicyOptions {
  /** Other origins whose pages may use this server (`ALLOWED_ORIGINS`). */
  allowedOrigins: string[];
  /** The origins this server is reached at (`PUBLIC_ORIGINS`); empty: whatever Host is sent. */
  publicOrigins: string[];
  /** Behind a trusted proxy the scheme is the last `X-Forwarded-Proto` entry, as fastify reads it. */
  trustProxy: boolean;
}

/**
 * Which requests this server answers, for HTTP and the Socket.IO handshake alike.
 *
 * The Host must be one the server is reached at: a public origin's host or a loopback name (so
 * `npm start` and tests need no configuration); with no public origins configured, any. A name
 * an attacker controls and points at this server (DNS rebinding) is then refused, since the
 * browser sends that name as the Host.
 *
 * A request without an Origin (native clients, the desktop app's main process) passes. A
 * browser's Origin must be, byte for byte, a listed or public origin, or the server itself
 * (`scheme://Host`, the scheme the request arrived on): a different scheme or port, a user, a
 * path, or `null` (sandboxed frames, local files) is refused unless listed.
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;
  private readonly publicHosts: Set<string>;

  constructor(private readonly options: OriginPolicyOptions) {
    const publicOrigins = options.publicOrigins.map((value) => {
      const origin = exactOrigin(value);
      if (origin === undefined) throw new Error(`not an origin: ${value}`);
      return origin;
    });
    this.publicHosts = new Set(publicOrigins.map((origin) => new URL(origin).host));
    this.allowed = new Set([
      ...publicOrigins,
      ...options.allowedOrigins.map((value) => {
        const origin = value === 'null' ? value : exactOrigin(value);
        if (origin === undefined) throw new Error(`not an origin: ${value}`);
        return origin;
      }),
    ]);
  }

  /** The scheme of a raw request at the edge; the same answer as fastify's `request.protocol`. */
  schemeOf(request: IncomingMessage): string {
    const forwarded = request.headers['x-forwarded-proto'];
    if (this.options.trustProxy && typeof forwarded === 'string' && forwarded !== '') {
      return (forwarded.split(',').at(-1) ?? '').trim().toLowerCase();
    }
    return 'encrypted' in request.socket && request.socket.encrypted === true ? 'https' : 'http';
  }

  /** Why a raw HTTP request or WebSocket upgrade is refused, or undefined when it may pass. */
  refusalOf(request: IncomingMessage): 'host not allowed' | 'origin not allowed' | undefined {
    return this.refusal({
      origin: request.headers.origin,
      host: request.headers.host,
      scheme: this.schemeOf(request),
    });
  }

  /** The same, for a request already taken apart. */
  refusal(request: RequestOrigin): 'host not allowed' | 'origin not allowed' | undefined {
    const host = normalizedHost(request.scheme, request.host);
    if (this.publicHosts.size > 0) {
      const known =
        host !== undefined &&
        (this.publicHosts.has(host.host) || LOOPBACK_HOSTNAMES.has(host.hostname));
      if (!known) return 'host not allowed';
    }
    if (request.origin === undefined || this.allowed.has(request.origin)) return undefined;
    const self =
      host !== undefined &&
      (request.scheme === 'http' || request.scheme === 'https') &&
      request.origin === host.origin;
    return self ? undefined : 'origin not allowed';
  }
}
