// Side-by-side measurement of MongoDB-compatible stores (issue 11): the product's lookups on
// 10,000 customers and 100,000 messages, per backend given as name=url.
//
//   npx tsx bench/storeBackends.ts sqlite=mongodb://127.0.0.1:PORT/ pg=mongodb://127.0.0.1:PORT2/
//
// Each backend gets a fresh database `bench_store` with the product's indexes (see
// server/src/store/mongo.ts). Reads run one at a time (latency of one request), inserts as
// groupCommit sends them: one unordered `insert` command of 32 documents. Each operation runs
// up to its count or BENCH_SECONDS (default 15) seconds. Prints a Markdown table and the
// plan FerretDB reports (explain) for each query.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MongoClient, MongoServerError, type Db, type Document } from 'mongodb';
import { summarize } from './lib/stats';

const customersCount = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const messagesCount = Number(process.env.BENCH_MESSAGES ?? 100_000);
const secondsPerOp = Number(process.env.BENCH_SECONDS ?? 15);
const batch = 32;

interface Row {
  backend: string;
  op: string;
  count: number;
  opsPerSec: number;
  p50: number;
  p99: number;
}

function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

function customerDoc(i: number): Document {
  const now = new Date();
  return {
    _id: `cust-${String(i)}`,
    login: `customer${String(i)}`,
    displayName: `Customer ${String(i)}`,
    passwordHash: 'scrypt$' + 'x'.repeat(80),
    disabled: false,
    email: `customer${String(i)}@example.com`,
    createdAt: now,
    updatedAt: now,
    tier: i % 3 === 0 ? 'gold' : 'standard',
    phone: null,
    company: null,
    customerSince: now,
    notes: null,
  };
}

function messageDoc(seq: number): Document {
  const customer = seq % customersCount;
  const fromAgent = seq % 2 === 1;
  const senderKey = fromAgent
    ? `agent:agent-${String(seq % 20)}`
    : `customer:cust-${String(customer)}`;
  return {
    _id: randomUUID(),
    seq,
    clientMsgId: `m-${String(seq)}`,
    senderKey,
    sender: {
      role: fromAgent ? 'agent' : 'customer',
      id: senderKey.split(':')[1],
      displayName: 'Someone',
    },
    customerId: `cust-${String(customer)}`,
    conversationId: `conv-${String(customer)}-${String(Math.floor(seq / (customersCount * 3)))}`,
    text: `message number ${String(seq)} with some ordinary chat text in it`,
    priority: 0,
    createdAt: new Date(),
  };
}

async function createIndexes(db: Db): Promise<void> {
  await db
    .collection('customers')
    .createIndex({ login: 1 }, { unique: true, name: 'login_unique' }, undefined);
  const messages = db.collection('messages');
  await messages.createIndex(
    { senderKey: 1, clientMsgId: 1 },
    { unique: true, name: 'sender_clientMsgId_unique' },
    undefined,
  );
  await messages.createIndex({ customerId: 1, seq: 1 });
  await messages.createIndex({ conversationId: 1, seq: 1 });
  await messages.createIndex({ seq: 1 }, { unique: true, name: 'seq_unique' }, undefined);
}

async function load(db: Db): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < customersCount; i += 1000) {
    const docs = [];
    for (let j = i; j < Math.min(customersCount, i + 1000); j++) docs.push(customerDoc(j));
    await db.collection('customers').insertMany(docs, { ordered: false });
  }
  for (let i = 0; i < messagesCount; i += 1000) {
    const docs = [];
    for (let j = i; j < Math.min(messagesCount, i + 1000); j++) docs.push(messageDoc(j));
    await db.collection('messages').insertMany(docs, { ordered: false });
  }
  return (performance.now() - started) / 1000;
}

async function measure(
  backend: string,
  op: string,
  maxCount: number,
  run: () => Promise<number>,
): Promise<Row> {
  const samples: number[] = [];
  let items = 0;
  const deadline = performance.now() + secondsPerOp * 1000;
  const started = performance.now();
  while (samples.length < maxCount && (samples.length < 20 || performance.now() < deadline)) {
    const t0 = performance.now();
    items += await run();
    samples.push(performance.now() - t0);
  }
  const elapsed = (performance.now() - started) / 1000;
  const summary = summarize(samples);
  return {
    backend,
    op,
    count: samples.length,
    opsPerSec: items / elapsed,
    p50: summary.p50,
    p99: summary.p99,
  };
}

/** The plan FerretDB reports, condensed: pushdown flags and the scan/index nodes. */
function describePlan(explain: Document): string {
  const text = JSON.stringify(explain);
  const flags = ['filterPushdown', 'sortPushdown', 'limitPushdown']
    .map((flag) => `${flag}=${String((explain as Record<string, unknown>)[flag])}`)
    .join(' ');
  const nodes = new Set<string>();
  for (const match of text.matchAll(/"Node Type":"([^"]+)"/g)) nodes.add(match[1] ?? '');
  for (const match of text.matchAll(/"Index Name":"([^"]+)"/g))
    nodes.add(`index ${match[1] ?? ''}`);
  for (const match of text.matchAll(/(SCAN [^"]*|SEARCH [^"]*)/g)) nodes.add(match[1] ?? '');
  return `${flags}; ${[...nodes].join(', ')}`;
}

