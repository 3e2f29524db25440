// A product node the history scenario can restart on the same stores. startProduct
// (lib/stack.ts) flushes Redis and draws a new JWT secret and port on every start, so the
// clients of a restarted node would hold tokens it refuses; this runs the same server, with
// startProduct's settings, and restarts it with the same secret, port and live state.
import { randomBytes } from 'node:crypto';
import { ChildProcessHandle } from './lib/ipc';
import type { ProbeApi } from './lib/memoryProbe';
import {
  probeArgs,
  productEnv,
  productScript,
  repoRoot,
  type ServerEntry,
  type Stores,
} from './lib/stack';

export class HistoryNode {
  private handle: ChildProcessHandle<ProbeApi> | null = null;
  private readonly jwtSecret = randomBytes(32).toString('hex');
  /** 0 until the first start: any free port; every restart then takes the same one. */
  private port = 0;
  private starts = 0;

  private constructor(
    private readonly stores: Stores,
    private readonly entry: ServerEntry,
    private readonly db: string,
  ) {}

  /** Flushes Redis (fresh live state, as startProduct gives) and starts the node on `db`. */
  static async start(stores: Stores, entry: ServerEntry, db: string): Promise<HistoryNode> {
    await stores.redis.flushall();
    const node = new HistoryNode(stores, entry, db);
    await node.start();
    return node;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the node again (after `stop`): resolves once it listens. */
  async start(): Promise<void> {
    if (this.handle) throw new Error('history node: already running');
    this.starts += 1;
    const handle = ChildProcessHandle.spawn<ProbeApi>({
      name: `history-node-${this.starts}`,
      args: [...probeArgs, productScript(this.entry)],
      env: {
        ...productEnv(this.stores, this.db, this.jwtSecret),
        PORT: String(this.port),
        NODE_ID: `history-${this.starts}`,
        LOG_LEVEL: 'info',
      },
      cwd: repoRoot,
      echo: process.env.BENCH_ECHO === '1',
    });
    try {
      const line = await handle.waitForLine(/"server listening"/, 120_000);
      this.port = (JSON.parse(line) as { port: number }).port;
      this.handle = handle;
    } catch (error) {
      await handle.stop('SIGKILL', 1_000);
      throw error;
    }
  }

  /** The node's latest output line matching `pattern`, if any. */
  logged(pattern: RegExp): string | undefined {
    return this.handle?.output.findLast((line) => pattern.test(line));
  }

  /** SIGTERM: the node closes its sockets and leaves presence, as in a rolling restart. */
  async stop(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.stop('SIGTERM', 15_000);
  }
}
