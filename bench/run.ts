// `npm run bench`: the load benchmarks. The real server (one node, then two) and a bare
// Socket.IO baseline, each in its own process, driven by load generator processes; results
// side by side, as JSON and markdown in bench/results/, with a summary on stdout.
//
//   npm run bench                      full run (about 10-15 minutes), results committed
//   npm run bench -- --quick           smaller sizes, a couple of minutes, results in bench/results/quick/
//   npm run bench -- --smoke           tiny sizes, seconds: proves the harness (the smoke test)
//   npm run bench -- --only=store,baseline,product,cluster   run some servers only; add
//                                      messaging or crowd to run only those scenarios
//   npm run bench -- --only=history        only the history scale scenario (product only), results
//                                      in bench/results/history/
//   npm run bench -- --only=calls      only the voice call scenario (bench/calls.ts: 50 calls set up
//                                      at once, messages per call, signal relay; product and
//                                      baseline), results in bench/results/calls/
//   npm run bench -- --server=source   run the server from TypeScript instead of the bundle
//   npm run bench -- --out-dir=DIR     where to write results.json and results.md
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, startStores, type ServerEntry } from './lib/stack';
import { round } from './lib/stats';
import { callsScenario, callsTargets, type CallsSizes } from './calls';
import { historyScenario, historyTargets, type HistorySizes } from './history';
import { machineInfo, toMarkdown, type BenchResults, type TargetCheck } from './report';
import type { TargetId } from './lib/targets';
import {
  baselineTarget,
  cpuPerDeliveryUs,
  crowdScenario,
  messagingScenario,
  productTarget,
  storeScenario,
  type CrowdResult,
  type MessagingResult,
  type Sizes,
  type Target,
} from './scenarios';

const SIZES: Record<'full' | 'quick' | 'smoke', Sizes & HistorySizes & CallsSizes> = {
  full: {
    senders: 500,
    receivers: 5,
    deliveryRate: 2000,
    deliveryMs: 15_000,
    throughput: { start: 1000, step: 1000, max: 30_000, stepMs: 4_000, p99LimitMs: 100 },
    idleCustomers: 10_000,
    racingAgents: 200,
    // 10 rounds over the 10,000 queued customers: 100,000 takes.
    raceRounds: 10,
    raceRate: 1000,
    raceMs: 60_000,
    churnMs: 5_000,
    churnConcurrency: 16,
    storeMs: 5_000,
    storeConcurrency: 32,
    settleMs: 1_000,
    warmUp: true,
    historyLevels: [10_000, 100_000, 1_000_000],
    historyCustomers: 10_000,
    historySamples: 20,
    historyDeliveryRate: 500,
    historyDeliveryMs: 10_000,
    historyResyncClients: 100,
    stormCustomers: 10_000,
    stormAgents: 200,
    // 5 rounds of 50 calls set up at once: 250 setups.
    calls: 50,
    callRounds: 5,
  },
  quick: {
    senders: 200,
    receivers: 5,
    deliveryRate: 2000,
    deliveryMs: 5_000,
    throughput: { start: 1000, step: 2000, max: 30_000, stepMs: 2_000, p99LimitMs: 100 },
    idleCustomers: 2_000,
    racingAgents: 200,
    raceRounds: 2,
    raceRate: 1000,
    raceMs: 10_000,
    churnMs: 2_000,
    churnConcurrency: 8,
    storeMs: 2_000,
    storeConcurrency: 32,
    settleMs: 500,
    warmUp: true,
    historyLevels: [10_000, 100_000],
    historyCustomers: 10_000,
    historySamples: 10,
    historyDeliveryRate: 500,
    historyDeliveryMs: 5_000,
    historyResyncClients: 100,
    stormCustomers: 2_000,
    stormAgents: 50,
    calls: 50,
    callRounds: 2,
  },
  smoke: {
    senders: 10,
    receivers: 5,
    deliveryRate: 100,
    deliveryMs: 500,
    // One throughput step, short phases: the smoke test proves the harness, not the figures.
    throughput: { start: 100, step: 100, max: 100, stepMs: 300, p99LimitMs: 100 },
    idleCustomers: 40,
    racingAgents: 4,
    raceRounds: 1,
    raceRate: 100,
    raceMs: 2_000,
    churnMs: 500,
    churnConcurrency: 2,
    storeMs: 200,
    storeConcurrency: 4,
    settleMs: 50,
    warmUp: false,
    historyLevels: [1_000],
    historyCustomers: 100,
    historySamples: 2,
    historyDeliveryRate: 50,
    historyDeliveryMs: 500,
    historyResyncClients: 5,
    stormCustomers: 40,
    stormAgents: 4,
    calls: 4,
    callRounds: 1,
  },
};

