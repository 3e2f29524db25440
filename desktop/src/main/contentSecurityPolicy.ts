/**
 * The console's Content-Security-Policy: only its own scripts, styles and images, and
 * connections to its own origin (the server, which includes its WebSocket). Sent as a header by
 * the desktop app and written into the built HTML as a meta tag for browsers; the meta tag
 * cannot carry `frame-ancestors`, the header can.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** The header form adds what a meta tag cannot express. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;
