import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** What a child process serves over its IPC channel: named commands, one argument each. */
export type Api<T> = { [K in keyof T]: (arg: never) => Promise<unknown> };

interface CallMessage {
  callId: number;
  command: string;
  arg: unknown;
}

interface ReplyMessage {
  callId: number;
  result?: unknown;
  error?: string;
}

function isCall(message: unknown): message is CallMessage {
  return (
    typeof message === 'object' && message !== null && 'callId' in message && 'command' in message
  );
}

function isReply(message: unknown): message is ReplyMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    'callId' in message &&
    !('command' in message)
  );
}

/**
 * In the child: answers the parent's calls with `api`. With `keepAlive: false` the channel does
 * not keep the process alive (a server that lives for its own reasons).
 */
export function serve<T extends Api<T>>(api: T, options: { keepAlive: boolean }): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('this process has no IPC channel; start it from the bench runner');
  process.on('message', (message: unknown) => {
    if (!isCall(message)) return;
    const handler = (
      api as unknown as Record<string, ((arg: unknown) => Promise<unknown>) | undefined>
    )[message.command];
    const reply = (body: Omit<ReplyMessage, 'callId'>): void => {
      send({ callId: message.callId, ...body });
    };
    if (!handler) {
      reply({ error: `unknown command ${message.command}` });
      return;
    }
    handler(message.arg).then(
      (result) => {
        reply({ result });
      },
      (error: unknown) => {
        reply({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      },
    );
  });
  if (!options.keepAlive) process.channel?.unref();
}

export interface SpawnOptions {
  name: string;
  args: string[];
  env?: Record<string, string>;
  cwd: string;
  /** Print the child's output lines as they come (debugging). */
  echo?: boolean;
}

/** The parent's end of a child process that serves an Api over IPC. */
export class ChildProcessHandle<T extends Api<T>> {
  readonly output: string[] = [];
  private readonly lineListeners = new Set<(line: string) => void>();
  readonly exited: Promise<number | null>;
  private nextCallId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    echo = false,
  ) {
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.output.push(line);
        if (this.output.length > 2000) this.output.splice(0, 1000);
        if (echo) process.stderr.write(`[${name}] ${line}\n`);
        for (const listener of this.lineListeners) listener(line);
      });
    }
    child.on('message', (message: unknown) => {
      if (!isReply(message)) return;
      const call = this.pending.get(message.callId);
      if (!call) return;
      this.pending.delete(message.callId);
      if (message.error !== undefined) call.reject(new Error(`${name}: ${message.error}`));
      else call.resolve(message.result);
    });
    void this.exited.then((code) => {
      for (const call of this.pending.values()) {
        call.reject(
          new Error(`${name} exited (${String(code)}):\n${this.output.slice(-30).join('\n')}`),
        );
      }
      this.pending.clear();
    });
  }

  static spawn<T extends Api<T>>(options: SpawnOptions): ChildProcessHandle<T> {
    const child = spawn(process.execPath, options.args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    return new ChildProcessHandle<T>(options.name, child, options.echo);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  call<K extends keyof T & string>(
    command: K,
    arg: Parameters<T[K]>[0],
  ): Promise<Awaited<ReturnType<T[K]>>> {
    const callId = this.nextCallId++;
    return new Promise((resolve, reject) => {
      this.pending.set(callId, {
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.child.send({ callId, command, arg } satisfies CallMessage);
    });
  }

  /** Resolves with the first output line matching `pattern`; rejects if the child exits. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const existing = this.output.find((line) => pattern.test(line));
      if (existing !== undefined) {
        resolve(existing);
        return;
      }
      const timer = setTimeout(() => {
        reject(new Error(`${this.name}: no line ${String(pattern)} in ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (line: string): void => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        this.lineListeners.delete(listener);
        resolve(line);
      };
      this.lineListeners.add(listener);
      void this.exited.then((code) => {
        clearTimeout(timer);
        this.lineListeners.delete(listener);
        reject(
          new Error(`${this.name} exited (${String(code)}):\n${this.output.slice(-30).join('\n')}`),
        );
      });
    });
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