const PARTS = [
  'store',
  'baseline',
  'product',
  'cluster',
  'messaging',
  'crowd',
  'history',
  'calls',
] as const;
/** Scenarios with their own servers: in the full run, or alone with --only. */
const SOLO_PARTS: readonly Part[] = ['history', 'calls'];
type Part = (typeof PARTS)[number];

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    server: { type: 'string', default: 'bundle' },
    build: { type: 'boolean', default: true },
    'no-build': { type: 'boolean', default: false },
    'out-dir': { type: 'string' },
  },
});

const mode = flags.smoke ? 'smoke' : flags.quick ? 'quick' : 'full';
const sizes = SIZES[mode];
const parts = new Set<Part>(
  flags.only === undefined ? PARTS : (flags.only.split(',').map((part) => part.trim()) as Part[]),
);
// `messaging` and `crowd` pick scenarios within the chosen servers; by default both run.
// `history` and `calls` start their own servers: they run in the full run, or with --only.
const onlySolo = [...parts].every((part) => SOLO_PARTS.includes(part));
if (!onlySolo && !parts.has('messaging') && !parts.has('crowd')) {
  parts.add('messaging');
  parts.add('crowd');
}
for (const part of parts) {
  if (!PARTS.includes(part)) throw new Error(`--only takes ${PARTS.join(', ')}; got ${part}`);
}
const entry: ServerEntry = flags.server === 'source' ? 'source' : 'bundle';
// A lone scenario of its own writes beside the whole run's results, not over them.
const soloDir = onlySolo && parts.size === 1 ? [...parts].join('') : '';
const outDir = resolve(
  flags['out-dir'] ?? join(repoRoot, 'bench', 'results', mode === 'full' ? '' : mode, soloDir),
);

