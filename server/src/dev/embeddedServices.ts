// Redis and MongoDB that the project runs itself, for `npm start` on a fresh
// machine and for the test setup, when no REDIS_URL / MONGODB_URL is given.
// Every child process started here is killed when this process ends.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';

export type StopSignal = 'SIGTERM' | 'SIGKILL';
export type AppendFsyncPolicy = 'always' | 'everysec' | 'no';
export type MongoKind = 'mongod' | 'ferretdb' | 'memory-server';

export interface RedisProcessOptions {
  /** Directory for the append-only file; created if missing. */
  dataDir: string;
  /** Loopback port; a free one is chosen when omitted and then kept across restarts. */
  port?: number;
  /** `always` makes every acknowledged write survive SIGKILL (tests); default `everysec`. */
  appendfsync?: AppendFsyncPolicy;
  /** How long to wait for the server to answer PING; default 30 s. */
  startTimeoutMs?: number;
}

export interface StartMongoOptions {
  /** Parent directory; each backend keeps its data in its own subdirectory of it. */
  dataDir: string;
  /** Loopback port; a free one is chosen when omitted. */
  port?: number;
  /** Skip the PATH-based choice and use this backend (mainly to test the fallbacks). */
  kind?: MongoKind;
  /** How long to wait for the database to answer a ping; default 60 s. */
  startTimeoutMs?: number;
}

export interface MongoHandle {
  /** Connection string without a database name, e.g. `mongodb://127.0.0.1:PORT/`. */
  url: string;
  kind: MongoKind;
  stop(): Promise<void>;
}

const loopbackHost = '127.0.0.1';
// A stopped server gets this long after SIGTERM before it is killed outright.
const gracefulStopTimeoutMs = 15_000;
const maxPortAttempts = 5;

/** Directory holding the root package.json (the one declaring "workspaces"). */
export function findRepoRoot(startDir: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(startDir);
  for (;;) {
    const manifestPath = join(dir, 'package.json');
    if (existsSync(manifestPath) && manifestDeclaresWorkspaces(manifestPath)) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`No package.json with "workspaces" found above ${startDir}`);
    }
    dir = parent;
  }
}

function manifestDeclaresWorkspaces(manifestPath: string): boolean {
  try {
    const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
    return typeof manifest === 'object' && manifest !== null && 'workspaces' in manifest;
  } catch {
    return false;
  }
}

/** Absolute path of an executable found on PATH, or undefined. */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * A loopback port that was free a moment ago. Another process may take it before
 * ours binds it, so callers retry on "address in use".
 */
export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, loopbackHost, () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('Could not determine a free port'));
      });
    });
  });
}

// ---------------------------------------------------------------------------
// Child process bookkeeping

const liveChildren = new Set<ChildProcess>();
let cleanupHooksInstalled = false;

function terminateLiveChildren(): void {
  for (const child of liveChildren) child.kill('SIGTERM');
}

// Children are not detached, so nothing outlives us through a new session; these
// hooks cover normal exits and termination signals that nobody else handles.
function installCleanupHooks(): void {
  if (cleanupHooksInstalled) return;
  cleanupHooksInstalled = true;
  process.on('exit', terminateLiveChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // Another listener owns shutdown; the 'exit' hook still cleans up after it.
      if (process.listenerCount(signal) > 1) return;
      terminateLiveChildren();
      process.off(signal, onSignal);
      // Re-raise so the process ends with the default behaviour for this signal.
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A spawned server: remembers its last output lines and when it exited. */
class ManagedChild {
  readonly exited: Promise<ExitInfo>;
  exitInfo: ExitInfo | undefined;
  private readonly recentLines: string[] = [];
  private readonly lineListeners = new Set<(line: string) => void>();

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    installCleanupHooks();
    liveChildren.add(child);
    this.exited = new Promise((resolveExit) => {
      const onGone = (info: ExitInfo): void => {
        liveChildren.delete(child);
        this.exitInfo ??= info;
        resolveExit(this.exitInfo);
      };
      // 'close' rather than 'exit': by then the output pipes are drained too.
      child.once('close', (code, signal) => {
        onGone({ code, signal });
      });
      // Spawn failures (e.g. ENOENT) emit 'error' and never 'exit'.
      child.once('error', (error) => {
        this.remember(`spawn error: ${error.message}`);
        onGone({ code: null, signal: null });
      });
    });
    // Always drain the pipes, or a chatty child blocks once the pipe buffer fills.
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.remember(line);
      });
    }
  }

  private remember(line: string): void {
    this.recentLines.push(line);
    if (this.recentLines.length > 40) this.recentLines.shift();
    for (const listener of this.lineListeners) listener(line);
  }

  onLine(listener: (line: string) => void): void {
    this.lineListeners.add(listener);
  }

  get output(): string {
    return this.recentLines.join('\n');
  }

  describeExit(): string {
    const info = this.exitInfo;
    const how = info?.signal ? `signal ${info.signal}` : `code ${String(info?.code)}`;
    return `exited with ${how}. Last output:\n${this.output}`;
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) the process, if it is still running. */
  freeze(frozen: boolean): void {
    if (!this.exitInfo) this.child.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  /** Sends the signal and resolves once the process is gone (escalating a stuck SIGTERM). */
  async stop(signal: StopSignal): Promise<void> {
    if (this.exitInfo) return;
    this.child.kill(signal);
    if (signal === 'SIGTERM') {
      const escalation = setTimeout(() => this.child.kill('SIGKILL'), gracefulStopTimeoutMs);
      await this.exited;
      clearTimeout(escalation);
    } else {
      await this.exited;
    }
  }
}

