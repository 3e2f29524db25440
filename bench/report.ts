import { cpus, freemem, totalmem, type as osType, release } from 'node:os';
import {
  cpuPerDeliveryUs,
  type ChurnResult,
  type CrowdResult,
  type MessagingResult,
  type RateStep,
  type StoreResult,
} from './scenarios';
import { callsMarkdown, type CallsResult } from './calls';
import { historyMarkdown, type HistoryResult } from './history';
import { round, type LatencySummary } from './lib/stats';
import type { TargetCheck } from './lib/targets';

export interface BenchResults {
  date: string;
  mode: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    freeMemoryGiB: number;
    node: string;
    os: string;
  };
  loadAverage: { start: number[]; end: number[] };
  store: string;
  sizes: object;
  durationSeconds: number;
  store_raw: StoreResult | null;
  baseline: { messaging: MessagingResult | null; crowd: CrowdResult | null };
  product: { messaging: MessagingResult | null; crowd: CrowdResult | null };
  cluster2: { messaging: MessagingResult | null };
  history: HistoryResult | null;
  calls: CallsResult | null;
  targets: TargetCheck[];
  notes: string[];
}

export type { TargetCheck };

export function machineInfo(): BenchResults['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    freeMemoryGiB: round(freemem() / 2 ** 30, 1),
    node: process.version,
    os: `${osType()} ${release()}`,
  };
}

const ms = (value: number | undefined): string =>
  value === undefined || Number.isNaN(value) ? 'n/a' : `${round(value, value < 10 ? 2 : 1)} ms`;
const kb = (bytes: number | undefined): string =>
  bytes === undefined ? 'n/a' : `${round(bytes / 1024, 1)} KB`;
const us = (value: number | undefined): string =>
  value === undefined || Number.isNaN(value) ? 'n/a' : `${round(value, 1)} µs`;
const num = (value: number | undefined, unit = ''): string =>
  value === undefined || Number.isNaN(value) ? 'n/a' : `${round(value, 1)}${unit}`;

