import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  findOnPath,
  findPostgresBinDir,
  findRepoRoot,
  RedisProcess,
  startMongo,
  type MongoHandle,
} from './embeddedServices';

describe('RedisProcess', () => {
  let dataDir: string;
  let redis: RedisProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'callcenter-test-redis-'));
    // 'always' fsyncs each write before replying, so even SIGKILL loses nothing acknowledged.
    redis = await RedisProcess.start({ dataDir, appendfsync: 'always' });
  });

  afterAll(async () => {
    await redis.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  async function withClient<T>(use: (client: Redis) => Promise<T>): Promise<T> {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 0, lazyConnect: true });
    try {
      await client.connect();
      return await use(client);
    } finally {
      client.disconnect();
    }
  }

  it('listens on loopback and answers commands', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(redis.running).toBe(true);
    await withClient(async (client) => {
      expect(await client.ping()).toBe('PONG');
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    });
  });

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'keeps data across a %s restart on the same port',
    async (signal) => {
      const portBefore = redis.port;
      await withClient(async (client) => {
        await client.set(`survives-${signal}`, 'yes');
      });

      await redis.stop(signal);
      expect(redis.running).toBe(false);
      await redis.start();

      expect(redis.port).toBe(portBefore);
      await withClient(async (client) => {
        expect(await client.get(`survives-${signal}`)).toBe('yes');
      });
    },
  );
});

describe('MongoDB from globalSetup', () => {
  let client: MongoClient;

  beforeAll(async () => {
    client = new MongoClient(inject('mongodbUrl'), { serverSelectionTimeoutMS: 10_000 });
    await client.connect();
  });

  afterAll(async () => {
    await client.close();
  });

  it('answers a ping', async () => {
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
  });

  // The features the server relies on, which FerretDB v1 must support too.
  it('supports unique indexes, sorted finds and aggregation', async () => {
    const db = client.db(`embedded_services_${String(Date.now())}`);
    try {
      const messages = db.collection<{ conversation: string; seq: number }>('messages');
      await messages.createIndex({ conversation: 1, seq: 1 }, { unique: true }, undefined);
      await messages.insertMany([
        { conversation: 'a', seq: 2 },
        { conversation: 'a', seq: 1 },
        { conversation: 'b', seq: 1 },
      ]);

      const duplicate = messages.insertOne({ conversation: 'a', seq: 1 });
      await expect(duplicate).rejects.toBeInstanceOf(MongoServerError);
      await expect(duplicate).rejects.toMatchObject({ code: 11000 });

      const newestFirst = await messages.find({ conversation: 'a' }).sort({ seq: -1 }).toArray();
      expect(newestFirst.map((message) => message.seq)).toEqual([2, 1]);

      const perConversation = await messages
        .aggregate<{ _id: string; count: number }>([
          { $group: { _id: '$conversation', count: { $sum: 1 } } },
          { $sort: { _id: 1 } },
        ])
        .toArray();
      expect(perConversation).toEqual([
        { _id: 'a', count: 2 },
        { _id: 'b', count: 1 },
      ]);
    } finally {
      await db.dropDatabase();
    }
  });
});

// Needs PostgreSQL's server binaries and Go (to build tools/ferretdb), as `npm start` does.
const canRunFerretDbOnPostgres =
  findPostgresBinDir() !== undefined && findOnPath('go') !== undefined;

describe.runIf(canRunFerretDbOnPostgres)('FerretDB on a private PostgreSQL cluster', () => {
  let dataDir: string;
  let mongo: MongoHandle;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'callcenter-test-ferretdb-pg-'));
    mongo = await startMongo({ dataDir, kind: 'ferretdb-postgresql', durable: false });
  }, 120_000);

  afterAll(async () => {
    await mongo.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers equality lookups from an index and enforces unique indexes', async () => {
    expect(mongo.kind).toBe('ferretdb-postgresql');
    const client = new MongoClient(mongo.url, { serverSelectionTimeoutMS: 10_000 });
    try {
      const messages = client
        .db('ferretdb_pg_lookups')
        .collection<{ senderKey: string; clientMsgId: string }>('messages');
      await messages.createIndex(
        { senderKey: 1, clientMsgId: 1 },
        { unique: true, name: 'sender_clientMsgId_unique' },
        undefined,
      );
      await messages.insertMany(
        Array.from({ length: 200 }, (_, i) => ({
          senderKey: `s${String(i % 7)}`,
          clientMsgId: `m${String(i)}`,
        })),
      );
      const duplicate = messages.insertOne({ senderKey: 's1', clientMsgId: 'm1' });
      await expect(duplicate).rejects.toMatchObject({ code: 11000 });

      const filter = { senderKey: 's3', clientMsgId: 'm3' };
      expect(await messages.findOne(filter)).toMatchObject(filter);
      // FerretDB reports PostgreSQL's plan: the lookup is pushed down and read from an index.
      const plan = JSON.stringify(await messages.find(filter).explain());
      expect(plan).toContain('Bitmap Index Scan');
      expect(plan).toContain('fdbtool_gin_');
    } finally {
      await client.close();
    }
  });

  it('keeps its data across a restart', async () => {
    const write = new MongoClient(mongo.url);
    await write
      .db('ferretdb_pg_restart')
      .collection('kept')
      .insertOne({ _id: 'kept' as never, n: 1 });
    await write.close();

    await mongo.stop();
    mongo = await startMongo({ dataDir, kind: 'ferretdb-postgresql', durable: false });
    const read = new MongoClient(mongo.url);
    try {
      expect(
        await read
          .db('ferretdb_pg_restart')
          .collection('kept')
          .findOne({ _id: 'kept' as never }),
      ).toEqual({
        _id: 'kept',
        n: 1,
      });
    } finally {
      await read.close();
    }
  }, 120_000);
});

describe('findRepoRoot', () => {
  it('finds the workspace root', () => {
    expect(findRepoRoot(join(import.meta.dirname, 'nested', 'dir'))).toBe(
      join(import.meta.dirname, '..', '..'),
    );
  });
});
