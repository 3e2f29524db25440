import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findRepoRoot, RedisProcess } from '../src/dev/embeddedServices';

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

describe('findRepoRoot', () => {
  it('finds the workspace root', () => {
    expect(findRepoRoot(join(import.meta.dirname, 'nested', 'dir'))).toBe(
      join(import.meta.dirname, '..', '..'),
    );
  });
});
