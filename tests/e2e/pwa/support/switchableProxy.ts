import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the server that can make it really unreachable, for the browser page
 * and its service worker alike: `cut()` resets every open connection and every new one until
 * `restore()`. Chromium's emulated offline mode alone has not always stopped a service worker's
 * own fetches (DESIGN.md section 4), so offline tests go through this.
 */
export class SwitchableProxy {
  private readonly open = new Set<Socket>();
  private reachable = true;
  private repliesMuted = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(targetUrl: string): Promise<SwitchableProxy> {
    const target = new URL(targetUrl);
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const proxy = new SwitchableProxy(server, `http://127.0.0.1:${port}`);
    server.on('connection', (client: Socket) => {
      proxy.accept(client, target);
    });
    return proxy;
  }

  get isReachable(): boolean {
    return this.reachable;
  }

  /** The server becomes unreachable: open connections reset, new ones refused. */
  cut(): void {
    this.reachable = false;
    for (const socket of this.open) socket.resetAndDestroy();
    this.open.clear();
  }

  /** Undoes `cut()` and `muteReplies()`. */
  restore(): void {
    this.reachable = true;
    this.repliesMuted = false;
  }

  /**
   * Requests still reach the server but its answers are dropped (acks lost on the way back).
   * Only `cut()` ends this cleanly: a connection that lost bytes must not be used again.
   */
  muteReplies(): void {
    this.repliesMuted = true;
  }

  async close(): Promise<void> {
    this.cut();
    this.server.close();
    await once(this.server, 'close');
  }

  private accept(client: Socket, target: URL): void {
    if (!this.reachable) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.open.add(socket);
      socket.on('error', () => {
        other.destroy();
      });
      socket.on('close', () => {
        this.open.delete(socket);
        other.destroy();
      });
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (!this.repliesMuted) client.write(chunk);
    });
  }
}