async function benchBackend(
  backend: string,
  url: string,
): Promise<{ rows: Row[]; plans: string[] }> {
  const client = new MongoClient(url, { directConnection: true });
  await client.connect();
  const db = client.db('bench_store');
  await db.dropDatabase();
  await createIndexes(db);
  const loadSeconds = await load(db);
  console.error(
    `${backend}: loaded ${String(customersCount)} customers, ${String(messagesCount)} messages in ${loadSeconds.toFixed(1)} s`,
  );
  const customers = db.collection('customers');
  const messages = db.collection<{ _id: string } & Document>('messages');
  const ids = (
    await messages
      .find({}, { projection: { _id: 1 } })
      .limit(5000)
      .toArray()
  ).map((d) => d._id);
  const rows: Row[] = [];
  const plans: string[] = [];

  const queries: [string, number, () => Promise<number>, () => Promise<Document>][] = [
    [
      'findOne({login})',
      2000,
      async () =>
        (await customers.findOne({
          login: `customer${String(Math.floor(Math.random() * customersCount))}`,
        }))
          ? 1
          : 0,
      () => customers.find({ login: 'customer7' }).limit(1).explain(),
    ],
    [
      'find({customerId})',
      1000,
      async () => {
        await messages
          .find({ customerId: `cust-${String(Math.floor(Math.random() * customersCount))}` })
          .toArray();
        return 1;
      },
      () => messages.find({ customerId: 'cust-7' }).explain(),
    ],
    [
      'find({customerId}).sort({seq:-1}).limit(500)',
      1000,
      async () => {
        await messages
          .find({ customerId: `cust-${String(Math.floor(Math.random() * customersCount))}` })
          .sort({ seq: -1 })
          .limit(500)
          .toArray();
        return 1;
      },
      () => messages.find({ customerId: 'cust-7' }).sort({ seq: -1 }).limit(500).explain(),
    ],
    [
      'findOne({senderKey, clientMsgId})',
      2000,
      async () => {
        const seq = Math.floor(Math.random() * messagesCount);
        const doc = messageDoc(seq);
        return (await messages.findOne({
          senderKey: doc.senderKey as string,
          clientMsgId: doc.clientMsgId as string,
        }))
          ? 1
          : 0;
      },
      () => messages.find({ senderKey: 'customer:cust-2', clientMsgId: 'm-2' }).limit(1).explain(),
    ],
    [
      'findOne({_id})',
      2000,
      async () => ((await messages.findOne({ _id: pick(ids) })) ? 1 : 0),
      () =>
        messages
          .find({ _id: pick(ids) })
          .limit(1)
          .explain(),
    ],
  ];
  for (const [op, count, run, explain] of queries) {
    rows.push(await measure(backend, op, count, run));
    plans.push(`${backend} ${op}: ${describePlan(await explain())}`);
  }

  let nextSeq = messagesCount;
  rows.push(
    await measure(backend, `insert command, ${String(batch)} docs (per doc)`, 300, async () => {
      const docs = [];
      for (let i = 0; i < batch; i++) docs.push(messageDoc(nextSeq++));
      const reply = await db.command({ insert: 'messages', documents: docs, ordered: false });
      if (reply.n !== batch) throw new Error(`inserted ${String(reply.n)} of ${String(batch)}`);
      return batch;
    }),
  );
  rows.push(
    await measure(backend, 'updateOne({_id}, {$set})', 2000, async () => {
      const result = await messages.updateOne(
        { _id: pick(ids) },
        { $set: { priority: Math.random() } },
      );
      return result.matchedCount;
    }),
  );

  // Unique indexes: a second send with the same key, and a second message with the same seq.
  for (const [what, doc] of [
    ['{senderKey,clientMsgId}', { ...messageDoc(1), _id: randomUUID(), seq: -1 }],
    ['{seq}', { ...messageDoc(2), _id: randomUUID(), clientMsgId: 'other' }],
  ] as const) {
    try {
      await messages.insertOne(doc);
      plans.push(`${backend} unique ${what}: NOT enforced (insert accepted)`);
    } catch (error) {
      const code = error instanceof MongoServerError ? String(error.code) : String(error);
      plans.push(`${backend} unique ${what}: duplicate refused with code ${code}`);
    }
  }
  await db.dropDatabase();
  await client.close();
  return { rows, plans };
}

async function main(): Promise<void> {
  const targets = process.argv.slice(2).map((arg) => {
    const [name, ...rest] = arg.split('=');
    return { name: name ?? '', url: rest.join('=') };
  });
  if (targets.length === 0 || targets.some((t) => t.name === '' || t.url === '')) {
    throw new Error('usage: tsx bench/storeBackends.ts name=mongodb://... [name=mongodb://...]');
  }
  const rows: Row[] = [];
  const plans: string[] = [];
  for (const target of targets) {
    const result = await benchBackend(target.name, target.url);
    rows.push(...result.rows);
    plans.push(...result.plans);
  }
  console.log('| operation | backend | samples | ops/s | p50 ms | p99 ms |');
  console.log('|---|---|---:|---:|---:|---:|');
  const ops = [...new Set(rows.map((row) => row.op))];
  for (const op of ops) {
    for (const row of rows.filter((r) => r.op === op)) {
      console.log(
        `| ${op} | ${row.backend} | ${String(row.count)} | ${row.opsPerSec.toFixed(0)} | ${row.p50.toFixed(2)} | ${row.p99.toFixed(2)} |`,
      );
    }
  }
  console.log('');
  for (const plan of plans) console.log(`- ${plan}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