function spawnServer(
  name: string,
  command: string,
  args: string[],
  stdin: 'ignore' | 'pipe' = 'ignore',
): ManagedChild {
  // setpriv (util-linux) execs the server with a parent-death signal, so it stops even
  // when we are killed with SIGKILL and no exit hook runs; the pid stays the server's.
  const setpriv = process.platform === 'linux' ? findOnPath('setpriv') : undefined;
  const child =
    setpriv === undefined
      ? spawn(command, args, { stdio: [stdin, 'pipe', 'pipe'] })
      : spawn(setpriv, ['--pdeathsig', 'TERM', '--', command, ...args], {
          stdio: [stdin, 'pipe', 'pipe'],
        });
  return new ManagedChild(name, child);
}

class PortInUseError extends Error {}

function looksLikePortInUse(output: string): boolean {
  return /address already in use|EADDRINUSE/i.test(output);
}

function startFailure(child: ManagedChild): Error {
  const message = `${child.name} did not start: it ${child.describeExit()}`;
  return looksLikePortInUse(child.output) ? new PortInUseError(message) : new Error(message);
}

/**
 * Waits for the child to log `readyLine` (proof that the server answering on the port is
 * this child, not another process already there), then polls `probe` with a short
 * backoff until it succeeds. Kills the child on failure. Returns the ready line.
 */
async function waitUntilReady(
  child: ManagedChild,
  readyLine: RegExp,
  probe: (line: string) => Promise<boolean>,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  try {
    const line = await waitForLine(child, readyLine, deadline);
    await pollUntil(child, () => probe(line), deadline);
    return line;
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }
}

async function waitForLine(
  child: ManagedChild,
  pattern: RegExp,
  deadline: number,
): Promise<string> {
  return new Promise((resolveLine, reject) => {
    const timer = setTimeout(() => {
      reject(
        new Error(`${child.name} did not report ready in time. Last output:\n${child.output}`),
      );
    }, deadline - Date.now());
    child.onLine((line) => {
      if (!pattern.test(line)) return;
      clearTimeout(timer);
      resolveLine(line);
    });
    void child.exited.then(() => {
      clearTimeout(timer);
      reject(startFailure(child));
    });
  });
}

async function pollUntil(
  child: ManagedChild,
  probe: () => Promise<boolean>,
  deadline: number,
): Promise<void> {
  let delayMs = 20;
  for (;;) {
    if (child.exitInfo) throw startFailure(child);
    if (await probe()) return;
    if (Date.now() > deadline) {
      throw new Error(`${child.name} did not answer in time. Last output:\n${child.output}`);
    }
    await Promise.race([delay(delayMs), child.exited]);
    delayMs = Math.min(delayMs * 2, 500);
  }
}

async function delay(ms: number): Promise<void> {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, ms));
}

/** Runs `launch` on the given port, or on fresh free ports while the chosen one turns out taken. */
async function launchOnPort<T>(
  fixedPort: number | undefined,
  launch: (port: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await findFreePort());
    try {
      return await launch(port);
    } catch (error) {
      if (error instanceof PortInUseError && fixedPort === undefined && attempt < maxPortAttempts)
        continue;
      throw error;
    }
  }
}

