// A load generator: one process holding many socket.io-client connections, driven by the bench
// runner over IPC. Several run at once, each in its own process, so the load they put on the
// server is not limited by one event loop and their own work is kept out of the server's.
import { MongoClient, type Collection } from 'mongodb';
import { GroupCommit, MESSAGE_PAGE_SIZE, insertEach } from '@callcenter/server/storage';
import { ask, type AnyRoleEvents, type ClientSocket } from '@callcenter/client';
import { serve } from './lib/ipc';
import { connectSocket } from '@callcenter/devstack/sockets';
import { preciseNow } from './lib/stats';
import { count, pool } from './lib/work';

export interface BenchAccount {
  role: 'agent' | 'customer';
  login: string;
  password: string;
}

/** Agents and customers alike: the runner names the groups, the calls say what each sends. */
type Socket = ClientSocket<AnyRoleEvents>;

export interface SendResult {
  sent: number;
  acked: number;
  failures: Record<string, number>;
  /** How far behind its schedule the generator fell at worst (its own saturation). */
  maxLagMs: number;
  ackLatencies: number[];
}

export interface TakeResult {
  latencies: number[];
  /** Conversation ids (one per request) this process's agents took, in order. */
  taken: string[];
  failures: Record<string, number>;
}

export interface LoadgenApi {
  login(arg: { url: string; accounts: BenchAccount[]; concurrency: number }): Promise<string[]>;
  connect(arg: {
    url: string;
    /** One URL per socket (several nodes), overriding `url`. */
    urls?: string[];
    tokens: string[];
    group: string;
    recordDeliveries?: boolean;
    concurrency: number;
  }): Promise<{ connected: number; failures: Record<string, number> }>;
  requestChats(arg: {
    group: string;
  }): Promise<{ requestIds: string[]; failures: Record<string, number> }>;
  /**
   * Each agent presses Start Chat (and ends the chat it got) until the queue is empty. With
   * `rate`, presses follow an open-loop random schedule at that many per second over all of
   * this process's agents; without, each agent presses again as soon as it is free.
   */
  take(arg: {
    group: string;
    untilEmpty: boolean;
    rate?: number;
    /** Stop pressing after this long even if the queue is not empty. */
    maxMs?: number;
  }): Promise<TakeResult>;
  send(arg: { group: string; rate: number; durationMs: number }): Promise<SendResult>;
  deliveries(arg: { reset: boolean }): Promise<{ latencies: number[] }>;
  deliveryCount(arg: null): Promise<number>;
  disconnect(arg: { group: string }): Promise<number>;
  churn(arg: {
    url: string;
    accounts: BenchAccount[];
    durationMs: number;
  }): Promise<{ cycles: number; failures: Record<string, number>; latencies: number[] }>;
  storeInserts(arg: {
    mongodbUrl: string;
    db: string;
    durationMs: number;
    concurrency: number;
  }): Promise<{ inserts: number; latencies: number[] }>;
  /**
   * Message documents inserted on an open-loop schedule (`rate` per second), batched the way
   * the server batches them (GroupCommit): the store's own latency at the delivery rate.
   */
  storeOpenLoop(arg: {
    mongodbUrl: string;
    db: string;
    rate: number;
    durationMs: number;
  }): Promise<{ inserted: number; failed: number; latencies: number[]; batches: number }>;
  /** Lookups by _id in a collection of `documents` account-sized documents. */
  storeReads(arg: {
    mongodbUrl: string;
    db: string;
    documents: number;
    durationMs: number;
  }): Promise<{ latencies: number[] }>;
}

/** A message document shaped like the server's. */
interface RawMessage {
  _id: string;
  seq: number;
  page: number;
  clientMsgId: string;
  senderKey: string;
  sender: { role: 'customer'; id: string; displayName: string };
  customerId: string;
  conversationId: string;
  text: string;
  priority: number;
  createdAt: Date;
}

function rawMessage(worker: number, n: number, at: number): RawMessage {
  return {
    _id: `raw-${worker}-${n}`,
    seq: n,
    page: Math.floor(n / MESSAGE_PAGE_SIZE),
    clientMsgId: `c${worker}x${n}`,
    senderKey: `customer:raw-${worker}`,
    sender: { role: 'customer', id: `raw-${worker}`, displayName: 'Raw Insert' },
    customerId: `raw-${worker}`,
    conversationId: `conv-${worker}`,
    text: at.toFixed(3),
    priority: 1,
    createdAt: new Date(),
  };
}

/** The same indexes the server keeps on its messages collection. */
async function createMessageIndexes(collection: Collection<RawMessage>): Promise<void> {
  await Promise.all([
    collection.createIndex({ senderKey: 1, clientMsgId: 1 }, { unique: true }, undefined),
    collection.createIndex({ seq: 1 }),
    collection.createIndex({ customerId: 1, seq: 1 }),
    collection.createIndex({ conversationId: 1, seq: 1 }),
    collection.createIndex({ page: 1 }),
  ]);
}

const ACK_TIMEOUT_MS = 30_000;
const groups = new Map<string, Socket[]>();
let deliveryLatencies: number[] = [];

