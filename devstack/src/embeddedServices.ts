// Redis and MongoDB that the project runs itself, for `npm start` on a fresh
// machine and for the test setup, when no REDIS_URL / MONGODB_URL is given.
// Every child process started here is killed when this process ends.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  accessSync,
  constants as fsConstants,
  existsSync,
  readFileSync,
  readdirSync,
} from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, connect } from 'node:net';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { findRepoRoot as findRepoRootAbove } from '@callcenter/server/runtime';

export type StopSignal = 'SIGTERM' | 'SIGKILL';
export type AppendFsyncPolicy = 'always' | 'everysec' | 'no';
/** `ferretdb` keeps its data in SQLite; `ferretdb-postgresql` in a private PostgreSQL cluster. */
export type MongoKind = 'mongod' | 'ferretdb-postgresql' | 'ferretdb' | 'memory-server';
/** What stops a server gracefully: SIGTERM for most, SIGINT (fast shutdown) for PostgreSQL. */
type GracefulSignal = 'SIGTERM' | 'SIGINT';

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
  /**
   * false trades crash safety for speed where the backend allows it (PostgreSQL without
   * fsync): for tests, whose data is thrown away. Default true.
   */
  durable?: boolean;
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

/**
 * The checkout this dev stack runs from: the directory above it whose package.json declares
 * "workspaces" (found from this file, not from the server package, which may be linked in).
 */
export function findRepoRoot(startDir: string = dirname(fileURLToPath(import.meta.url))): string {
  return findRepoRootAbove(startDir);
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

// Each live child with the signal that stops it gracefully.
const liveChildren = new Map<ChildProcess, GracefulSignal>();
let cleanupHooksInstalled = false;

function terminateLiveChildren(): void {
  for (const [child, signal] of liveChildren) child.kill(signal);
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
    private readonly gracefulSignal: GracefulSignal = 'SIGTERM',
  ) {
    installCleanupHooks();
    liveChildren.set(child, gracefulSignal);
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

  /**
   * Sends the signal and resolves once the process is gone (escalating a stuck graceful stop).
   * SIGTERM means "stop gracefully": the child's own graceful signal is sent.
   */
  async stop(signal: StopSignal): Promise<void> {
    if (this.exitInfo) return;
    this.child.kill(signal === 'SIGTERM' ? this.gracefulSignal : signal);
    if (signal === 'SIGTERM') {
      const escalation = setTimeout(() => this.child.kill('SIGKILL'), gracefulStopTimeoutMs);
      await this.exited;
      clearTimeout(escalation);
    } else {
      await this.exited;
    }
  }
}

interface SpawnOptions {
  stdin?: 'ignore' | 'pipe';
  /** Graceful stop signal, also sent when we die; default SIGTERM. */
  gracefulSignal?: GracefulSignal;
  /** Run as this user (we are root and the server refuses to run as root). */
  user?: SystemUser;
}

function spawnServer(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): ManagedChild {
  const gracefulSignal = options.gracefulSignal ?? 'SIGTERM';
  const spawnOptions = {
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'] as ['ignore' | 'pipe', 'pipe', 'pipe'],
    ...(options.user === undefined
      ? {}
      : { uid: options.user.uid, gid: options.user.gid, cwd: '/' }),
  };
  // setpriv (util-linux) execs the server with a parent-death signal, so it stops even
  // when we are killed with SIGKILL and no exit hook runs; the pid stays the server's.
  const setpriv = process.platform === 'linux' ? findOnPath('setpriv') : undefined;
  const child =
    setpriv === undefined
      ? spawn(command, args, spawnOptions)
      : spawn(
          setpriv,
          ['--pdeathsig', gracefulSignal.slice('SIG'.length), '--', command, ...args],
          spawnOptions,
        );
  return new ManagedChild(name, child, gracefulSignal);
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
// TURN (coturn), for calls' media in tests

export interface TurnServerOptions {
  /** Its `static-auth-secret`: the product's `TURN_SECRET`. */
  secret: string;
  /** Where its database and pid file go (a private directory). */
  dataDir: string;
  /** A fixed port (e.g. to start it again where its clients look); a free one by default. */
  port?: number;
  startTimeoutMs?: number;
}

async function tcpPortAccepts(port: number): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const socket = connect({ host: loopbackHost, port });
    socket.once('connect', () => {
      socket.destroy();
      resolveProbe(true);
    });
    socket.once('error', () => {
      resolveProbe(false);
    });
  });
}

/**
 * A private coturn (Debian's `turnserver`) on loopback, checking credentials in the shared-secret
 * scheme the server issues them in. Relays between loopback peers, which a production TURN
 * server must not: it is for tests only.
 */
export class TurnServerProcess {
  private constructor(
    private readonly child: ManagedChild,
    readonly port: number,
  ) {}

