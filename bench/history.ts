// History scale: does a sync stay fast as the stored history grows? Messages are inserted
// straight into the product's database (as the bench inserts accounts), a product node is
// started on it, and logins with their first sync, and replays from a cursor, are timed for an
// agent (reads across every customer) and for a customer (its own messages). At each level
// also: an agent console's start (its inbox), delivery while clients re-sync in a loop, and a
// reconnect storm (the node restarts and every client re-syncs at once).
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import {
  MESSAGE_PAGE_SIZE,
  MessagePagesRepository,
  collectionsOf,
  createIndexes,
  type MessageDoc,
} from '@callcenter/server/storage';
import { login } from './historyClient';
import type { HistoryLoadgenApi, StormResult } from './historyLoadgen';
import { HistoryNode } from './historyNode';
import type { BenchAccount } from './loadgen';
import { ChildProcessHandle } from './lib/ipc';
import {
  cheapPasswordHash,
  insertAccounts,
  repoRoot,
  startLoadgens,
  stopLoadgens,
  type Loadgen,
  type ServerEntry,
  type Stores,
} from './lib/stack';
import { round, summarize, type LatencySummary } from './lib/stats';
import type { TargetCheck } from './lib/targets';
import { delay } from './lib/work';

export interface HistorySizes {
  /** Stored messages at each level, spread over `historyCustomers` customers. */
  historyLevels: number[];
  historyCustomers: number;
  /** Logins (each a different account, so no user's own rate limit is in the way) per figure. */
  historySamples: number;
  /** Customers' messages per second (open loop) while `historyResyncClients` re-sync. */
  historyDeliveryRate: number;
  historyDeliveryMs: number;
  /** Clients re-syncing in a loop during the delivery: a fifth agents, the rest customers. */
  historyResyncClients: number;
  /** Clients connected when the node restarts: customers with history, and agents. */
  stormCustomers: number;
  stormAgents: number;
}

/** Customers send while other clients re-sync in a loop. */
export interface UnderResync {
  rate: number;
  sent: number;
  acked: number;
  expectedDeliveries: number;
  delivered: number;
  /** From a message's scheduled send until an online agent received it. */
  delivery: LatencySummary;
  resyncClients: number;
  /** One per re-sync (a full one or one page from an old cursor). */
  resync: LatencySummary;
  failures: Record<string, number>;
}

/** The node restarts under connected clients, who all reconnect and re-sync at once. */
export interface StormFigures {
  customers: number;
  agents: number;
  /** SIGTERM until the old node exited; start until the new one listened. */
  stopSeconds: number;
  startSeconds: number;
  /** From the new node's readiness until every client had re-synced (or given up). */
  allSyncedSeconds: number;
  synced: number;
  /** Per client, from the new node's readiness until its re-sync answered. */
  syncedAfter: LatencySummary;
  /** Per client, its re-sync's round trips. */
  resync: LatencySummary;
  retries: Record<string, number>;
  failures: Record<string, number>;
}

export interface HistoryLevel {
  messages: number;
  customers: number;
  seedSeconds: number;
  /** From the node's start until its replay index was filled from storage. */
  indexWarmSeconds: number;
  agentLogin: LatencySummary;
  agentFirstSync: LatencySummary;
  agentReplay50: LatencySummary;
  customerLogin: LatencySummary;
  customerFirstSync: LatencySummary;
  customerReplay: LatencySummary;
  /** An agent console's start: from its socket's connect until its first sync and queue. */
  agentInbox: LatencySummary;
  underResync: UnderResync;
  storm: StormFigures;
}

export interface HistoryResult {
  levels: HistoryLevel[];
}

type Log = (message: string) => void;
type HistoryLoadgen = ChildProcessHandle<HistoryLoadgenApi>;