// ---------------------------------------------------------------------------
// Redis

/** Answers whether a Redis server on the port replies +PONG (not -LOADING) to PING. */
async function redisAnswersPing(port: number): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = connect({ host: loopbackHost, port });
    let reply = '';
    const finish = (answered: boolean): void => {
      socket.destroy();
      resolvePing(answered);
    };
    socket.setTimeout(1_000, () => {
      finish(false);
    });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
    socket.once('error', () => {
      finish(false);
    });
    socket.once('close', () => {
      finish(false);
    });
  });
}

/**
 * A private `redis-server` with an append-only file in `dataDir`. It can be stopped
 * (gracefully or with SIGKILL) and started again on the same port and data.
 */
export class RedisProcess {
  private child: ManagedChild | undefined;
  private chosenPort: number | undefined;

  constructor(private readonly options: RedisProcessOptions) {
    this.chosenPort = options.port;
  }

  /** Creates and starts a server in one step. */
  static async start(options: RedisProcessOptions): Promise<RedisProcess> {
    const redis = new RedisProcess(options);
    await redis.start();
    return redis;
  }

  get port(): number {
    if (this.chosenPort === undefined) throw new Error('RedisProcess has not been started yet');
    return this.chosenPort;
  }

  get url(): string {
    return `redis://${loopbackHost}:${this.port}`;
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitInfo === undefined;
  }

  /** Starts the server (again) and resolves once it answers PING. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`Redis is already running at ${this.url}`);
    const redisServer = findOnPath('redis-server');
    if (redisServer === undefined) {
      throw new Error(
        'redis-server was not found on PATH. Install it from Debian: apt-get install -y redis-server',
      );
    }
    await mkdir(this.options.dataDir, { recursive: true });
    this.chosenPort = await launchOnPort(this.chosenPort, async (port) => {
      const child = spawnServer(`redis-server on port ${port}`, redisServer, this.serverArgs(port));
      this.child = child;
      await waitUntilReady(
        child,
        /Ready to accept connections/,
        () => redisAnswersPing(port),
        this.options.startTimeoutMs ?? 30_000,
      );
      return port;
    });
  }

  /** Stops the server; resolves once the process has exited. */
  async stop(signal: StopSignal = 'SIGTERM'): Promise<void> {
    this.child?.freeze(false);
    await this.child?.stop(signal);
  }

  /**
   * Freezes the server (SIGSTOP): connections stay open and nothing answers, as when Redis is
   * stuck or the network silently drops packets. `resume` thaws it.
   */
  pause(): void {
    this.child?.freeze(true);
  }

  resume(): void {
    this.child?.freeze(false);
  }

  private serverArgs(port: number): string[] {
    return [
      '--port',
      String(port),
      '--bind',
      loopbackHost,
      '--dir',
      resolve(this.options.dataDir),
      '--appendonly',
      'yes',
      '--appendfsync',
      this.options.appendfsync ?? 'everysec',
      // No RDB snapshots: the AOF alone is the durable copy.
      '--save',
      '',
      '--daemonize',
      'no',
    ];
  }
}

// ---------------------------------------------------------------------------
// MongoDB

async function mongoAnswersPing(url: string): Promise<boolean> {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: 1_000,
    connectTimeoutMS: 1_000,
    directConnection: true,
  });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close();
  }
}

/**
 * Starts a MongoDB-compatible database with its data under `dataDir`: `mongod` from
 * PATH, else the project's FerretDB tool when Go (or an already built tool) is
 * there, else a MongoDB downloaded by mongodb-memory-server.
 */
export async function startMongo(options: StartMongoOptions): Promise<MongoHandle> {
  const kind = options.kind ?? chooseMongoKind();
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  switch (kind) {
    case 'mongod':
      return startMongod(join(options.dataDir, 'mongod'), options.port, timeoutMs);
    case 'ferretdb':
      return startFerretDb(join(options.dataDir, 'ferretdb'), options.port, timeoutMs);
    case 'memory-server':
      return startMemoryServer(join(options.dataDir, 'memory-server'), options.port);
  }
}

function chooseMongoKind(): MongoKind {
  if (findOnPath('mongod') !== undefined) return 'mongod';
  if (findOnPath('go') !== undefined || existsSync(ferretDbBinaryPath())) return 'ferretdb';
  return 'memory-server';
}