const startedAt = performance.now();
function log(message: string): void {
  const seconds = Math.round((performance.now() - startedAt) / 1000);
  const stamp = `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
  process.stderr.write(`[${stamp}] ${message}\n`);
}

function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const pd = results.product.messaging?.delivery;
  const bd = results.baseline.messaging?.delivery;
  checks.push({
    id: 'delivery-p99',
    name: `delivery p99 at ${sizes.deliveryRate} msg/s`,
    target: '<= 25 ms and <= 10x baseline p99',
    measured:
      pd && bd
        ? `${round(pd.latency.p99)} ms (baseline ${round(bd.latency.p99)} ms, ${round(pd.latency.p99 / bd.latency.p99, 1)}x)`
        : 'n/a',
    met:
      pd && bd ? pd.passed && pd.latency.p99 <= 25 && pd.latency.p99 <= 10 * bd.latency.p99 : null,
  });
  const pcpu = pd && cpuPerDeliveryUs(pd);
  const bcpu = bd && cpuPerDeliveryUs(bd);
  checks.push({
    id: 'cpu-per-message',
    name: `server CPU per delivered message at ${sizes.deliveryRate} msg/s`,
    target: '<= 1.5x baseline',
    measured:
      pcpu && bcpu
        ? `${round(pcpu, 1)} µs (baseline ${round(bcpu, 1)} µs, ${round(pcpu / bcpu, 2)}x)`
        : 'n/a',
    met: pcpu && bcpu ? pcpu <= 1.5 * bcpu : null,
  });
  const pc = results.product.messaging?.throughput.ceiling;
  const bc = results.baseline.messaging?.throughput.ceiling;
  checks.push({
    id: 'throughput-ceiling',
    name: 'throughput ceiling',
    target: '>= 50% of baseline',
    measured:
      pc !== undefined && bc ? `${pc} msg/s vs ${bc} msg/s (${round((100 * pc) / bc, 0)}%)` : 'n/a',
    met: pc !== undefined && bc ? pc >= 0.5 * bc : null,
  });
  const race = results.product.crowd?.race;
  checks.push({
    id: 'start-chat',
    name: `Start Chat, ${sizes.racingAgents} racing agents`,
    target: 'p99 <= 5 ms; 0 duplicates, 0 losses over 100,000 takes',
    measured: race
      ? `p99 ${round(race.latency.p99)} ms; ${race.duplicates} duplicates, ${race.losses} losses, ${race.unexpected} unexpected over ${race.takes} takes`
      : 'n/a',
    met: race
      ? race.latency.p99 <= 5 &&
        race.duplicates === 0 &&
        race.losses === 0 &&
        race.unexpected === 0 &&
        race.takes >= 100_000
      : null,
  });
  const memory = results.product.crowd?.memory;
  checks.push({
    id: 'idle-connection-rss',
    name: `RSS per idle connection at ${sizes.idleCustomers}`,
    target: '<= 12 KB (at 10,000)',
    measured: memory
      ? `${round(memory.rssPerConnectionBytes / 1024, 1)} KB RSS, ${round(memory.heapPerConnectionBytes / 1024, 1)} KB heap`
      : 'n/a',
    met: memory ? memory.rssPerConnectionBytes <= 12 * 1024 && memory.connections >= 10_000 : null,
  });
  const cc = results.cluster2.messaging?.throughput.ceiling;
  checks.push({
    id: 'two-nodes',
    name: '2 nodes vs 1 node throughput',
    target: '>= 1.6x',
    measured: cc !== undefined && pc ? `${cc} vs ${pc} msg/s (${round(cc / pc, 2)}x)` : 'n/a',
    met: cc !== undefined && pc ? cc >= 1.6 * pc : null,
  });
  checks.push(...historyTargets(results.history));
  checks.push(...callsTargets(results.calls, sizes.calls));
  return checks;
}

/**
 * What limits the figures, said only where this run measured them: each note stands for a
 * target it missed, or for what the machine was doing, with the run's own numbers.
 */
function factualNotes(results: BenchResults): string[] {
  const notes: string[] = [];
  const missed = (id: TargetId) =>
    results.targets.some((check) => check.id === id && check.met === false);
  const { cpus } = results.machine;
  const [loadAtStart] = results.loadAverage.start;
  const [loadAtEnd] = results.loadAverage.end;
  if (loadAtStart !== undefined && loadAtStart > cpus / 2) {
    notes.push(
      `The machine was busy before the run began: load average ${round(loadAtStart, 1)} on ${cpus} cores (every figure below shares them).`,
    );
  } else if (loadAtEnd !== undefined && loadAtEnd > 2 * cpus) {
    // The bench itself keeps the load near the core count; far above it, something else ran.
    notes.push(
      `The machine was busy while the run went on: load average ${round(loadAtEnd, 1)} at its end on ${cpus} cores.`,
    );
  }
  if (
    results.store.startsWith('FerretDB') &&
    results.targets.some((check) => check.met === false)
  ) {
    notes.push(
      `The store is ${results.store}: a Go process translating every command, on the same ${cpus} cores as everything else. FerretDB v1 pushes no range or sort down (reads across customers go by storage page or the replay index in Redis); an update costs it a read and a transaction. On MongoDB these are plain index operations.`,
    );
  }
  const store = results.store_raw;
  const delivery = results.product.messaging?.delivery;
  if (missed('delivery-p99') && store && delivery) {
    notes.push(
      `A message is delivered only once stored. At ${store.openLoop.rate} inserts/s on an open-loop schedule, batched as the server batches them, the store alone answers with p50 ${round(store.openLoop.latency.p50)} ms and p99 ${round(store.openLoop.latency.p99)} ms, against the product's delivery p99 of ${round(delivery.latency.p99)} ms at ${delivery.rate} msg/s.`,
    );
  }
  if (missed('throughput-ceiling') && store) {
    notes.push(
      `The store alone takes ${store.concurrent.insertsPerSecond} inserts/s with ${store.concurrent.concurrency} concurrent writers (sequential: ${store.sequential.insertsPerSecond}/s, p50 ${round(store.sequential.latency.p50)} ms); every product message is one insert plus reads.`,
    );
  }
  const race = results.product.crowd?.race;
  if (missed('start-chat') && race) {
    notes.push(
      `Start Chat: a take itself touches only Redis (p50 ${round(race.latency.p50)} ms here), but each race cycle also costs the store an insert (the conversation) and two updates (its end, the customer's count), written after the acks, and every change of the queue sends a snapshot to every agent.`,
    );
  }
  if (missed('two-nodes') && results.cluster2.messaging && cpus <= 2) {
    notes.push(
      `The 2-node run puts both nodes on the same ${cpus} cores as Redis, the store and the load generators: it measures the cost of the Redis adapter's fan-out between nodes, not added capacity.`,
    );
  }
  const calls = results.calls;
  if (missed('call-setup') && calls?.product && calls.baseline) {
    notes.push(
      `Call setup: the product pushes a call's change once it is recorded in the conversation's history (a store write, or 2 s at most), and each change's history message goes to every online agent. Ringing took p50 ${round(calls.product.ring.p50)} ms on the product against ${round(calls.baseline.ring.p50)} ms on the baseline, which records nothing.`,
    );
  }
  for (const [label, messaging] of [
    ['baseline', results.baseline.messaging],
    ['product (1 node)', results.product.messaging],
    ['product (2 nodes, CPU of node 1)', results.cluster2.messaging],
  ] as const) {
    const failed = messaging?.throughput.steps.find((step) => !step.passed);
    if (!failed) continue;
    notes.push(
      `${label}: the first failing step (${failed.rate} msg/s) had p99 ${round(failed.latency.p99)} ms, ` +
        `server CPU ${round(failed.serverCpu * 100, 0)}% of one core, load generator lag up to ${round(failed.generatorLagMs)} ms, ` +
        `${failed.delivered}/${failed.expectedDeliveries} delivered, failures ${JSON.stringify(failed.failures)}.`,
    );
  }
  return notes;
}

