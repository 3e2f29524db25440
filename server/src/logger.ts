import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Where a secret may sit in what is logged: a login's or an admin command's fields, a request's
 * or a handshake's headers and auth. Each is logged as `[redacted]`.
 */
const REDACTED_PATHS = [
  'token',
  '*.token',
  'password',
  '*.password',
  'newPassword',
  '*.newPassword',
  'secret',
  '*.secret',
  'jwtSecret',
  '*.jwtSecret',
  'turnSecret',
  '*.turnSecret',
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'auth.token',
  'handshake.auth',
  'handshake.headers.authorization',
  'handshake.headers.cookie',
];

/**
 * Structured JSON logs on stdout (or `destination`). Tokens, passwords, secrets, Authorization
 * headers and cookies are redacted wherever they appear.
 */
export function createLogger(
  level: string,
  bindings: Record<string, unknown> = {},
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { service: 'callcenter', ...bindings },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
