import type { BenchAccount } from './loadgen';
import type { ProcessSample } from './lib/memoryProbe';
import {
  baselineAccounts,
  cheapPasswordHash,
  insertAccounts,
  productionPasswordHash,
  startBaseline,
  startLoadgens,
  startProduct,
  stopLoadgens,
  type Loadgen,
  type ServerEntry,
  type Stores,
} from './lib/stack';
import { round, summarize, type LatencySummary } from './lib/stats';
import { delay } from './lib/work';

export interface Sizes {
  /** Customer sockets that send (each well under the per-socket rate limit). */
  senders: number;
  /** Agents online: every customer message fans out to each of them. */
  receivers: number;
  deliveryRate: number;
  deliveryMs: number;
  throughput: { start: number; step: number; max: number; stepMs: number; p99LimitMs: number };
  idleCustomers: number;
  racingAgents: number;
  raceRounds: number;
  /** Start Chat presses per second over all agents (open loop); 0 presses again at once. */
  raceRate: number;
  /** A round stops when the queue is empty or after this long; the rest stays queued. */
  raceMs: number;
  churnMs: number;
  churnConcurrency: number;
  storeMs: number;
  storeConcurrency: number;
  /** Pause to let a server settle between phases (idle connections, drained steps). */
  settleMs: number;
  /** A short step before the measured ones (JIT, connection pools). */
  warmUp: boolean;
}

export type Log = (message: string) => void;

/** A server under test as the scenarios see it. */
interface Target {
  label: string;
  product: boolean;
  urls: string[];
  accounts(
    role: 'agent' | 'customer',
    count: number,
    prefix: string,
    hash?: string,
  ): Promise<BenchAccount[]>;
  sample(): Promise<ProcessSample>;
  /** Conversation ids of the requests still queued. */
  queued(): Promise<string[]>;
  stop(): Promise<void>;
}

async function productTarget(
  stores: Stores,
  nodes: number,
  entry: ServerEntry,
  label: string,
): Promise<Target> {
  const cluster = await startProduct(stores, nodes, entry);
  const hash = cheapPasswordHash();
  const first = cluster.nodes[0];
  if (!first) throw new Error('no node started');
  return {
    label,
    product: true,
    urls: cluster.nodes.map((node) => node.url),
    accounts: (role, count, prefix, customHash) =>
      insertAccounts(stores, cluster.db, role, count, prefix, customHash ?? hash),
    sample: () => first.sample(),
    queued: async () => {
      const requestIds = await stores.redis.zrange('cc:queue', '0', '-1');
      const pipeline = stores.redis.pipeline();
      for (const id of requestIds) pipeline.hget(`cc:req:${id}`, 'conversationId');
      const replies = (await pipeline.exec()) ?? [];
      return replies.map(([, value]) => String(value));
    },
    stop: () => cluster.stop(),
  };
}

async function baselineTarget(): Promise<Target> {
  const server = await startBaseline();
  return {
    label: 'baseline',
    product: false,
    urls: [server.url],
    accounts: (role, count, prefix) => Promise.resolve(baselineAccounts(role, count, prefix)),
    sample: () => server.sample(),
    queued: async () => (await (await fetch(`${server.url}/bench/queue`)).json()) as string[],
    stop: () => server.stop(),
  };
}

/** Splits items into `parts` contiguous chunks of near-equal size. */
function split<T>(items: T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  return Array.from({ length: parts }, (_, i) => items.slice(i * size, (i + 1) * size));
}

function merge(records: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) out[key] = (out[key] ?? 0) + value;
  }
  return out;
}

function total(record: Record<string, number>): number {
  return Object.values(record).reduce((sum, value) => sum + value, 0);
}

