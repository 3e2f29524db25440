import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * What the built clients may load, the union of the two: each page also carries its own,
 * stricter policy as a meta tag (pwa/vite.config.ts, desktop/src/main/contentSecurityPolicy.ts)
 * and a browser enforces both. The header adds what a meta tag cannot carry (`frame-ancestors`)
 * and covers every other response (JSON, icons, an SVG opened on its own). `connect-src 'self'`
 * includes the WebSocket to the same host and port (CSP Level 3); naming `ws:`/`wss:` here
 * would not help, since the meta tags allow only `'self'` too. No inline script or style: the
 * built pages have none. No `upgrade-insecure-requests`: `npm start` serves plain http.
 */
export const CONTENT_SECURITY_POLICY_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'media-src': ["'self'"],
  'manifest-src': ["'self'"],
  'worker-src': ["'self'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** Voice calls will need the microphone on this origin; nothing needs camera or location. */
export const PERMISSIONS_POLICY = 'microphone=(self), camera=(), geolocation=()';

// helmet (maintained, used across the Node ecosystem) rather than a hand-written list: it knows
// each header's syntax and which ones are obsolete (X-XSS-Protection: 0), and as plain
// (req, res, next) middleware it serves both fastify and engine.io, so every HTTP response the
// server sends (pages, assets, API, Socket.IO polling) carries the same headers.
const helmetHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY_DIRECTIVES },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  // HSTS belongs to whoever terminates TLS (the proxy), which knows the domain's subdomains.
  strictTransportSecurity: false,
});

/** Sets the security headers on a response; for fastify's `onRequest` and engine.io's `use`. */
export function setSecurityHeaders(
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
): void {
  response.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
  helmetHeaders(request, response, next);
}
