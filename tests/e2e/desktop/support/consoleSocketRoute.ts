import type { Page, WebSocketRoute } from 'playwright-core';

/**
 * Holds matching client -> server frames until `expected` of them are held, then lets them all
 * through together: two agents' clicks reach the server as one race, whatever the timing of
 * the clicks themselves. One use; later frames pass straight through.
 */
export class SimultaneousSend {
  private readonly held: (() => void)[] = [];
  private released = false;

  constructor(
    private readonly expected: number,
    private readonly pattern: RegExp,
  ) {}

  /** Takes `frame` if it matches (and returns true); `forward` sends it on later. */
  offer(frame: string, forward: () => void): boolean {
    if (this.released || !this.pattern.test(frame)) return false;
    this.held.push(forward);
    if (this.held.length === this.expected) {
      this.released = true;
      for (const send of this.held.splice(0)) send();
    }
    return true;
  }
}

interface OpenLink {
  page: WebSocketRoute;
  server: WebSocketRoute;
}

/**
 * The consoles' Socket.IO connections, passed through Playwright's WebSocket routing so a test
 * can cut them (as a network drop would) and hold events back (see `SimultaneousSend`).
 */
export class ConsoleSocketRoute {
  gate: SimultaneousSend | null = null;
  private readonly open = new Set<OpenLink>();
  private cutOff = false;

  /** Routes the page's Socket.IO traffic; call before the page loads. */
  async install(page: Page): Promise<void> {
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      this.route(ws);
    });
  }

  /** Drops every open connection and refuses new ones until `restore`. */
  async cut(): Promise<void> {
    this.cutOff = true;
    const links = [...this.open];
    this.open.clear();
    await Promise.all(
      links.map(async (link) => {
        await link.page.close({ code: 4000, reason: 'network cut by the test' });
        await link.server.close();
      }),
    );
  }

  restore(): void {
    this.cutOff = false;
  }

  private route(ws: WebSocketRoute): void {
    if (this.cutOff) {
      // Refused at once, as an unreachable server would be: connect, then close from the far end.
      void ws.connectToServer().close({ code: 4000, reason: 'network cut by the test' });
      return;
    }
    const server = ws.connectToServer();
    const link = { page: ws, server };
    this.open.add(link);
    ws.onMessage((message) => {
      const forward = (): void => {
        server.send(message);
      };
      const frame = typeof message === 'string' ? message : message.toString('utf8');
      if (this.gate?.offer(frame, forward) !== true) forward();
    });
    ws.onClose((code, reason) => {
      this.open.delete(link);
      void server.close({ code, reason });
    });
    server.onClose((code, reason) => {
      this.open.delete(link);
      void ws.close({ code, reason });
    });
  }
}