/** Logs in and connects `accounts` from `loadgen`, spreading them over the target's nodes. */
async function connectAll(
  loadgen: Loadgen,
  target: Target,
  accounts: BenchAccount[],
  group: string,
  options: { recordDeliveries?: boolean; offset?: number } = {},
): Promise<void> {
  const urlFor = (index: number): string =>
    target.urls[(index + (options.offset ?? 0)) % target.urls.length] ?? '';
  const byNode = target.urls.map((_, node) =>
    accounts.filter((__, i) => urlFor(i) === target.urls[node]),
  );
  const tokens: string[] = [];
  const urls: string[] = [];
  for (const [node, nodeAccounts] of byNode.entries()) {
    const url = target.urls[node] ?? '';
    const nodeTokens = await loadgen.call('login', {
      url,
      accounts: nodeAccounts,
      concurrency: 16,
    });
    tokens.push(...nodeTokens);
    urls.push(...nodeTokens.map(() => url));
  }
  const { connected, failures } = await loadgen.call('connect', {
    url: target.urls[0] ?? '',
    urls,
    tokens,
    group,
    recordDeliveries: options.recordDeliveries ?? false,
    concurrency: 100,
  });
  if (total(failures) > 0 || connected < accounts.length) {
    throw new Error(
      `${target.label}: connected ${connected}/${accounts.length}: ${JSON.stringify(failures)}`,
    );
  }
}

export interface RateStep {
  rate: number;
  sent: number;
  acked: number;
  failures: Record<string, number>;
  expectedDeliveries: number;
  delivered: number;
  latency: LatencySummary;
  ackLatency: LatencySummary;
  /** Worst lag of the load generator behind its schedule, ms. */
  generatorLagMs: number;
  /** Server CPU used during the step, as a share of one core. */
  serverCpu: number;
  /** Server CPU time used during the step, ms (divided by `delivered`: CPU per delivery). */
  serverCpuMs: number;
  passed: boolean;
}

interface MessagingRig {
  target: Target;
  senders: Loadgen[];
  receivers: Loadgen;
  all: Loadgen[];
}

/**
 * Customers in conversation who send, and `receivers` agents online who get every message.
 * On the product the senders' conversations are opened by agents who then go offline (a
 * conversation outlives its agent's connection), so exactly `receivers` agents are online.
 */
async function setUpMessaging(target: Target, sizes: Sizes, log: Log): Promise<MessagingRig> {
  const all = startLoadgens(4, target.label);
  const [s1, s2, receivers, helper] = all as [Loadgen, Loadgen, Loadgen, Loadgen];
  const senders = [s1, s2];
  const customers = await target.accounts('customer', sizes.senders, 'sender');
  const parts = split(customers, senders.length);
  await Promise.all(
    senders.map((loadgen, i) =>
      connectAll(loadgen, target, parts[i] ?? [], 'senders', { offset: i }),
    ),
  );
  if (target.product) {
    const requested = await Promise.all(
      senders.map((loadgen) => loadgen.call('requestChats', { group: 'senders' })),
    );
    const failed = merge(requested.map((r) => r.failures));
    if (total(failed) > 0) throw new Error(`chat.request failed: ${JSON.stringify(failed)}`);
    const openers = await target.accounts('agent', sizes.senders, 'opener');
    await connectAll(helper, target, openers, 'openers');
    const taken = await helper.call('take', { group: 'openers', untilEmpty: false });
    if (taken.taken.length !== sizes.senders) {
      throw new Error(
        `opening conversations: ${taken.taken.length}/${sizes.senders} (${JSON.stringify(taken.failures)})`,
      );
    }
    await helper.call('disconnect', { group: 'openers' });
  }
  const agents = await target.accounts('agent', sizes.receivers, 'receiver');
  await connectAll(receivers, target, agents, 'receivers', { recordDeliveries: true });
  log(
    `${target.label}: ${sizes.senders} customers in conversation, ${sizes.receivers} agents online`,
  );
  await delay(sizes.settleMs);
  return { target, senders, receivers, all };
}