async function loginOnce(url: string, account: BenchAccount): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  if (response.status !== 200) {
    throw new Error(`login ${account.login}: HTTP ${response.status} ${await response.text()}`);
  }
  return ((await response.json()) as { token: string }).token;
}

function sockets(group: string): Socket[] {
  const found = groups.get(group);
  if (!found) throw new Error(`no socket group ${group}`);
  return found;
}

/** Exponentially distributed gap with the given mean: presses arrive as a Poisson process. */
function randomGap(meanMs: number): number {
  return -Math.log(1 - Math.random()) * meanMs;
}

async function takeLoop(
  socket: Socket,
  untilEmpty: boolean,
  meanGapMs: number,
  deadline: number,
  result: TakeResult,
): Promise<void> {
  let nextAt = preciseNow() + randomGap(meanGapMs);
  for (;;) {
    const wait = nextAt - preciseNow();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (preciseNow() > deadline) return;
    const started = preciseNow();
    nextAt += randomGap(meanGapMs);
    let answer;
    try {
      answer = await ask(socket, 'chat.start', {}, ACK_TIMEOUT_MS);
    } catch {
      count(result.failures, 'timeout');
      return;
    }
    result.latencies.push(preciseNow() - started);
    if (!answer.ok) {
      const code = answer.error.code;
      if (code !== 'not_found') count(result.failures, code);
      return;
    }
    const conversationId = answer.conversation.id;
    result.taken.push(conversationId);
    if (!untilEmpty) return;
    const ended = await ask(socket, 'chat.end', { conversationId }, ACK_TIMEOUT_MS).catch(
      () => null,
    );
    if (!ended?.ok) count(result.failures, `end:${ended?.error.code ?? 'timeout'}`);
  }
}

let messageCounter = 0;