async function writeResults(results: BenchResults, final: boolean): Promise<string> {
  results.loadAverage.end = loadavg();
  results.durationSeconds = round((performance.now() - startedAt) / 1000, 0);
  results.targets = checkTargets(results);
  results.notes = factualNotes(results);
  if (!final) results.notes.push('Partial results: the run was still going when this was written.');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = toMarkdown(results);
  await writeFile(join(outDir, 'results.md'), markdown);
  return markdown;
}

async function main(): Promise<void> {
  const loadStart = loadavg();
  log(
    `bench (${mode}); load average ${loadStart.map((x) => round(x, 2)).join(' ')}; results to ${outDir}`,
  );
  if (entry === 'bundle' && flags.build && !flags['no-build']) {
    log('building the server bundle (npm run build -w @callcenter/server)');
    const build = spawnSync('npm', ['run', 'build', '-w', '@callcenter/server'], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (build.status !== 0) throw new Error('building the server bundle failed');
  }
  const stores = await startStores(process.env.MONGODB_URL);
  log(`stores up: ${stores.storeKind}`);
  const results: BenchResults = {
    date: new Date().toISOString(),
    mode,
    machine: machineInfo(),
    loadAverage: { start: loadStart, end: [] },
    store: stores.storeKind,
    sizes,
    durationSeconds: 0,
    store_raw: null,
    baseline: { messaging: null, crowd: null },
    product: { messaging: null, crowd: null },
    cluster2: { messaging: null },
    history: null,
    calls: null,
    targets: [],
    notes: [],
  };
  try {
    if (parts.has('store')) {
      results.store_raw = await storeScenario(stores, sizes, log);
      await writeResults(results, false);
    }
    // Messaging first on every server, then the crowds: the long store-bound phase comes last.
    const runMessaging = async (
      start: () => Promise<Target>,
      delivery: boolean,
      save: (result: MessagingResult) => void,
    ): Promise<void> => {
      const target = await start();
      try {
        save(await messagingScenario(target, sizes, log, { delivery }));
      } finally {
        await target.stop();
      }
      await writeResults(results, false);
    };
    const runCrowd = async (
      start: () => Promise<Target>,
      save: (result: CrowdResult) => void,
    ): Promise<void> => {
      const target = await start();
      try {
        save(await crowdScenario(target, sizes, log));
      } finally {
        await target.stop();
      }
      await writeResults(results, false);
    };
    const product = (nodes: number, label: string) => () =>
      productTarget(stores, nodes, entry, label);
    if (parts.has('messaging')) {
      if (parts.has('baseline'))
        await runMessaging(baselineTarget, true, (r) => (results.baseline.messaging = r));
      if (parts.has('product'))
        await runMessaging(product(1, 'product'), true, (r) => (results.product.messaging = r));
      if (parts.has('cluster'))
        await runMessaging(
          product(2, 'product-2-nodes'),
          false,
          (r) => (results.cluster2.messaging = r),
        );
    }
    if (parts.has('crowd')) {
      if (parts.has('baseline'))
        await runCrowd(baselineTarget, (r) => (results.baseline.crowd = r));
      if (parts.has('product'))
        await runCrowd(product(1, 'product'), (r) => (results.product.crowd = r));
    }
    if (parts.has('history')) {
      results.history = await historyScenario(stores, sizes, entry, log);
      await writeResults(results, false);
    }
    if (parts.has('calls')) {
      results.calls = await callsScenario(
        { baseline: baselineTarget, product: product(1, 'product') },
        sizes,
        log,
      );
      await writeResults(results, false);
    }
  } finally {
    await stores.stop();
  }
  const markdown = await writeResults(results, true);
  const summaryStart = markdown.indexOf('## Product vs');
  const summaryEnd = markdown.indexOf('## Throughput steps');
  process.stdout.write(`\n${markdown.slice(summaryStart, summaryEnd)}`);
  process.stdout.write(`Results: ${join(outDir, 'results.json')} and results.md\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