/** product / baseline, for the report; n/a when either is missing or the baseline is zero. */
export function ratio(product: number | undefined, baseline: number | undefined): string {
  if (
    product === undefined ||
    baseline === undefined ||
    baseline === 0 ||
    Number.isNaN(product) ||
    Number.isNaN(baseline)
  )
    return 'n/a';
  return `${round(product / baseline, 2)}x`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function latencyRows(
  name: string,
  product: LatencySummary | undefined,
  baseline: LatencySummary | undefined,
  keys: ('p50' | 'p95' | 'p99')[],
): string[] {
  return keys.map((key) =>
    row([
      `${name} ${key}`,
      ms(product?.[key]),
      ms(baseline?.[key]),
      ratio(product?.[key], baseline?.[key]),
    ]),
  );
}

function stepRow(step: RateStep): string {
  return row([
    String(step.rate),
    ms(step.latency.p50),
    ms(step.latency.p99),
    `${step.delivered}/${step.expectedDeliveries}`,
    String(Object.values(step.failures).reduce((a, b) => a + b, 0)),
    `${round(step.serverCpu * 100, 0)}%`,
    us(cpuPerDeliveryUs(step)),
    ms(step.generatorLagMs),
    step.passed ? 'yes' : 'no',
  ]);
}

function churnCell(churn: ChurnResult | null | undefined): string {
  return churn ? `${num(churn.cyclesPerSecond)}/s` : 'n/a';
}

/** The markdown report: the side-by-side table first, then the details. */
export function toMarkdown(results: BenchResults): string {
  const p = results.product;
  const b = results.baseline;
  const pd = p.messaging?.delivery ?? undefined;
  const bd = b.messaging?.delivery ?? undefined;
  const pm = p.crowd?.memory;
  const bm = b.crowd?.memory;
  const pr = p.crowd?.race;
  const br = b.crowd?.race;
  const lines: string[] = [];
  lines.push(`# Benchmark results (${results.mode})`);
  lines.push('');
  lines.push(`- Date: ${results.date}`);
  lines.push(
    `- Machine: ${results.machine.cpus} x ${results.machine.cpuModel}, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}, ${results.machine.os}`,
  );
  lines.push(
    `- Load average (1, 5, 15 min) at start: ${results.loadAverage.start.map((x) => round(x, 2)).join(', ')}; at end: ${results.loadAverage.end.map((x) => round(x, 2)).join(', ')}`,
  );
  lines.push(`- Store: ${results.store}; Redis: private redis-server, AOF everysec`);
  lines.push(
    `- Run took ${Math.round(results.durationSeconds)} s. Sizes: \`${JSON.stringify(results.sizes)}\``,
  );
  lines.push(
    '- The machine is shared and its load varies: read the **product / baseline ratios** (baseline measured in the same run, same load generators), not the absolute figures alone.',
  );
  lines.push('');
  lines.push('## Product vs bare Socket.IO baseline');
  lines.push('');
  lines.push(row(['metric', 'product', 'baseline', 'product / baseline']));
  lines.push(row(['---', '---:', '---:', '---:']));
  lines.push(
    ...latencyRows(
      `delivery latency at ${pd?.rate ?? bd?.rate ?? '?'} msg/s,`,
      pd?.latency,
      bd?.latency,
      ['p50', 'p95', 'p99'],
    ),
  );
  const pcpu = pd && cpuPerDeliveryUs(pd);
  const bcpu = bd && cpuPerDeliveryUs(bd);
  lines.push(
    row([
      `server CPU per delivered message at ${pd?.rate ?? bd?.rate ?? '?'} msg/s`,
      us(pcpu),
      us(bcpu),
      ratio(pcpu, bcpu),
    ]),
  );
  const pc = p.messaging?.throughput.ceiling;
  const bc = b.messaging?.throughput.ceiling;
  lines.push(
    row([
      'throughput ceiling (p99 <= 100 ms, nothing lost), msg/s',
      num(pc),
      num(bc),
      ratio(pc, bc),
    ]),
  );
  const cc = results.cluster2.messaging?.throughput.ceiling;
  lines.push(row(['throughput ceiling, 2 nodes, msg/s', num(cc), num(bc), ratio(cc, bc)]));
  lines.push(...latencyRows('Start Chat latency', pr?.latency, br?.latency, ['p50', 'p99']));
  lines.push(
    row([
      'Start Chat takes (duplicates / losses)',
      pr ? `${pr.takes} (${pr.duplicates} / ${pr.losses})` : 'n/a',
      br ? `${br.takes} (${br.duplicates} / ${br.losses})` : 'n/a',
      '',
    ]),
  );
  lines.push(
    row([
      'Start Chat takes/s',
      num(pr?.takesPerSecond),
      num(br?.takesPerSecond),
      ratio(pr?.takesPerSecond, br?.takesPerSecond),
    ]),
  );
  lines.push(
    row([
      `RSS per idle connection at ${pm?.connections ?? bm?.connections ?? '?'}`,
      kb(pm?.rssPerConnectionBytes),
      kb(bm?.rssPerConnectionBytes),
      ratio(pm?.rssPerConnectionBytes, bm?.rssPerConnectionBytes),
    ]),
  );
  lines.push(
    row([
      'heap per idle connection',
      kb(pm?.heapPerConnectionBytes),
      kb(bm?.heapPerConnectionBytes),
      ratio(pm?.heapPerConnectionBytes, bm?.heapPerConnectionBytes),
    ]),
  );
  lines.push(
    row([
      'connect + login + disconnect churn (bench hash N=2^10)',
      churnCell(p.crowd?.churn),
      churnCell(b.crowd?.churn),
      ratio(p.crowd?.churn.cyclesPerSecond, b.crowd?.churn.cyclesPerSecond),
    ]),
  );
  lines.push(
    row([
      'churn with production password hash (N=2^15)',
      churnCell(p.crowd?.churnProductionHash),
      churnCell(b.crowd?.churn),
      ratio(p.crowd?.churnProductionHash?.cyclesPerSecond, b.crowd?.churn.cyclesPerSecond),
    ]),
  );
  const store = results.store_raw;
  if (store) {
    lines.push(
      row([
        'raw driver inserts into the store, sequential',
        `${num(store.sequential.insertsPerSecond)}/s, p50 ${ms(store.sequential.latency.p50)}, p99 ${ms(store.sequential.latency.p99)}`,
        '',
        '',
      ]),
    );
    lines.push(
      row([
        `raw driver inserts, ${store.concurrent.concurrency} concurrent`,
        `${num(store.concurrent.insertsPerSecond)}/s, p50 ${ms(store.concurrent.latency.p50)}, p99 ${ms(store.concurrent.latency.p99)}`,
        '',
        '',
      ]),
    );
    lines.push(
      row([
        `raw store inserts at ${num(store.openLoop.rate)}/s open loop, batched as the server does (latency)`,
        `p50 ${ms(store.openLoop.latency.p50)}, p99 ${ms(store.openLoop.latency.p99)} (${num(store.openLoop.inserted)} in ${num(store.openLoop.batches)} batches, ${num(store.openLoop.failed)} failed)`,
        '',
        '',
      ]),
    );
    lines.push(
      row([
        'product ceiling / raw concurrent insert rate',
        ratio(pc, store.concurrent.insertsPerSecond),
        '',
        '',
      ]),
    );
  }
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  lines.push(row(['target', 'required', 'measured', 'met']));
  lines.push(row(['---', '---', '---', '---']));
  for (const check of results.targets) {
    lines.push(
      row([
        check.name,
        check.target,
        check.measured,
        check.met === null ? 'not measured' : check.met ? 'yes' : '**no**',
      ]),
    );
  }
  const history = historyMarkdown(results.history);
  if (history.length > 0) lines.push('', ...history);
  const calls = callsMarkdown(results.calls);
  if (calls.length > 0) lines.push('', ...calls);
  if (results.notes.length > 0) {
    lines.push('');
    lines.push('## What limits it');
    lines.push('');
    for (const note of results.notes) lines.push(`- ${note}`);
  }
  const stepTables: [string, MessagingResult | null][] = [
    ['baseline', b.messaging],
    ['product, 1 node', p.messaging],
    ['product, 2 nodes', results.cluster2.messaging],
  ];
  lines.push('');
  lines.push('## Throughput steps');
  for (const [label, messaging] of stepTables) {
    if (!messaging) continue;
    lines.push('');
    lines.push(`${label} (ceiling ${messaging.throughput.ceiling} msg/s):`);
    lines.push('');
    lines.push(
      row([
        'msg/s',
        'p50',
        'p99',
        'delivered',
        'failed',
        'server CPU',
        'CPU per delivery',
        'generator lag',
        'passed',
      ]),
    );
    lines.push(row(['---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---']));
    for (const step of messaging.throughput.steps) lines.push(stepRow(step));
  }
  lines.push('');
  lines.push('## How it is measured');
  lines.push('');
  lines.push(...METHOD.map((line) => `- ${line}`));
  lines.push('');
  return lines.join('\n');
}

const METHOD = [
  'Every server under test runs in its own process (the product from its production bundle `dist/server/main.js`); load generators are separate Node processes with socket.io-client over WebSocket. Everything shares the same 2 cores.',
  "Delivery: customers in conversation send `message.send` on an open-loop schedule (a fixed rate, not send-on-ack); latency runs from the scheduled send time to the `message.new` arriving at each online agent, so a generator or server falling behind shows up as latency. Every message fans out to the online agents and to the sender's own sessions, in both product and baseline.",
  'Server CPU per delivered message: the server process CPU time (user + system) over a step, divided by the `message.new` deliveries counted at the online agents in it; the forced collections of the memory probe are left out of the window.',
  'Throughput ceiling: rate steps until one fails (p99 over 100 ms, a failed send, or a delivery missing), then one step halfway; the ceiling is the highest step that passed.',
  'Start Chat: all customers connected and queued, the agents loop `chat.start` then `chat.end` until the queue is empty; customers request again and the next round starts. Latency is the `chat.start` ack round trip. Exactly-once: every request id taken exactly once per round (duplicates, losses, and ids never requested are counted).',
  'Memory: server RSS and heap after forced GC, before and after connecting the idle customers (already logged in), divided by the number of connections.',
  'Churn: concurrent loops of HTTP login, WebSocket connect, disconnect.',
  'Bench accounts are inserted into the database directly, with a production-format scrypt hash of cost N=2^10; logins still go through HTTP. Churn is also measured with the production cost N=2^15.',
  "Raw store inserts: the MongoDB driver inserting message-shaped documents into the same FerretDB, into a collection with the same indexes as the product's messages, one at a time, concurrently, and on the delivery's open-loop schedule batched as the server batches them (its latency is the floor under the product's delivery latency: a message is delivered only once stored).",
  'The baseline is a bare Socket.IO server with default options (bench/baselineServer.ts): the same events and message shape, an in-memory queue, no Redis, no storage, no validation, no rate limit, no queue snapshots.',
];