serve<LoadgenApi>(
  {
    async login({ url, accounts, concurrency }) {
      const tokens: string[] = new Array<string>(accounts.length);
      await pool(accounts, concurrency, async (account, index) => {
        tokens[index] = await loginOnce(url, account);
      });
      return tokens;
    },

    async connect({ url, urls, tokens, group, recordDeliveries = false, concurrency }) {
      const opened: Socket[] = groups.get(group) ?? [];
      groups.set(group, opened);
      const failures: Record<string, number> = {};
      await pool(tokens, concurrency, async (token, index) => {
        try {
          const socket = await connectSocket<AnyRoleEvents>(urls?.[index] ?? url, token, {
            timeoutMs: 60_000,
          });
          if (recordDeliveries) {
            socket.on('message.new', (message: { text: string }) => {
              deliveryLatencies.push(preciseNow() - Number(message.text));
            });
          }
          opened.push(socket);
        } catch (error) {
          count(failures, error instanceof Error ? error.message : 'error');
        }
      });
      return { connected: opened.length, failures };
    },

    async requestChats({ group }) {
      const requestIds: string[] = [];
      const failures: Record<string, number> = {};
      await pool(sockets(group), 500, async (socket) => {
        const answer = await ask(socket, 'chat.request', {}, ACK_TIMEOUT_MS).catch(() => null);
        if (answer?.ok && answer.state.conversationId) requestIds.push(answer.state.conversationId);
        else count(failures, answer?.ok === false ? answer.error.code : 'timeout');
      });
      return { requestIds, failures };
    },

    async take({ group, untilEmpty, rate, maxMs }) {
      const result: TakeResult = { latencies: [], taken: [], failures: {} };
      const agents = sockets(group);
      const meanGapMs = rate ? (1000 * agents.length) / rate : 0;
      const deadline = maxMs === undefined ? Infinity : preciseNow() + maxMs;
      await Promise.all(
        agents.map((socket) => takeLoop(socket, untilEmpty, meanGapMs, deadline, result)),
      );
      return result;
    },

    async send({ group, rate, durationMs }) {
      const senders = sockets(group);
      const total = Math.floor((rate * durationMs) / 1000);
      const interval = 1000 / rate;
      const result: SendResult = { sent: 0, acked: 0, failures: {}, maxLagMs: 0, ackLatencies: [] };
      let outstanding = 0;
      let allSent = false;
      const start = preciseNow() + 2;
      await new Promise<void>((resolve) => {
        const settleIfDone = (): void => {
          if (allSent && outstanding === 0) resolve();
        };
        const sendOne = (index: number, scheduled: number): void => {
          const socket = senders[index % senders.length] as Socket;
          outstanding += 1;
          messageCounter += 1;
          const payload = {
            clientMsgId: `b${process.pid}m${messageCounter}`,
            text: scheduled.toFixed(3),
          };
          ask(socket, 'message.send', payload, ACK_TIMEOUT_MS)
            .then(
              (answer) => {
                if (answer.ok) {
                  result.acked += 1;
                  result.ackLatencies.push(preciseNow() - scheduled);
                } else count(result.failures, answer.error.code);
              },
              () => {
                count(result.failures, 'timeout');
              },
            )
            .finally(() => {
              outstanding -= 1;
              settleIfDone();
            });
        };
        const tick = (): void => {
          const now = preciseNow();
          while (result.sent < total) {
            const scheduled = start + result.sent * interval;
            if (scheduled > now) break;
            result.maxLagMs = Math.max(result.maxLagMs, now - scheduled);
            sendOne(result.sent, scheduled);
            result.sent += 1;
          }
          if (result.sent >= total) {
            allSent = true;
            settleIfDone();
            return;
          }
          setTimeout(tick, Math.max(0, Math.min(1, start + result.sent * interval - preciseNow())));
        };
        setTimeout(tick, 2);
      });
      return result;
    },

    deliveries({ reset }) {
      const latencies = deliveryLatencies;
      if (reset) deliveryLatencies = [];
      return Promise.resolve({ latencies });
    },

    deliveryCount() {
      return Promise.resolve(deliveryLatencies.length);
    },

    disconnect({ group }) {
      const closing = groups.get(group) ?? [];
      for (const socket of closing) socket.close();
      groups.delete(group);
      return Promise.resolve(closing.length);
    },

    async churn({ url, accounts, durationMs }) {
      const failures: Record<string, number> = {};
      const latencies: number[] = [];
      let cycles = 0;
      const deadline = preciseNow() + durationMs;
      await Promise.all(
        accounts.map(async (account) => {
          while (preciseNow() < deadline) {
            const started = preciseNow();
            try {
              const socket = await connectSocket<AnyRoleEvents>(
                url,
                await loginOnce(url, account),
                {
                  timeoutMs: 60_000,
                },
              );
              socket.close();
              cycles += 1;
              latencies.push(preciseNow() - started);
            } catch (error) {
              count(failures, error instanceof Error ? error.message.slice(0, 60) : 'error');
            }
          }
        }),
      );
      return { cycles, failures, latencies };
    },

    async storeInserts({ mongodbUrl, db, durationMs, concurrency }) {
      const client = new MongoClient(mongodbUrl);
      try {
        const collection = client.db(db).collection<RawMessage>('messages');
        await createMessageIndexes(collection);
        const latencies: number[] = [];
        let inserts = 0;
        const deadline = preciseNow() + durationMs;
        await Promise.all(
          Array.from({ length: concurrency }, async (_, worker) => {
            while (preciseNow() < deadline) {
              const n = inserts++;
              const started = preciseNow();
              await collection.insertOne(rawMessage(worker, n, started));
              latencies.push(preciseNow() - started);
            }
          }),
        );
        await client.db(db).dropDatabase();
        return { inserts: latencies.length, latencies };
      } finally {
        await client.close();
      }
    },

    async storeOpenLoop({ mongodbUrl, db, rate, durationMs }) {
      const client = new MongoClient(mongodbUrl);
      try {
        const collection = client.db(db).collection<RawMessage>('messages');
        await createMessageIndexes(collection);
        let batches = 0;
        const commits = new GroupCommit<RawMessage, boolean>(
          (docs) => {
            batches += 1;
            return insertEach(collection, docs);
          },
          // As the server's MessagesRepository.
          { maxBatch: 500, concurrency: 2 },
        );
        const latencies: number[] = [];
        let failed = 0;
        const total = Math.round((rate * durationMs) / 1000);
        const interval = 1000 / rate;
        const pending: Promise<void>[] = [];
        const start = preciseNow();
        let sent = 0;
        await new Promise<void>((resolve) => {
          const tick = (): void => {
            const now = preciseNow();
            while (sent < total && start + sent * interval <= now) {
              const scheduled = start + sent * interval;
              pending.push(
                commits.submit(rawMessage(0, sent, scheduled)).then(
                  () => {
                    latencies.push(preciseNow() - scheduled);
                  },
                  () => {
                    failed += 1;
                  },
                ),
              );
              sent += 1;
            }
            if (sent >= total) resolve();
            else setTimeout(tick, Math.max(0, Math.min(1, start + sent * interval - now)));
          };
          setTimeout(tick, 2);
        });
        await Promise.all(pending);
        await client.db(db).dropDatabase();
        return { inserted: latencies.length, failed, latencies, batches };
      } finally {
        await client.close();
      }
    },

    async storeReads({ mongodbUrl, db, documents, durationMs }) {
      const client = new MongoClient(mongodbUrl);
      try {
        const collection = client
          .db(db)
          .collection<{ _id: string; login: string; notes: string }>('accounts');
        for (let i = 0; i < documents; i += 1000) {
          const batch = Array.from({ length: Math.min(1000, documents - i) }, (_, j) => ({
            _id: `doc-${i + j}`,
            login: `login-${i + j}`,
            notes: 'x'.repeat(200),
          }));
          await collection.insertMany(batch);
        }
        const latencies: number[] = [];
        const deadline = preciseNow() + durationMs;
        while (preciseNow() < deadline) {
          const started = preciseNow();
          await collection.findOne({ _id: `doc-${Math.floor(Math.random() * documents)}` });
          latencies.push(preciseNow() - started);
        }
        await client.db(db).dropDatabase();
        return { latencies };
      } finally {
        await client.close();
      }
    },
  },
  { keepAlive: true },
);