  static async start(options: TurnServerOptions): Promise<TurnServerProcess> {
    const turnserver = findOnPath('turnserver');
    if (turnserver === undefined) {
      throw new Error(
        'turnserver was not found on PATH. Install it from Debian: apt-get install -y coturn',
      );
    }
    await mkdir(options.dataDir, { recursive: true });
    return launchOnPort(options.port, async (port) => {
      // Relay ports near the listening one, so that concurrent servers rarely share them.
      const minRelayPort = 40_000 + (port % 500) * 40;
      const child = spawnServer(`turnserver on port ${port}`, turnserver, [
        '-n',
        `--listening-ip=${loopbackHost}`,
        `--relay-ip=${loopbackHost}`,
        `--listening-port=${port}`,
        `--min-port=${minRelayPort}`,
        `--max-port=${minRelayPort + 39}`,
        '--use-auth-secret',
        `--static-auth-secret=${options.secret}`,
        '--realm=callcenter.test',
        '--fingerprint',
        '--no-cli',
        '--no-tls',
        '--no-dtls',
        '--allow-loopback-peers',
        '--log-file=stdout',
        '--simple-log',
        `--pidfile=${join(options.dataDir, 'turnserver.pid')}`,
        `--userdb=${join(options.dataDir, 'turndb')}`,
      ]);
      await waitUntilReady(
        child,
        /Total General servers/,
        () => tcpPortAccepts(port),
        options.startTimeoutMs ?? 30_000,
      );
      return new TurnServerProcess(child, port);
    });
  }

  /** Its TURN URLs, over UDP and TCP. */
  get urls(): string[] {
    const address = `${loopbackHost}:${this.port}`;
    return [`turn:${address}?transport=udp`, `turn:${address}?transport=tcp`];
  }

  async stop(): Promise<void> {
    await this.child.stop('SIGTERM');
  }
}

// ---------------------------------------------------------------------------
// PostgreSQL

export interface PostgresProcessOptions {
  /** The cluster's directory; initialised (initdb) on first start. */
  dataDir: string;
  /** false turns off fsync and full-page writes (tests); default true. */
  durable?: boolean;
  /** How long to wait for the server to accept connections; default 60 s. */
  startTimeoutMs?: number;
}

interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

// Any number: the socket lives in a private directory, so it cannot collide.
const postgresSocketPort = 5432;

/**
 * Directory holding PostgreSQL's server binaries (initdb, postgres): from PATH, else the newest
 * of Debian's /usr/lib/postgresql/<version>/bin. Undefined when PostgreSQL is not installed.
 */
export function findPostgresBinDir(): string | undefined {
  const hasServer = (dir: string): boolean =>
    ['initdb', 'postgres'].every((command) => {
      try {
        accessSync(join(dir, command), fsConstants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  const initdb = findOnPath('initdb');
  if (initdb !== undefined && hasServer(dirname(initdb))) return dirname(initdb);
  const debianRoot = '/usr/lib/postgresql';
  let versions: string[];
  try {
    versions = readdirSync(debianRoot);
  } catch {
    return undefined;
  }
  return versions
    .filter((version) => /^\d+$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(debianRoot, version, 'bin'))
    .find(hasServer);
}

/** The `postgres` system user (Debian's package creates it), from /etc/passwd. */
function postgresSystemUser(): SystemUser {
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    // handled below
  }
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === 'postgres' && uid !== undefined && gid !== undefined) {
      return { name, uid: Number(uid), gid: Number(gid) };
    }
  }
  throw new Error(
    'PostgreSQL refuses to run as root and there is no "postgres" system user to run it as ' +
      '(apt-get install -y postgresql creates one)',
  );
}

function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Lets `user` reach `dir` (root runs PostgreSQL as the postgres user): the directory itself is
 * handed to the user; a parent the user cannot search is made searchable (o+x, not readable)
 * when it lies in the temp directory (e.g. a mkdtemp of the tests), and is an error otherwise.
 */
async function makeReachableFor(user: SystemUser, dir: string): Promise<void> {
  await chown(dir, user.uid, user.gid);
  const temp = resolve(tmpdir());
  for (let parent = dirname(dir); ; parent = dirname(parent)) {
    const info = await stat(parent);
    const searchable =
      (info.mode & 0o001) !== 0 ||
      (info.gid === user.gid && (info.mode & 0o010) !== 0) ||
      (info.uid === user.uid && (info.mode & 0o100) !== 0);
    if (!searchable) {
      if (parent !== temp && parent.startsWith(temp + sep)) {
        await chmod(parent, (info.mode & 0o7777) | 0o001);
      } else {
        throw new Error(
          `PostgreSQL runs as the ${user.name} user, which cannot enter ${parent} ` +
            `(mode ${(info.mode & 0o777).toString(8)}); move the data directory or run as a normal user`,
        );
      }
    }
    if (dirname(parent) === parent) return;
  }
}

/** Runs a short-lived command to completion; rejects with its output on failure. */
async function runToCompletion(
  name: string,
  command: string,
  args: string[],
  user: SystemUser | undefined,
): Promise<void> {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(user === undefined ? {} : { uid: user.uid, gid: user.gid, cwd: '/' }),
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolveRun, reject) => {
    child.once('error', reject);
    child.once('close', resolveRun);
  });
  if (code !== 0) throw new Error(`${name} failed (exit code ${String(code)}):\n${output}`);
}

