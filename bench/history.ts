// History scale: does a sync stay fast as the stored history grows? Messages are inserted
// straight into the product's database (as the bench inserts accounts), a product node is
// started on it, and logins with their first sync, and replays from a cursor, are timed for an
// agent (reads across every customer) and for a customer (its own messages).
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { MessageDoc } from '../server/src/store/mongo';
import type { BenchAccount } from './loadgen';
import {
  cheapPasswordHash,
  insertAccounts,
  startProduct,
  type ServerEntry,
  type Stores,
} from './lib/stack';
import { round, summarize, type LatencySummary } from './lib/stats';

export interface HistorySizes {
  /** Stored messages at each level, spread over `historyCustomers` customers. */
  historyLevels: number[];
  historyCustomers: number;
  /** Logins (each a different account, so no user's own rate limit is in the way) per figure. */
  historySamples: number;
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
}

export interface HistoryResult {
  levels: HistoryLevel[];
}

type Log = (message: string) => void;

interface SyncAnswer {
  ok: boolean;
  messages?: { seq: number }[];
  cursor?: number;
  error?: { code: string };
}

async function login(url: string, account: BenchAccount): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  if (!response.ok) throw new Error(`login ${account.login}: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

function connect(url: string, token: string): Promise<Socket> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('connect_error', reject);
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
}

export async function historyScenario(
  stores: Stores,
  sizes: HistorySizes,
  entry: ServerEntry,
  log: Log,
): Promise<HistoryResult> {
  const levels: HistoryLevel[] = [];
  for (const messages of sizes.historyLevels) {
    const db = `bench_history_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
    const hash = cheapPasswordHash();
    const samples = sizes.historySamples;
    const agents = await insertAccounts(stores, db, 'agent', samples, 'hist-agent', hash);
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
    const seedSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    const cluster = await startProduct(stores, 1, entry, db);
    try {
      const url = cluster.nodes[0]?.url ?? '';
      // The node fills its replay index from storage at start-up; wait for it.
      const warmedBelow = firstSeq + Math.max(0, messages - 10_000);
      for (;;) {
        const from = await stores.redis.get('cc:replay:from');
        if (from !== null && Number(from) <= warmedBelow) break;
        if (performance.now() - started > 20 * 60_000) throw new Error('replay index not warmed');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const indexWarmSeconds = (performance.now() - started) / 1000;
      log(
        `history ${messages}: stored in ${round(seedSeconds, 1)} s, index warm in ${round(indexWarmSeconds, 1)} s`,
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
      levels.push({
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
      });
      log(
        `history ${messages}: agent first sync p99 ${round(agent.firstSync.p99)} ms, replay p99 ${round(agent.replay.p99)} ms; ` +
          `customer first sync p99 ${round(customer.firstSync.p99)} ms, replay p99 ${round(customer.replay.p99)} ms`,
      );
    } finally {
      await cluster.stop();
    }
  }
  return { levels };
}

/** The history section of results.md. */
export function historyMarkdown(result: HistoryResult | null | undefined): string[] {
  if (!result || result.levels.length === 0) return [];
  const ms = (value: number): string => (Number.isNaN(value) ? 'n/a' : `${round(value, 1)}`);
  const lines = [
    '## History scale (product only; ms, p50 / p99)',
    '',
    '| stored messages | stored in | index warm | agent login | agent first sync | agent replay 50 back | customer login | customer first sync | customer replay |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const level of result.levels) {
    const pair = (s: LatencySummary) => `${ms(s.p50)} / ${ms(s.p99)}`;
    lines.push(
      `| ${level.messages.toLocaleString('en-US')} | ${level.seedSeconds} s | ${level.indexWarmSeconds} s | ${pair(level.agentLogin)} | ${pair(level.agentFirstSync)} | ${pair(level.agentReplay50)} | ${pair(level.customerLogin)} | ${pair(level.customerFirstSync)} | ${pair(level.customerReplay)} |`,
    );
  }
  lines.push('');
  lines.push(
    `Messages spread over ${result.levels[0]?.customers ?? '?'} customers; each figure from ${result.levels[0]?.agentFirstSync.count ?? '?'} different accounts (a login, a first sync, a replay). Login includes the HTTP login (bench hash, N=2^10) and the WebSocket connect.`,
  );
  lines.push('');
  return lines;
}
