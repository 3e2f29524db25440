import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY_HEADER } from './contentSecurityPolicy';

// The app's own pages (the settings screen) load from `app://local/agent/...`, a privileged
// standard scheme, rather than from file:// where every local file would share one origin.
export const APP_SCHEME = 'app';
const APP_HOST = 'local';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** Mirrors the server's `/agent/` so the renderer's built asset paths work under both. */
export const APP_PAGE_PREFIX = `${APP_ORIGIN}/agent/`;
export const SETTINGS_PAGE_URL = `${APP_PAGE_PREFIX}settings.html`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Whether a parsed URL is on the app scheme. Compared by scheme and host: Node's URL gives
 * non-special schemes the opaque origin "null", whatever Chromium calls them.
 */
export function isAppUrl(url: URL): boolean {
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
}

/** Must run before the app is ready. */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true } },
  ]);
}

/**
 * The file inside `rootDir` that an `app://local/agent/...` URL names, or null for anything
 * else: other hosts, other prefixes, and paths that climb out of `rootDir`.
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (!isAppUrl(url) || !url.pathname.startsWith('/agent/')) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname.slice('/agent/'.length));
  } catch {
    return null;
  }
  if (path === '' || path.endsWith('/')) path += 'index.html';
  const root = resolve(rootDir);
  const file = resolve(root, path);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || path.includes('\0')) {
    return null;
  }
  return file;
}

/** Serves the packaged renderer files on the app scheme, each with the strict CSP. */
export function serveAppScheme(protocol: Protocol, rootDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rootDir, request.url);
    if (file === null) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY_HEADER,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