/**
 * A private PostgreSQL cluster: initialised in `dataDir` on first start, reachable only through
 * a Unix socket in a private temp directory (no TCP), with a `postgres` superuser trusted on that
 * socket. As root it runs as the `postgres` system user, which then owns `dataDir`.
 */
export class PostgresProcess {
  private child: ManagedChild | undefined;
  private socketDirPath: string | undefined;

  constructor(private readonly options: PostgresProcessOptions) {}

  static async start(options: PostgresProcessOptions): Promise<PostgresProcess> {
    const postgres = new PostgresProcess(options);
    await postgres.start();
    return postgres;
  }

  /** Directory of the server's Unix socket (while running). */
  get socketDir(): string {
    if (this.socketDirPath === undefined) throw new Error('PostgresProcess is not running');
    return this.socketDirPath;
  }

  /** Connection string of a database over the socket, as the superuser. */
  urlFor(database: string): string {
    const params = new URLSearchParams({ host: this.socketDir, port: String(postgresSocketPort) });
    return `postgres://postgres@/${encodeURIComponent(database)}?${params.toString()}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitInfo === undefined;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error('PostgreSQL is already running');
    const binDir = findPostgresBinDir();
    if (binDir === undefined) {
      throw new Error(
        "PostgreSQL's server binaries (initdb, postgres) were not found. Install Debian's package: apt-get install -y postgresql",
      );
    }
    const user = runningAsRoot() ? postgresSystemUser() : undefined;
    const dataDir = resolve(this.options.dataDir);
    await mkdir(dataDir, { recursive: true });
    if (user !== undefined) await makeReachableFor(user, dataDir);

    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      // C locale and UTF-8: what FerretDB accepts.
      await runToCompletion(
        'initdb',
        join(binDir, 'initdb'),
        [
          '-D',
          dataDir,
          '-U',
          'postgres',
          '--auth=trust',
          '--encoding=UTF8',
          '--locale=C',
          ...(this.options.durable === false ? ['--no-sync'] : []),
        ],
        user,
      );
    }

    const socketDir = await mkdtemp(join(tmpdir(), 'callcenter-pg-'));
    if (user !== undefined) await chown(socketDir, user.uid, user.gid);
    this.socketDirPath = socketDir;
    const args = [
      '-D',
      dataDir,
      '-k',
      socketDir,
      '-p',
      String(postgresSocketPort),
      '-c',
      'listen_addresses=',
      '-c',
      'unix_socket_permissions=0700',
      // FerretDB prepares statements with the field name as a parameter; only custom plans
      // can match them to expression indexes (see tools/ferretdb/ginindex.go).
      '-c',
      'plan_cache_mode=force_custom_plan',
      // A commit does not wait for its WAL flush (the WAL writer flushes every 200 ms): the
      // durability of MongoDB's default write concern (journal flushed every 100 ms) and of
      // Redis's AOF everysec. An OS crash may lose the last fraction of a second; nothing is
      // ever corrupted (fsync and full-page writes stay on). Waiting for each flush made every
      // store write cost a disk flush, and stalled bursts of writes for seconds.
      '-c',
      'synchronous_commit=off',
      // FerretDB's pool (tools/ferretdb/poolsize.go: 200) and a few for maintenance.
      '-c',
      'max_connections=250',
      ...(this.options.durable === false ? ['-c', 'fsync=off', '-c', 'full_page_writes=off'] : []),
    ];
    const child = spawnServer('postgres', join(binDir, 'postgres'), args, {
      gracefulSignal: 'SIGINT', // fast shutdown: SIGTERM would wait for clients to disconnect
      user,
    });
    this.child = child;
    const socketPath = join(socketDir, `.s.PGSQL.${String(postgresSocketPort)}`);
    try {
      await waitUntilReady(
        child,
        /database system is ready to accept connections/,
        () => socketAccepts(socketPath),
        this.options.startTimeoutMs ?? 60_000,
      );
    } catch (error) {
      await rm(socketDir, { recursive: true, force: true });
      this.socketDirPath = undefined;
      throw error;
    }
  }

  /** Stops the server (fast shutdown, or SIGKILL); resolves once it has exited. */
  async stop(signal: StopSignal = 'SIGTERM'): Promise<void> {
    await this.child?.stop(signal);
    if (this.socketDirPath !== undefined) {
      await rm(this.socketDirPath, { recursive: true, force: true });
      this.socketDirPath = undefined;
    }
  }
}

async function socketAccepts(path: string): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const socket = connect({ path });
    socket.once('connect', () => {
      socket.destroy();
      resolveProbe(true);
    });
    socket.once('error', () => {
      resolveProbe(false);
    });
  });
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
 * PATH, else the project's FerretDB tool (when Go or an already built tool is there) on a
 * private PostgreSQL cluster when PostgreSQL's binaries are installed, else on SQLite, else a
 * MongoDB downloaded by mongodb-memory-server.
 */
export async function startMongo(options: StartMongoOptions): Promise<MongoHandle> {
  const kind = options.kind ?? chooseMongoKind();
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  switch (kind) {
    case 'mongod':
      return startMongod(join(options.dataDir, 'mongod'), options.port, timeoutMs);
    case 'ferretdb-postgresql':
      try {
        return await startFerretDbOnPostgres(options, timeoutMs);
      } catch (error) {
        // Chosen by us, not asked for: SQLite still gives a working (if slower) store.
        if (options.kind !== undefined) throw error;
        notice(
          `FerretDB on PostgreSQL did not start (${firstLine(error)}); using FerretDB on SQLite, ` +
            'which scans whole collections for every lookup but by _id.',
        );
        return startFerretDb(join(options.dataDir, 'ferretdb'), options.port, timeoutMs);
      }
    case 'ferretdb':
      return startFerretDb(join(options.dataDir, 'ferretdb'), options.port, timeoutMs);
    case 'memory-server':
      return startMemoryServer(join(options.dataDir, 'memory-server'), options.port);
  }
}

/**
 * Which store FerretDB uses when nothing says (FERRETDB_HANDLER overrides it): `postgresql`, a
 * private cluster where equality filters are answered from indexes (tools/ferretdb/ginindex.go);
 * `sqlite` only where PostgreSQL is not installed, as it scans for every filter but on `_id`.
 */
const defaultFerretDbHandler: 'postgresql' | 'sqlite' = 'postgresql';

function chooseMongoKind(): MongoKind {
  if (findOnPath('mongod') !== undefined) return 'mongod';
  if (findOnPath('go') !== undefined || existsSync(ferretDbBinaryPath())) {
    const handler = process.env.FERRETDB_HANDLER ?? defaultFerretDbHandler;
    if (handler === 'sqlite') return 'ferretdb';
    if (findPostgresBinDir() !== undefined) return 'ferretdb-postgresql';
    notice(
      "PostgreSQL is not installed (no initdb/postgres), so FerretDB stores data in SQLite, which scans whole collections for every lookup but by _id; for indexed lookups install Debian's postgresql: apt-get install -y postgresql",
    );
    return 'ferretdb';
  }
  return 'memory-server';
}

function notice(line: string): void {
  process.stderr.write(`${line}\n`);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
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
    { stdin: 'pipe' },
  );
  const url = await waitForFerretDb(child, timeoutMs);
  return { url, kind: 'ferretdb', stop: () => child.stop('SIGTERM') };
}

async function waitForFerretDb(child: ManagedChild, timeoutMs: number): Promise<string> {
  const readyLine = await waitUntilReady(
    child,
    /^ready mongodb:\/\//,
    (line) => mongoAnswersPing(ferretDbUrl(line)),
    timeoutMs,
  );
  return ferretDbUrl(readyLine);
}

/** FerretDB on a private PostgreSQL cluster kept in `<dataDir>/postgres`. */
async function startFerretDbOnPostgres(
  options: StartMongoOptions,
  timeoutMs: number,
): Promise<MongoHandle> {
  const binary = await ensureFerretDbBuilt();
  const postgres = await PostgresProcess.start({
    dataDir: join(options.dataDir, 'postgres'),
    durable: options.durable ?? true,
    startTimeoutMs: timeoutMs,
  });
  try {
    const listen = `${loopbackHost}:${String(options.port ?? 0)}`;
    const child = spawnServer(
      'ferretdb (postgresql)',
      binary,
      [
        '-listen',
        listen,
        '-handler',
        'postgresql',
        '-postgresql-url',
        postgres.urlFor('ferretdb'),
        '-stop-on-stdin-close',
      ],
      { stdin: 'pipe' },
    );
    const url = await waitForFerretDb(child, timeoutMs);
    return {
      url,
      kind: 'ferretdb-postgresql',
      stop: async () => {
        await child.stop('SIGTERM');
        await postgres.stop();
      },
    };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
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