async function runRateStep(
  rig: MessagingRig,
  sizes: Sizes,
  rate: number,
  durationMs: number,
): Promise<RateStep> {
  const { senders, receivers, target } = rig;
  await receivers.call('deliveries', { reset: true });
  const cpuBefore = await target.sample();
  const started = performance.now();
  const results = await Promise.all(
    senders.map((loadgen) =>
      loadgen.call('send', { group: 'senders', rate: rate / senders.length, durationMs }),
    ),
  );
  const acked = results.reduce((sum, r) => sum + r.acked, 0);
  const expectedDeliveries = acked * sizes.receivers;
  // Wait for what is still on its way; stop once nothing more arrives.
  let delivered = await receivers.call('deliveryCount', null);
  let stalledSince = performance.now();
  while (delivered < expectedDeliveries && performance.now() - stalledSince < 3_000) {
    await delay(100);
    const now = await receivers.call('deliveryCount', null);
    if (now > delivered) stalledSince = performance.now();
    delivered = now;
  }
  const elapsed = performance.now() - started;
  const cpuAfter = await target.sample();
  const { latencies } = await receivers.call('deliveries', { reset: true });
  const failures = merge(results.map((r) => r.failures));
  const latency = summarize(latencies);
  return {
    rate,
    sent: results.reduce((sum, r) => sum + r.sent, 0),
    acked,
    failures,
    expectedDeliveries,
    delivered: latencies.length,
    latency,
    ackLatency: summarize(results.flatMap((r) => r.ackLatencies)),
    generatorLagMs: round(Math.max(...results.map((r) => r.maxLagMs))),
    serverCpu: round((cpuAfter.cpuMsBeforeGc - cpuBefore.cpuMs) / elapsed),
    serverCpuMs: round(cpuAfter.cpuMsBeforeGc - cpuBefore.cpuMs),
    passed:
      total(failures) === 0 &&
      latencies.length >= expectedDeliveries &&
      latency.p99 <= sizes.throughput.p99LimitMs,
  };
}

/** Server CPU time per delivered message in the step, µs (NaN when nothing was delivered). */
export function cpuPerDeliveryUs(step: RateStep): number {
  return step.delivered > 0 ? (1000 * step.serverCpuMs) / step.delivered : Number.NaN;
}

function describeStep(label: string, step: RateStep): string {
  return (
    `${label}: ${step.rate} msg/s -> p50 ${round(step.latency.p50)} ms, p99 ${round(step.latency.p99)} ms, ` +
    `delivered ${step.delivered}/${step.expectedDeliveries}, failed ${total(step.failures)}, ` +
    `server CPU ${round(step.serverCpu * 100, 0)}%, ${round(cpuPerDeliveryUs(step), 1)} µs per delivery ` +
    (step.passed ? 'ok' : 'OVER')
  );
}

export interface ThroughputResult {
  /** Highest rate that held p99 under the limit with nothing lost; 0 if none did. */
  ceiling: number;
  steps: RateStep[];
}

async function findCeiling(rig: MessagingRig, sizes: Sizes, log: Log): Promise<ThroughputResult> {
  const { start, step, max, stepMs } = sizes.throughput;
  const steps: RateStep[] = [];
  let lastPass = 0;
  let firstFail = 0;
  for (let rate = start; rate <= max; rate += step) {
    const result = await runRateStep(rig, sizes, rate, stepMs);
    steps.push(result);
    log(describeStep(`${rig.target.label} throughput`, result));
    await delay(sizes.settleMs);
    if (!result.passed) {
      firstFail = rate;
      break;
    }
    lastPass = rate;
  }
  if (firstFail > 0 && firstFail - lastPass > step / 4) {
    const middle = Math.round((lastPass + firstFail) / 2 / 100) * 100;
    const result = await runRateStep(rig, sizes, middle, stepMs);
    steps.push(result);
    log(describeStep(`${rig.target.label} throughput`, result));
    if (result.passed) lastPass = middle;
  }
  return { ceiling: lastPass, steps };
}

export interface MessagingResult {
  delivery: RateStep | null;
  throughput: ThroughputResult;
}

