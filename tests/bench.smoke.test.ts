// The benchmark harness at tiny sizes: `npm run bench -- --smoke` runs every scenario against
// the real server and the bare Socket.IO baseline, and writes every metric. No figure is
// asserted: this machine's speed is not what the test is about.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { findRepoRoot } from '@callcenter/devstack/embedded';

let outDir: string | undefined;

afterAll(async () => {
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
});

interface Summary {
  count: number;
  p50: number;
  p99: number;
}

interface CallFigures {
  setup: Summary;
  relay: Summary;
  messagesPerCall: { min: number; max: number; expected: number };
}

function expectLatency(summary: Summary | undefined): void {
  expect(summary?.count).toBeGreaterThan(0);
  expect(Number.isFinite(summary?.p50)).toBe(true);
  expect(Number.isFinite(summary?.p99)).toBe(true);
}

it('the bench harness runs every scenario and reports every metric', async () => {
  outDir = await mkdtemp(join(tmpdir(), 'callcenter-bench-smoke-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/run.ts', '--smoke', '--server=source', `--out-dir=${outDir}`],
    {
      cwd: findRepoRoot(),
      env: { ...process.env, MONGODB_URL: inject('mongodbUrl') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code, output).toBe(0);
  expect(output).toContain('Product vs bare Socket.IO baseline');

  const results = JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')) as {
    [key: string]: unknown;
    store_raw: {
      reads: { latency: Summary };
      sequential: { latency: Summary };
      concurrent: { latency: Summary };
    };
    baseline: Record<'messaging' | 'crowd', Record<string, unknown> | null>;
    product: Record<'messaging' | 'crowd', Record<string, unknown> | null>;
    cluster2: { messaging: { throughput: { steps: unknown[] } } | null };
    history: { levels: Record<string, Summary | number>[] } | null;
    calls: Record<'baseline' | 'product', CallFigures | null> | null;
    targets: { id: string; met: boolean | null }[];
  };
  expect(results.date).toBeTypeOf('string');
  expect(results.loadAverage).toBeDefined();
  expectLatency(results.store_raw.sequential.latency);
  expectLatency(results.store_raw.concurrent.latency);
  expectLatency(results.store_raw.reads.latency);
  for (const side of [results.baseline, results.product]) {
    const messaging = side.messaging as {
      delivery: { latency: Summary };
      throughput: { ceiling: number; steps: unknown[] };
    };
    expectLatency(messaging.delivery.latency);
    expect(messaging.throughput.steps.length).toBeGreaterThan(0);
    expect(messaging.throughput.ceiling).toBeTypeOf('number');
    const crowd = side.crowd as {
      memory: { rssPerConnectionBytes: number; heapPerConnectionBytes: number };
      race: { latency: Summary; takes: number; duplicates: number; losses: number };
      churn: { cyclesPerSecond: number };
    };
    expect(crowd.memory.rssPerConnectionBytes).toBeTypeOf('number');
    expect(crowd.memory.heapPerConnectionBytes).toBeTypeOf('number');
    expectLatency(crowd.race.latency);
    expect(crowd.race.takes).toBeGreaterThan(0);
    expect(crowd.race.duplicates).toBeTypeOf('number');
    expect(crowd.race.losses).toBeTypeOf('number');
    expect(crowd.churn.cyclesPerSecond).toBeTypeOf('number');
  }
  expect((results.product.crowd as { churnProductionHash: unknown }).churnProductionHash).not.toBe(
    null,
  );
  expect(results.cluster2.messaging?.throughput.steps.length).toBeGreaterThan(0);
  const [history] = results.history?.levels ?? [];
  expect(history).toBeDefined();
  for (const figure of ['agentFirstSync', 'agentReplay50', 'customerFirstSync', 'customerReplay']) {
    expectLatency(history?.[figure] as Summary);
  }
  // The new scenario parts report their figures too.
  expectLatency(history?.agentInbox as Summary);
  const storm = history?.storm as unknown as { synced: number; customers: number; agents: number };
  expect(storm.synced).toBe(storm.customers + storm.agents);
  // Voice calls, on both servers: every call set up, and its messages counted exactly.
  for (const figures of [results.calls?.baseline, results.calls?.product]) {
    expectLatency(figures?.setup);
    expectLatency(figures?.relay);
    expect(figures?.messagesPerCall.min).toBe(figures?.messagesPerCall.expected);
    expect(figures?.messagesPerCall.max).toBe(figures?.messagesPerCall.expected);
  }
  expect(results.targets.find((check) => check.id === 'call-signalling')?.met).toBe(true);
  // Six for the servers, three for the history scale, two for the calls.
  expect(results.targets).toHaveLength(11);
  const markdown = await readFile(join(outDir, 'results.md'), 'utf8');
  expect(markdown).toContain('product / baseline');
  expect(markdown).toMatch(
    /\| server CPU per delivered message at \d+ msg\/s \| [\d.]+ µs \| [\d.]+ µs \|/,
  );
  expect(markdown).toContain('## History scale');
  expect(markdown).toContain('## Voice calls');
}, 600_000);