async function startMongod(
  dbPath: string,
  fixedPort: number | undefined,
  timeoutMs: number,
): Promise<MongoHandle> {
  const mongod = findOnPath('mongod');
  if (mongod === undefined) throw new Error('mongod was not found on PATH');
  await mkdir(dbPath, { recursive: true });
  return launchOnPort(fixedPort, async (port) => {
    const child = spawnServer(`mongod on port ${port}`, mongod, [
      '--dbpath',
      dbPath,
      '--port',
      String(port),
      '--bind_ip',
      loopbackHost,
    ]);
    const url = `mongodb://${loopbackHost}:${port}/`;
    await waitUntilReady(child, /waiting for connections/i, () => mongoAnswersPing(url), timeoutMs);
    return { url, kind: 'mongod', stop: () => child.stop('SIGTERM') };
  });
}

function ferretDbToolDir(): string {
  return join(findRepoRoot(), 'tools', 'ferretdb');
}

function ferretDbBinaryPath(): string {
  return join(ferretDbToolDir(), 'ferretdb');
}

/**
 * Builds tools/ferretdb if it is missing or older than its sources (build.sh decides),
 * with the build's progress on our stderr. Returns the binary's path.
 */
export async function ensureFerretDbBuilt(): Promise<string> {
  const buildScript = join(ferretDbToolDir(), 'build.sh');
  const goAvailable = findOnPath('go') !== undefined;
  if (!goAvailable) {
    // Without Go a prebuilt binary is still usable; build.sh would only fail.
    if (existsSync(ferretDbBinaryPath())) return ferretDbBinaryPath();
    throw new Error('The FerretDB tool is not built and Go is not on PATH to build it');
  }
  const build = spawn('bash', [buildScript], { stdio: ['ignore', process.stderr, process.stderr] });
  const exitCode = await new Promise<number | null>((resolveBuild, reject) => {
    build.once('error', reject);
    build.once('exit', resolveBuild);
  });
  if (exitCode !== 0)
    throw new Error(
      `Building the FerretDB tool failed (${buildScript} exited with ${String(exitCode)})`,
    );
  return ferretDbBinaryPath();
}

async function startFerretDb(
  dataDir: string,
  fixedPort: number | undefined,
  timeoutMs: number,
): Promise<MongoHandle> {
  const binary = await ensureFerretDbBuilt();
  await mkdir(dataDir, { recursive: true });
  // Port 0 lets the tool bind a free port itself and report it: no race with other processes.
  const listen = `${loopbackHost}:${String(fixedPort ?? 0)}`;
  // The tool exits when our end of its stdin closes, so it dies with us even on SIGKILL.
  const child = spawnServer(
    'ferretdb',
    binary,
    ['-listen', listen, '-data-dir', dataDir, '-stop-on-stdin-close'],
    'pipe',
  );
  const readyLine = await waitUntilReady(
    child,
    /^ready mongodb:\/\//,
    (line) => mongoAnswersPing(ferretDbUrl(line)),
    timeoutMs,
  );
  const url = ferretDbUrl(readyLine);
  return { url, kind: 'ferretdb', stop: () => child.stop('SIGTERM') };
}

function ferretDbUrl(readyLine: string): string {
  return readyLine.slice('ready '.length).trim();
}

async function startMemoryServer(dbPath: string, port: number | undefined): Promise<MongoHandle> {
  await mkdir(dbPath, { recursive: true });
  // Loaded lazily: it is only the last fallback and pulls in download machinery.
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  let server: InstanceType<typeof MongoMemoryServer>;
  try {
    server = await MongoMemoryServer.create({
      instance: {
        dbPath,
        storageEngine: 'wiredTiger',
        ip: loopbackHost,
        ...(port === undefined ? {} : { port }),
      },
    });
  } catch (error) {
    throw new Error(
      'mongodb-memory-server could not start MongoDB (it downloads mongod on first use). ' +
        'Put mongod or Go (for the FerretDB tool) on PATH, or set MONGODB_URL.',
      { cause: error },
    );
  }
  return {
    url: server.getUri(),
    kind: 'memory-server',
    stop: async () => {
      // Keep the data: dbPath belongs to the caller, not to a temp dir of the library.
      await server.stop({ doCleanup: false });
    },
  };
}
