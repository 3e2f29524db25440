/**
 * Origin allowlist. Requests without an Origin (native clients, the desktop app's main
 * process, server-to-server) pass; a browser's Origin must be listed or be this server itself.
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(allowedOrigins: string[]) {
    this.allowed = new Set(allowedOrigins.map((origin) => new URL(origin).origin));
  }

  allows(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true;
    if (this.allowed.has(origin)) return true;
    try {
      return host !== undefined && new URL(origin).host === host;
    } catch {
      return false;
    }
  }
}