export async function messagingScenario(
  target: Target,
  sizes: Sizes,
  log: Log,
  options: { delivery: boolean },
): Promise<MessagingResult> {
  const rig = await setUpMessaging(target, sizes, log);
  try {
    // A short warm-up so the first measured step does not pay for JIT and connection pools.
    if (sizes.warmUp) await runRateStep(rig, sizes, Math.min(500, sizes.deliveryRate), 1_000);
    let delivery: RateStep | null = null;
    if (options.delivery) {
      delivery = await runRateStep(rig, sizes, sizes.deliveryRate, sizes.deliveryMs);
      log(describeStep(`${target.label} delivery`, delivery));
      await delay(sizes.settleMs);
    }
    const throughput = await findCeiling(rig, sizes, log);
    return { delivery, throughput };
  } finally {
    await stopLoadgens(rig.all);
  }
}

export interface MemoryResult {
  connections: number;
  rssPerConnectionBytes: number;
  heapPerConnectionBytes: number;
  before: ProcessSample;
  after: ProcessSample;
}

export interface RaceResult {
  agents: number;
  queued: number;
  rounds: number;
  takes: number;
  latency: LatencySummary;
  duplicates: number;
  losses: number;
  unexpected: number;
  failures: Record<string, number>;
  takesPerSecond: number;
}

export interface ChurnResult {
  concurrency: number;
  cyclesPerSecond: number;
  cycles: number;
  failures: Record<string, number>;
  cycleLatency: LatencySummary;
}

export interface CrowdResult {
  memory: MemoryResult;
  race: RaceResult;
  churn: ChurnResult;
  churnProductionHash: ChurnResult | null;
}

/**
 * Exactly-once check of one round: every request taken at most once, none taken that was
 * never requested, and every request either taken or still queued (not both).
 */
function checkRound(
  requested: string[],
  taken: string[],
  stillQueued: string[],
): { duplicates: number; losses: number; unexpected: number } {
  const requestedSet = new Set(requested);
  const queuedSet = new Set(stillQueued);
  const seen = new Set<string>();
  let duplicates = 0;
  let unexpected = 0;
  for (const id of taken) {
    if (seen.has(id) || queuedSet.has(id)) duplicates += 1;
    else if (!requestedSet.has(id)) unexpected += 1;
    seen.add(id);
  }
  let losses = 0;
  for (const id of requested) if (!seen.has(id) && !queuedSet.has(id)) losses += 1;
  return { duplicates, losses, unexpected };
}

async function churn(
  loadgens: Loadgen[],
  target: Target,
  accounts: BenchAccount[],
  durationMs: number,
): Promise<ChurnResult> {
  const parts = split(accounts, loadgens.length);
  const results = await Promise.all(
    loadgens.map((loadgen, i) =>
      loadgen.call('churn', { url: target.urls[0] ?? '', accounts: parts[i] ?? [], durationMs }),
    ),
  );
  const cycles = results.reduce((sum, r) => sum + r.cycles, 0);
  return {
    concurrency: accounts.length,
    cycles,
    cyclesPerSecond: round(cycles / (durationMs / 1000), 1),
    failures: merge(results.map((r) => r.failures)),
    cycleLatency: summarize(results.flatMap((r) => r.latencies)),
  };
}

/**
 * Ten thousand idle customers (memory per connection), then agents racing Start Chat over
 * them all queued, round after round, then connection churn.
 */