/** Agents online receiving every message, as in the messaging scenario. */
const RECEIVERS = 5;
/** Messages a second per sending customer: well under a user's 20 events a second. */
const SENDS_PER_CUSTOMER = 5;
/** A re-syncing client starts at most one sync per this: a user's budget is two a second. */
const RESYNC_INTERVAL_MS = 600;
const STORM_LOADGENS = 4;
/** Clients not re-synced this long after the new node's readiness count as failures. */
const STORM_DEADLINE_MS = 120_000;

interface SyncAnswer {
  ok: boolean;
  messages?: { seq: number }[];
  cursor?: number;
  error?: { code: string };
}

function total(record: Record<string, number>): number {
  return Object.values(record).reduce((sum, value) => sum + value, 0);
}

function merge(records: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) out[key] = (out[key] ?? 0) + value;
  }
  return out;
}

/** Polls `check` (where no event tells) until true; throws `what` after `timeoutMs`. */
async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`history: ${what} after ${timeoutMs} ms`);
    await delay(100);
  }
}

function openSocket(url: string, token: string): Socket {
  return io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 30_000,
  });
}

function connected(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('connect_error', reject);
  });
}

function connect(url: string, token: string): Promise<Socket> {
  return connected(openSocket(url, token));
}

/** When `event` next arrives on `socket` (performance.now()); rejects after `timeoutMs`. */
function nextEvent(socket: Socket, event: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`history: no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once(event, () => {
      clearTimeout(timer);
      resolve(performance.now());
    });
  });
}

async function sync(socket: Socket, payload: object): Promise<SyncAnswer> {
  const answer = (await socket.timeout(120_000).emitWithAck('session.sync', payload)) as SyncAnswer;
  if (!answer.ok) throw new Error(`session.sync: ${answer.error?.code ?? 'failed'}`);
  return answer;
}

/** Times login + connect, then the first sync, then a replay from `replaySince(firstSync)`. */
async function sample(
  url: string,
  accounts: BenchAccount[],
  replaySince: (account: BenchAccount, first: SyncAnswer) => number,
): Promise<{ login: LatencySummary; firstSync: LatencySummary; replay: LatencySummary }> {
  const logins: number[] = [];
  const firsts: number[] = [];
  const replays: number[] = [];
  for (const account of accounts) {
    let started = performance.now();
    const socket = await connect(url, await login(url, account));
    logins.push(performance.now() - started);
    try {
      started = performance.now();
      const first = await sync(socket, {});
      firsts.push(performance.now() - started);
      started = performance.now();
      await sync(socket, { since: replaySince(account, first) });
      replays.push(performance.now() - started);
    } finally {
      socket.close();
    }
  }
  return { login: summarize(logins), firstSync: summarize(firsts), replay: summarize(replays) };
}

/**
 * An agent console's start, one agent at a time: from its socket's connect until it holds what
 * the console shows, its first `session.sync` answer (state, queue, messages; the console is
 * online from then) and the `queue.snapshot` the server pushes on connect.
 */
async function sampleInbox(url: string, accounts: BenchAccount[]): Promise<LatencySummary> {
  const loads: number[] = [];
  for (const account of accounts) {
    const socket = openSocket(url, await login(url, account));
    try {
      // Listening before the connect: the push may come right behind it.
      const snapshot = nextEvent(socket, 'queue.snapshot', 60_000);
      snapshot.catch(() => undefined);
      await connected(socket);
      const connectedAt = performance.now();
      const syncedAt = await sync(socket, {}).then(() => performance.now());
      loads.push(Math.max(syncedAt, await snapshot) - connectedAt);
    } finally {
      socket.close();
    }
  }
  return summarize(loads);
}

/** The cursor a client's sync answers now: what every connected client holds after its own. */
async function currentCursor(url: string, account: BenchAccount): Promise<number> {
  const socket = await connect(url, await login(url, account));
  try {
    return (await sync(socket, {})).cursor ?? 0;
  } finally {
    socket.close();
  }
}

/** Logs in and connects `accounts` from a bench/loadgen.ts process. */
async function connectGroup(
  loadgen: Loadgen,
  url: string,
  accounts: BenchAccount[],
  group: string,
  recordDeliveries = false,
): Promise<void> {
  const tokens = await loadgen.call('login', { url, accounts, concurrency: 16 });
  const { connected: count, failures } = await loadgen.call('connect', {
    url,
    tokens,
    group,
    recordDeliveries,
    concurrency: 100,
  });
  if (count < accounts.length) {
    throw new Error(
      `history: ${group}: connected ${count}/${accounts.length}: ${JSON.stringify(failures)}`,
    );
  }
}

/** Logs in and connects `accounts` from history load generators, spread over them. */
async function connectHistoryClients(
  loadgens: HistoryLoadgen[],
  url: string,
  accounts: BenchAccount[],
  group: string,
): Promise<void> {
  const parts = loadgens.map((_, i) => accounts.filter((__, j) => j % loadgens.length === i));
  await Promise.all(
    loadgens.map((loadgen, i) =>
      loadgen.call('login', { url, group, accounts: parts[i] ?? [], concurrency: 16 }),
    ),
  );
  const opened = await Promise.all(
    loadgens.map((loadgen) => loadgen.call('connect', { url, group, concurrency: 100 })),
  );
  const count = opened.reduce((sum, part) => sum + part.connected, 0);
  if (count < accounts.length) {
    const failures = merge(opened.map((part) => part.failures));
    throw new Error(
      `history: ${group}: connected ${count}/${accounts.length}: ${JSON.stringify(failures)}`,
    );
  }
}

/** What one level's phases share. */
interface LevelRig {
  stores: Stores;
  db: string;
  hash: string;
  url: string;
  /** bench/loadgen.ts processes: the sending customers, and the agents who receive. */
  senders: Loadgen;
  receivers: Loadgen;
  history: HistoryLoadgen[];
  /** Group names are per level: a load generator serves every level. */
  tag: string;
}

/** Customers who will send, connected and queued (the agents' inbox then has a queue). */
async function queueSenders(rig: LevelRig, count: number): Promise<void> {
  const customers = await insertAccounts(
    rig.stores,
    rig.db,
    'customer',
    count,
    'hist-sender',
    rig.hash,
  );
  await connectGroup(rig.senders, rig.url, customers, `senders-${rig.tag}`);
  const { requestIds, failures } = await rig.senders.call('requestChats', {
    group: `senders-${rig.tag}`,
  });
  if (requestIds.length !== count) {
    throw new Error(
      `history: chat.request ${requestIds.length}/${count}: ${JSON.stringify(failures)}`,
    );
  }
}

/**
 * The queued senders' requests are taken by agents who then go offline (a conversation outlives
 * its agent's connection); `RECEIVERS` agents receive every message while the senders send at
 * `rate` (open loop, bench/loadgen.ts) and `resyncAccounts` re-sync in a loop.
 */
async function deliveryUnderResync(
  rig: LevelRig,
  senders: number,
  resyncAccounts: BenchAccount[],
  oldCursor: number,
  sizes: HistorySizes,
): Promise<UnderResync> {
  const { stores, db, hash, url, tag } = rig;
  const openers = await insertAccounts(stores, db, 'agent', senders, 'hist-opener', hash);
  await connectGroup(rig.receivers, url, openers, `openers-${tag}`);
  const taken = await rig.receivers.call('take', { group: `openers-${tag}`, untilEmpty: false });
  await rig.receivers.call('disconnect', { group: `openers-${tag}` });
  if (taken.taken.length !== senders) {
    throw new Error(
      `history: opening conversations ${taken.taken.length}/${senders}: ${JSON.stringify(taken.failures)}`,
    );
  }
  const receivers = await insertAccounts(stores, db, 'agent', RECEIVERS, 'hist-receiver', hash);
  await connectGroup(rig.receivers, url, receivers, `receivers-${tag}`, true);
  const resyncers = rig.history.slice(0, 1);
  await connectHistoryClients(resyncers, url, resyncAccounts, `resync-${tag}`);
  try {
    await rig.receivers.call('deliveries', { reset: true });
    const durationMs = sizes.historyDeliveryMs;
    const [sent, resynced] = await Promise.all([
      rig.senders.call('send', {
        group: `senders-${tag}`,
        rate: sizes.historyDeliveryRate,
        durationMs,
      }),
      Promise.all(
        resyncers.map((loadgen) =>
          loadgen.call('resync', {
            group: `resync-${tag}`,
            durationMs,
            intervalMs: RESYNC_INTERVAL_MS,
            oldCursor,
          }),
        ),
      ),
    ]);
    const expectedDeliveries = sent.acked * RECEIVERS;
    // Wait for what is still on its way; stop once nothing more arrives.
    let delivered = await rig.receivers.call('deliveryCount', null);
    let stalledSince = performance.now();
    while (delivered < expectedDeliveries && performance.now() - stalledSince < 3_000) {
      await delay(100);
      const now = await rig.receivers.call('deliveryCount', null);
      if (now > delivered) stalledSince = performance.now();
      delivered = now;
    }
    const { latencies } = await rig.receivers.call('deliveries', { reset: true });
    const prefixed = (prefix: string, record: Record<string, number>) =>
      Object.fromEntries(Object.entries(record).map(([key, value]) => [`${prefix}${key}`, value]));
    return {
      rate: sizes.historyDeliveryRate,
      sent: sent.sent,
      acked: sent.acked,
      expectedDeliveries,
      delivered: latencies.length,
      delivery: summarize(latencies),
      resyncClients: resyncAccounts.length,
      resync: summarize(resynced.flatMap((part) => part.latencies)),
      failures: merge([
        prefixed('send: ', sent.failures),
        ...resynced.map((part) => prefixed('resync: ', part.failures)),
      ]),
    };
  } finally {
    await Promise.all([
      rig.senders.call('disconnect', { group: `senders-${tag}` }),
      rig.receivers.call('disconnect', { group: `receivers-${tag}` }),
      ...resyncers.map((loadgen) => loadgen.call('disconnect', { group: `resync-${tag}` })),
    ]);
  }
}

/**
 * `accounts` connected from the history load generators, all holding `cursor`; the node stops
 * (closing their sockets) and starts again on the same stores, port and token secret. Then
 * every client reconnects with its token and re-syncs from its cursor, all at once.
 */
async function reconnectStorm(
  rig: LevelRig,
  accounts: { customers: BenchAccount[]; agents: BenchAccount[] },
  cursor: number,
  node: HistoryNode,
): Promise<StormFigures> {
  const group = `storm-${rig.tag}`;
  const clients = [...accounts.agents, ...accounts.customers];
  try {
    await connectHistoryClients(rig.history, rig.url, clients, group);
    const connectedNow = async (): Promise<number> => {
      const counts = await Promise.all(
        rig.history.map((loadgen) => loadgen.call('connectedCount', { group })),
      );
      return counts.reduce((sum, n) => sum + n, 0);
    };
    let started = performance.now();
    await node.stop();
    const stopSeconds = (performance.now() - started) / 1000;
    await waitUntil(
      async () => (await connectedNow()) === 0,
      30_000,
      'clients still connected to the stopped node',
    );
    started = performance.now();
    await node.start();
    const readyAt = performance.now();
    const parts: StormResult[] = await Promise.all(
      rig.history.map((loadgen) =>
        loadgen.call('storm', {
          url: rig.url,
          group,
          since: cursor,
          deadlineMs: STORM_DEADLINE_MS,
        }),
      ),
    );
    const syncedAfter = parts.flatMap((part) => part.syncedAfter);
    return {
      customers: accounts.customers.length,
      agents: accounts.agents.length,
      stopSeconds: round(stopSeconds, 1),
      startSeconds: round((readyAt - started) / 1000, 1),
      allSyncedSeconds: round((performance.now() - readyAt) / 1000, 2),
      synced: syncedAfter.length,
      syncedAfter: summarize(syncedAfter),
      resync: summarize(parts.flatMap((part) => part.syncLatencies)),
      retries: merge(parts.map((part) => part.retries)),
      failures: merge(parts.map((part) => part.failures)),
    };
  } finally {
    await Promise.all(rig.history.map((loadgen) => loadgen.call('disconnect', { group })));
  }
}

async function seedMessages(
  stores: Stores,
  db: string,
  customerIds: string[],
  count: number,
  firstSeq: number,
  log: Log,
): Promise<void> {
  const collection = stores.mongo.db(db).collection<MessageDoc>('messages');
  const batchSize = 5_000;
  let nextReport = count / 10;
  for (let start = 0; start < count; start += batchSize) {
    const docs: MessageDoc[] = [];
    for (let j = start; j < Math.min(count, start + batchSize); j += 1) {
      const customerId = customerIds[j % customerIds.length] ?? '';
      docs.push({
        _id: randomUUID(),
        seq: firstSeq + j,
        // Numbered in storage pages as the product numbers them (see MessagePages).
        page: 1 + Math.floor(j / MESSAGE_PAGE_SIZE),
        clientMsgId: `seed-${j}`,
        senderKey: `customer:${customerId}`,
        sender: { role: 'customer', id: customerId, displayName: 'Bench customer' },
        customerId,
        conversationId: `history-${customerId}`,
        text: `stored message ${j}`,
        priority: 1,
        createdAt: new Date(Date.now() - (count - j) * 10),
      });
    }
    await collection.insertMany(docs, { ordered: false });
    if (start + batchSize >= nextReport) {
      log(`history: ${Math.min(count, start + batchSize)}/${count} messages stored`);
      nextReport += count / 10;
    }
  }
  // The pages on record, each with its floor, and the highest: the node numbers on above them.
  // Page 0 is the product's page for messages stored before pages existed (none here).
  // Recorded as the product does, one page at a time (a few thousand at 1,000,000 messages).
  const pages = new MessagePagesRepository(collectionsOf(stores.mongo.db(db)));
  await pages.start();
  for (let page = 1; page <= Math.ceil(count / MESSAGE_PAGE_SIZE); page += 1) {
    await pages.record(page, firstSeq + (page - 1) * MESSAGE_PAGE_SIZE - 1);
  }
}

export async function historyScenario(
  stores: Stores,
  sizes: HistorySizes,
  entry: ServerEntry,
  log: Log,
): Promise<HistoryResult> {
  const levels: HistoryLevel[] = [];
  const [senders, receivers] = startLoadgens(2, 'history') as [Loadgen, Loadgen];
  const history = Array.from({ length: STORM_LOADGENS }, (_, i) =>
    ChildProcessHandle.spawn<HistoryLoadgenApi>({
      name: `loadgen-history-${i + 1}`,
      args: ['--import', 'tsx', 'bench/historyLoadgen.ts'],
      cwd: repoRoot,
      echo: process.env.BENCH_ECHO === '1',
    }),
  );
  try {
    for (const messages of sizes.historyLevels) {
      levels.push(
        await historyLevel(stores, sizes, entry, log, messages, { senders, receivers, history }),
      );
    }
  } finally {
    await stopLoadgens([senders, receivers]);
    await Promise.all(history.map((loadgen) => loadgen.stop('SIGKILL', 1_000)));
  }
  return { levels };
}

async function historyLevel(
  stores: Stores,
  sizes: HistorySizes,
  entry: ServerEntry,
  log: Log,
  messages: number,
  loadgens: { senders: Loadgen; receivers: Loadgen; history: HistoryLoadgen[] },
): Promise<HistoryLevel> {
  const db = `bench_history_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const hash = cheapPasswordHash();
  const samples = sizes.historySamples;
  const agents = await insertAccounts(stores, db, 'agent', samples, 'hist-agent', hash);
  const [cursorAgent] = agents;
  if (!cursorAgent) throw new Error('history: historySamples must be at least 1');
  const customers = await insertAccounts(
    stores,
    db,
    'customer',
    sizes.historyCustomers,
    'hist-cust',
    hash,
  );
  const customerDocs = await stores.mongo
    .db(db)
    .collection<{ _id: string; login: string }>('customers')
    .find({}, { projection: { _id: 1, login: 1 } })
    .toArray();
  const idByLogin = new Map(customerDocs.map((doc) => [doc.login, doc._id]));
  const customerIds = customers.map((account) => idByLogin.get(account.login) ?? '');
  // Numbered below the clock, as messages stored before now were.
  const firstSeq = Date.now() * 1000 - messages * 10;
  let started = performance.now();
  await seedMessages(stores, db, customerIds, messages, firstSeq, log);
  // The product's indexes, built once the history is in (faster than keeping them up while
  // inserting), as a deployment that has run for a while has them.
  await createIndexes(collectionsOf(stores.mongo.db(db)));
  const seedSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const node = await HistoryNode.start(stores, entry, db);
  try {
    const url = node.url;
    // The node fills its replay index from storage at start-up; wait for it.
    const warmedBelow = firstSeq + Math.max(0, messages - 10_000);
    await waitUntil(
      async () => {
        // The node gives up on its index when storage is too slow to read (it then syncs
        // agents from storage); say so now rather than at the timeout.
        const failed = node.logged(/warming the replay index failed/);
        if (failed !== undefined) throw new Error(`history: the node did not warm: ${failed}`);
        const from = await stores.redis.get('cc:replay:from');
        return from !== null && Number(from) <= warmedBelow;
      },
      20 * 60_000,
      'replay index not warmed',
    );
    const indexWarmSeconds = (performance.now() - started) / 1000;
    log(
      `history ${messages}: stored and indexed in ${round(seedSeconds, 1)} s, index warm in ${round(indexWarmSeconds, 1)} s`,
    );

    const newest = firstSeq + messages - 1;
    const agent = await sample(url, agents, () => newest - 50);
    // Customers with at least one message; a replay from 50 of their messages back (or all).
    const perCustomer = Math.floor(messages / customerIds.length);
    const sampled = customers.slice(0, samples);
    const customer = await sample(url, sampled, (account) => {
      const index = customers.indexOf(account);
      const back = Math.min(50, perCustomer);
      // Customer i holds the messages j with j % customers === i.
      return firstSeq + index + (perCustomer - back) * customerIds.length - 1;
    });
    log(
      `history ${messages}: agent first sync p99 ${round(agent.firstSync.p99)} ms, replay p99 ${round(agent.replay.p99)} ms; ` +
        `customer first sync p99 ${round(customer.firstSync.p99)} ms, replay p99 ${round(customer.replay.p99)} ms`,
    );

    const rig: LevelRig = { stores, db, hash, url, ...loadgens, tag: String(messages) };
    const senderCount = Math.max(2, Math.ceil(sizes.historyDeliveryRate / SENDS_PER_CUSTOMER));
    await queueSenders(rig, senderCount);
    const agentInbox = await sampleInbox(url, agents);
    log(
      `history ${messages}: agent inbox (sync and queue of ${senderCount}) p50 ${round(agentInbox.p50)} ms, p99 ${round(agentInbox.p99)} ms`,
    );

    // Re-syncing: a fifth agents, the rest customers with history (the last ones seeded).
    const resyncAgentCount = Math.max(1, Math.round(sizes.historyResyncClients / 5));
    const resyncAccounts = [
      ...(await insertAccounts(stores, db, 'agent', resyncAgentCount, 'hist-resync', hash)),
      ...customers.slice(-(sizes.historyResyncClients - resyncAgentCount)),
    ];
    const underResync = await deliveryUnderResync(
      rig,
      senderCount,
      resyncAccounts,
      firstSeq + Math.floor(messages / 2),
      sizes,
    );
    log(
      `history ${messages}: delivery at ${underResync.rate} msg/s while ${underResync.resyncClients} clients re-sync: ` +
        `p50 ${round(underResync.delivery.p50)} ms, p99 ${round(underResync.delivery.p99)} ms ` +
        `(${underResync.delivered}/${underResync.expectedDeliveries}); ${underResync.resync.count} re-syncs, ` +
        `p99 ${round(underResync.resync.p99)} ms; failures ${JSON.stringify(underResync.failures)}`,
    );

    const stormAgents = await insertAccounts(
      stores,
      db,
      'agent',
      sizes.stormAgents,
      'hist-storm',
      hash,
    );
    const cursor = await currentCursor(url, cursorAgent);
    const storm = await reconnectStorm(
      rig,
      { customers: customers.slice(0, sizes.stormCustomers), agents: stormAgents },
      cursor,
      node,
    );
    log(
      `history ${messages}: reconnect storm of ${storm.customers} customers + ${storm.agents} agents: ` +
        `all re-synced ${storm.allSyncedSeconds} s after the new node was ready (stop ${storm.stopSeconds} s, start ${storm.startSeconds} s); ` +
        `re-sync p50 ${round(storm.resync.p50)} ms, p99 ${round(storm.resync.p99)} ms; ` +
        `retries ${JSON.stringify(storm.retries)}, failures ${JSON.stringify(storm.failures)}`,
    );
    return {
      messages,
      customers: customerIds.length,
      seedSeconds: round(seedSeconds, 1),
      indexWarmSeconds: round(indexWarmSeconds, 1),
      agentLogin: agent.login,
      agentFirstSync: agent.firstSync,
      agentReplay50: agent.replay,
      customerLogin: customer.login,
      customerFirstSync: customer.firstSync,
      customerReplay: customer.replay,
      agentInbox,
      underResync,
      storm,
    };
  } finally {
    await node.stop();
    await stores.mongo
      .db(db)
      .dropDatabase()
      .catch(() => undefined);
  }
}
const ms = (value: number): string => (Number.isNaN(value) ? 'n/a' : `${round(value, 1)}`);
const pair = (s: LatencySummary): string => `${ms(s.p50)} / ${ms(s.p99)}`;
const counts = (record: Record<string, number>): string =>
  total(record) === 0
    ? '0'
    : Object.entries(record)
        .map(([key, value]) => `${value} ${key}`)
        .join(', ');

