// The store stays live under many concurrent updates. FerretDB's PostgreSQL backend holds two
// pooled connections per update (tools/ferretdb/poolsize.go); with its upstream pool of 50, 50
// updates at once left every command after them waiting for good. Nodes open at most
// MAX_STORE_CONNECTIONS each; here a client opens five nodes' worth and updates with all of
// them at once.
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { expect, inject, it } from 'vitest';
import { MAX_STORE_CONNECTIONS } from '../src/store/mongo';

const NODES = 5;
const ROUNDS = 10;

it('answers as many concurrent updates as five nodes can send, and then still answers', async () => {
  const concurrency = NODES * MAX_STORE_CONNECTIONS;
  const client = new MongoClient(inject('mongodbUrl'), {
    maxPoolSize: concurrency,
    // Opened up front: the driver otherwise opens connections two at a time and the updates
    // would not really run at once.
    minPoolSize: concurrency,
    maxConnecting: concurrency,
    // A stalled store fails the test in seconds instead of hanging it.
    socketTimeoutMS: 20_000,
    serverSelectionTimeoutMS: 5_000,
  });
  const db = client.db(`store_concurrency_${randomUUID().slice(0, 8)}`);
  try {
    const docs = db.collection<{ _id: string; count: number }>('docs');
    const ids = Array.from({ length: concurrency }, (_, i) => `doc-${i}`);
    await docs.insertMany(ids.map((_id) => ({ _id, count: 0 })));
    for (let round = 0; round < ROUNDS; round += 1) {
      const results = await Promise.all(
        ids.map((_id) => docs.updateOne({ _id }, { $inc: { count: 1 } })),
      );
      expect(results.every((result) => result.modifiedCount === 1)).toBe(true);
    }
    expect(await docs.countDocuments({ count: ROUNDS })).toBe(concurrency);
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}, 120_000);
