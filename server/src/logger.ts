import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout. Tokens and passwords are redacted wherever they appear. */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'callcenter', ...bindings },
    redact: {
      paths: [
        'token',
        '*.token',
        'password',
        '*.password',
        'req.headers.authorization',
        'headers.authorization',
        'auth.token',
      ],
      censor: '[redacted]',
    },
  });
}