/** The history sections of results.md. */
export function historyMarkdown(result: HistoryResult | null | undefined): string[] {
  if (!result || result.levels.length === 0) return [];
  const lines = [
    '## History scale (product only; ms, p50 / p99)',
    '',
    '| stored messages | stored and indexed in | index warm | agent login | agent first sync | agent replay 50 back | customer login | customer first sync | customer replay |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const level of result.levels) {
    lines.push(
      `| ${level.messages.toLocaleString('en-US')} | ${level.seedSeconds} s | ${level.indexWarmSeconds} s | ${pair(level.agentLogin)} | ${pair(level.agentFirstSync)} | ${pair(level.agentReplay50)} | ${pair(level.customerLogin)} | ${pair(level.customerFirstSync)} | ${pair(level.customerReplay)} |`,
    );
  }
  const first = result.levels[0];
  lines.push('');
  lines.push(
    `Messages spread over ${first?.customers ?? '?'} customers; each figure from ${first?.agentFirstSync.count ?? '?'} different accounts (a login, a first sync, a replay). Login includes the HTTP login (bench hash, N=2^10) and the WebSocket connect.`,
  );
  lines.push('');
  lines.push('### Under load (ms, p50 / p99)');
  lines.push('');
  lines.push(
    '| stored messages | agent inbox | delivery while re-syncing | delivered | re-syncs | re-sync | failures |',
  );
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const level of result.levels) {
    const load = level.underResync;
    lines.push(
      `| ${level.messages.toLocaleString('en-US')} | ${pair(level.agentInbox)} | ${pair(load.delivery)} | ${load.delivered}/${load.expectedDeliveries} | ${load.resync.count} | ${pair(load.resync)} | ${counts(load.failures)} |`,
    );
  }
  lines.push('');
  if (first) {
    lines.push(
      `Agent inbox: an agent console's start, from its socket's connect until it holds both its first \`session.sync\` answer and the \`queue.snapshot\` pushed on connect (${first.agentInbox.count} agents, one at a time, ${first.underResync.acked > 0 ? 'with customers queued' : 'queue as found'}). Delivery: customers send ${first.underResync.rate} msg/s (open loop) for ${RECEIVERS} online agents, from the scheduled send to receipt, while ${first.underResync.resyncClients} clients (a fifth agents) each re-sync at most every ${RESYNC_INTERVAL_MS} ms, alternately a full sync and one page from a cursor halfway through the history.`,
    );
    lines.push('');
  }
  lines.push(
    '### Reconnect storm (the node restarts; every client reconnects and re-syncs at once)',
  );
  lines.push('');
  lines.push(
    '| stored messages | clients | stop / start | all re-synced after ready | re-synced after ready (ms) | re-sync (ms) | retries | failures |',
  );
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const level of result.levels) {
    const storm = level.storm;
    lines.push(
      `| ${level.messages.toLocaleString('en-US')} | ${storm.customers} customers + ${storm.agents} agents | ${storm.stopSeconds} s / ${storm.startSeconds} s | ${storm.allSyncedSeconds} s | ${pair(storm.syncedAfter)} | ${pair(storm.resync)} | ${counts(storm.retries)} | ${counts(storm.failures)} |`,
    );
  }
  lines.push('');
  lines.push(
    `The clients, spread over ${STORM_LOADGENS} load generator processes, are connected and hold the cursor a sync answered before the restart. The node is stopped with SIGTERM (it closes every socket) and started again on the same stores, port and token secret; from its readiness every client opens a new socket with its token and syncs from its cursor until \`hasMore\` is false. A refused handshake or a sync not answered is retried after 500 ms doubling to 3 s (±50 %), as the apps do; a client not re-synced ${STORM_DEADLINE_MS / 1000} s after readiness is a failure.`,
  );
  lines.push('');
  return lines;
}