export async function crowdScenario(target: Target, sizes: Sizes, log: Log): Promise<CrowdResult> {
  const loadgens = startLoadgens(4, `${target.label}-crowd`);
  const [c1, c2, a1, a2] = loadgens as [Loadgen, Loadgen, Loadgen, Loadgen];
  try {
    const customers = await target.accounts('customer', sizes.idleCustomers, 'idle');
    const agents = await target.accounts('agent', sizes.racingAgents, 'racer');
    const customerParts = split(customers, 2);
    // Log in first (tokens held by the load generators), so the memory delta is connections only.
    const tokens = await Promise.all(
      [c1, c2].map((loadgen, i) =>
        loadgen.call('login', {
          url: target.urls[0] ?? '',
          accounts: customerParts[i] ?? [],
          concurrency: 64,
        }),
      ),
    );
    log(`${target.label}: ${sizes.idleCustomers} customers logged in`);
    const before = await target.sample();
    const connectedAt = performance.now();
    await Promise.all(
      [c1, c2].map((loadgen, i) =>
        loadgen.call('connect', {
          url: target.urls[0] ?? '',
          tokens: tokens[i] ?? [],
          group: 'idle',
          concurrency: 100,
        }),
      ),
    );
    log(
      `${target.label}: ${sizes.idleCustomers} customers connected in ${round((performance.now() - connectedAt) / 1000, 1)} s`,
    );
    await delay(sizes.settleMs);
    const after = await target.sample();
    const memory: MemoryResult = {
      connections: sizes.idleCustomers,
      rssPerConnectionBytes: Math.round((after.rss - before.rss) / sizes.idleCustomers),
      heapPerConnectionBytes: Math.round((after.heapUsed - before.heapUsed) / sizes.idleCustomers),
      before,
      after,
    };
    log(
      `${target.label}: per idle connection ${round(memory.rssPerConnectionBytes / 1024, 1)} KB RSS, ` +
        `${round(memory.heapPerConnectionBytes / 1024, 1)} KB heap`,
    );

    const agentParts = split(agents, 2);
    await Promise.all(
      [a1, a2].map((loadgen, i) => connectAll(loadgen, target, agentParts[i] ?? [], 'racers')),
    );
    const race: RaceResult = {
      agents: sizes.racingAgents,
      queued: sizes.idleCustomers,
      rounds: sizes.raceRounds,
      takes: 0,
      latency: summarize([]),
      duplicates: 0,
      losses: 0,
      unexpected: 0,
      failures: {},
      takesPerSecond: 0,
    };
    const latencies: number[] = [];
    let takingMs = 0;
    for (let r = 1; r <= sizes.raceRounds; r += 1) {
      const requested = await Promise.all(
        [c1, c2].map((loadgen) => loadgen.call('requestChats', { group: 'idle' })),
      );
      const requestIds = requested.flatMap((x) => x.requestIds);
      race.failures = merge([race.failures, ...requested.map((x) => x.failures)]);
      await delay(sizes.settleMs);
      const takingStarted = performance.now();
      const takes = await Promise.all(
        [a1, a2].map((loadgen) =>
          loadgen.call('take', {
            group: 'racers',
            untilEmpty: true,
            rate: sizes.raceRate / 2,
            maxMs: sizes.raceMs,
          }),
        ),
      );
      takingMs += performance.now() - takingStarted;
      const taken = takes.flatMap((t) => t.taken);
      for (const t of takes) latencies.push(...t.latencies);
      race.failures = merge([race.failures, ...takes.map((t) => t.failures)]);
      const stillQueued = await target.queued();
      const check = checkRound(requestIds, taken, stillQueued);
      race.takes += taken.length;
      race.duplicates += check.duplicates;
      race.losses += check.losses;
      race.unexpected += check.unexpected;
      log(
        `${target.label}: race round ${r}/${sizes.raceRounds}: ${taken.length} takes of ${requestIds.length} queued ` +
          `(${stillQueued.length} left), ` +
          `${check.duplicates} duplicates, ${check.losses} lost, p99 so far ${round(summarize(latencies).p99)} ms`,
      );
    }
    race.latency = summarize(latencies);
    race.takesPerSecond = round(race.takes / (takingMs / 1000), 0);
    await Promise.all(loadgens.map((loadgen) => loadgen.call('disconnect', { group: 'idle' })));
    await Promise.all([a1, a2].map((loadgen) => loadgen.call('disconnect', { group: 'racers' })));
    await delay(sizes.settleMs);

    const churnAccounts = await target.accounts('customer', sizes.churnConcurrency, 'churn');
    const churnResult = await churn(loadgens, target, churnAccounts, sizes.churnMs);
    log(`${target.label}: churn ${churnResult.cyclesPerSecond} connect+login+disconnect/s`);
    let churnProductionHash: ChurnResult | null = null;
    if (target.product) {
      const hash = await productionPasswordHash();
      const accounts = await target.accounts('customer', sizes.churnConcurrency, 'churnprod', hash);
      churnProductionHash = await churn(loadgens, target, accounts, sizes.churnMs);
      log(
        `${target.label}: churn with production password hashes ${churnProductionHash.cyclesPerSecond}/s`,
      );
    }
    return { memory, race, churn: churnResult, churnProductionHash };
  } finally {
    await stopLoadgens(loadgens);
  }
}

