// Loaded with `--import` into the server processes under test (product and baseline): answers
// the bench runner's questions about this process's memory and CPU over the IPC channel.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { serve } from './ipc';

export interface ProcessSample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** CPU time used so far, user + system, in milliseconds. */
  cpuMs: number;
}

export interface ProbeApi {
  /** Memory after full garbage collections (`--expose-gc`), and CPU so far. */
  sample(arg: null): Promise<ProcessSample>;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function sample(): Promise<ProcessSample> {
  if (gc) {
    for (let i = 0; i < 3; i += 1) {
      gc();
      await nextTurn();
    }
  }
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

if (process.send) serve<ProbeApi>({ sample }, { keepAlive: false });