/** Target rows for the history scale, judged at its largest level. */
export function historyTargets(result: HistoryResult | null | undefined): TargetCheck[] {
  const deepest = result?.levels.at(-1);
  if (!deepest) return [];
  const stored = deepest.messages.toLocaleString('en-US');
  const { storm } = deepest;
  const failures = total(storm.failures);
  return [
    {
      id: 'first-sync',
      name: `first sync at ${stored} stored messages`,
      target: 'p99 <= 50 ms (agent and customer)',
      measured: `agent ${round(deepest.agentFirstSync.p99)} ms, customer ${round(deepest.customerFirstSync.p99)} ms`,
      met: deepest.agentFirstSync.p99 <= 50 && deepest.customerFirstSync.p99 <= 50,
    },
    {
      id: 'replay',
      name: `replay from a cursor at ${stored} stored messages`,
      target: 'p99 <= 20 ms',
      measured: `agent ${round(deepest.agentReplay50.p99)} ms, customer ${round(deepest.customerReplay.p99)} ms`,
      met: deepest.agentReplay50.p99 <= 20 && deepest.customerReplay.p99 <= 20,
    },
    {
      id: 'reconnect-storm',
      name: `reconnect storm at ${stored} stored messages`,
      target:
        '10,000 customers + 200 agents re-synced within 10 s of the new node ready, 0 failures (at 1,000,000)',
      measured: `${storm.customers} customers + ${storm.agents} agents in ${storm.allSyncedSeconds} s, ${failures} failures, ${total(storm.retries)} retries`,
      met:
        storm.allSyncedSeconds <= 10 &&
        failures === 0 &&
        storm.synced === storm.customers + storm.agents &&
        storm.customers >= 10_000 &&
        storm.agents >= 200 &&
        deepest.messages >= 1_000_000,
    },
  ];
}