export interface StoreResult {
  /** Lookups by _id, one at a time, in a collection as large as the crowd's customers. */
  reads: { documents: number; readsPerSecond: number; latency: LatencySummary };
  sequential: { insertsPerSecond: number; latency: LatencySummary };
  concurrent: { concurrency: number; insertsPerSecond: number; latency: LatencySummary };
  /** Inserts on the delivery's open-loop schedule, batched as the server batches them. */
  openLoop: {
    rate: number;
    inserted: number;
    failed: number;
    batches: number;
    latency: LatencySummary;
  };
}

/** Raw driver inserts of message documents into the same store, without the product. */
export async function storeScenario(stores: Stores, sizes: Sizes, log: Log): Promise<StoreResult> {
  const [loadgen] = startLoadgens(1, 'store');
  if (!loadgen) throw new Error('no load generator');
  try {
    const run = async (concurrency: number) => {
      const db = `bench_raw_${Date.now().toString(36)}`;
      const result = await loadgen.call('storeInserts', {
        mongodbUrl: stores.mongodbUrl,
        db,
        durationMs: sizes.storeMs,
        concurrency,
      });
      return {
        insertsPerSecond: round(result.inserts / (sizes.storeMs / 1000), 0),
        latency: summarize(result.latencies),
      };
    };
    const sequential = await run(1);
    log(
      `store: sequential inserts ${sequential.insertsPerSecond}/s, p99 ${round(sequential.latency.p99)} ms`,
    );
    const concurrent = {
      concurrency: sizes.storeConcurrency,
      ...(await run(sizes.storeConcurrency)),
    };
    log(
      `store: ${sizes.storeConcurrency} concurrent inserts ${concurrent.insertsPerSecond}/s, p99 ${round(concurrent.latency.p99)} ms`,
    );
    const open = await loadgen.call('storeOpenLoop', {
      mongodbUrl: stores.mongodbUrl,
      db: `bench_raw_${Date.now().toString(36)}`,
      rate: sizes.deliveryRate,
      durationMs: sizes.deliveryMs,
    });
    const openLoop = {
      rate: sizes.deliveryRate,
      inserted: open.inserted,
      failed: open.failed,
      batches: open.batches,
      latency: summarize(open.latencies),
    };
    log(
      `store: open-loop inserts at ${openLoop.rate}/s, batched as the server does: ` +
        `p50 ${round(openLoop.latency.p50)} ms, p99 ${round(openLoop.latency.p99)} ms, ` +
        `${openLoop.inserted} in ${openLoop.batches} batches, ${openLoop.failed} failed`,
    );
    const read = await loadgen.call('storeReads', {
      mongodbUrl: stores.mongodbUrl,
      db: `bench_raw_${Date.now().toString(36)}`,
      documents: sizes.idleCustomers,
      durationMs: sizes.storeMs,
    });
    const reads = {
      documents: sizes.idleCustomers,
      readsPerSecond: round(read.latencies.length / (sizes.storeMs / 1000), 0),
      latency: summarize(read.latencies),
    };
    log(
      `store: findOne by _id among ${reads.documents} documents ${reads.readsPerSecond}/s, p50 ${round(reads.latency.p50)} ms`,
    );
    return { reads, sequential, concurrent, openLoop };
  } finally {
    await stopLoadgens([loadgen]);
  }
}

export { baselineTarget, productTarget };
export type { Target };
