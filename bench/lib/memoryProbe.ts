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
  /** CPU time used so far, user + system, in milliseconds (after the forced collections). */
  cpuMs: number;
  /**
   * The same, read when the sample was asked for: the end of a measured window, so the forced
   * collections (which cost more for a larger heap) are not counted in it.
   */
  cpuMsBeforeGc: number;
}

export interface ProbeApi {
  /** Memory after full garbage collections (`--expose-gc`), and CPU so far. */
  sample(arg: null): Promise<ProcessSample>;
}

const gc = (globalThis as { gc?: () => void }).gc;

const cpuMsNow = (): number => {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
};

async function sample(): Promise<ProcessSample> {
  const cpuMsBeforeGc = cpuMsNow();
  if (gc) {
    for (let i = 0; i < 3; i += 1) {
      gc();
      await nextTurn();
    }
  }
  const memory = process.memoryUsage();
  return {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    cpuMs: cpuMsNow(),
    cpuMsBeforeGc,
  };
}

if (process.send) serve<ProbeApi>({ sample }, { keepAlive: false });
