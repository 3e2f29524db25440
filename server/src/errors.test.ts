// isUnavailable against the errors the drivers really produce: ioredis's from real clients
// that cannot reach a server, the MongoDB driver's from its own classes and a real failed
// server selection, and Node's own socket errors.
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis, ReplyError } from 'ioredis';
import {
  MongoClient,
  MongoErrorLabel,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { ProtocolError } from '@callcenter/shared';
import { findFreePort } from '@callcenter/devstack/embedded';
import { isUnavailable } from './errors';

/** The rejection of `promise` (which must reject). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/** A TCP server that accepts connections and never answers: a stuck Redis or MongoDB. */
let silent: Server;
const silentSockets = new Set<Socket>();
let closedPort: number;

beforeAll(async () => {
  silent = createServer((socket) => {
    silentSockets.add(socket);
    socket.on('error', () => undefined);
  });
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  // Nothing listens here: connections are refused at once.
  closedPort = await findFreePort();
});

afterAll(() => {
  for (const socket of silentSockets) socket.destroy();
  silent.close();
});

function silentPort(): number {
  return (silent.address() as AddressInfo).port;
}

describe('ioredis', () => {
  it('no connection and no offline queue: "Stream isn\'t writeable"', async () => {
    const redis = new Redis(closedPort, { lazyConnect: true, enableOfflineQueue: false });
    redis.on('error', () => undefined);
    const error = await rejectionOf(redis.get('key'));
    redis.disconnect();
    expect(error).toMatchObject({
      message: "Stream isn't writeable and enableOfflineQueue options is false",
    });
    expect(isUnavailable(error)).toBe(true);
  });

  it('a closed client: "Connection is closed."', async () => {
    const redis = new Redis(closedPort, { lazyConnect: true });
    redis.disconnect();
    const error = await rejectionOf(redis.get('key'));
    expect(error).toMatchObject({ message: 'Connection is closed.' });
    expect(isUnavailable(error)).toBe(true);
  });

  it('the connection lost with commands waiting: MaxRetriesPerRequestError', async () => {
    const redis = new Redis(closedPort, { lazyConnect: true, maxRetriesPerRequest: 0 });
    redis.on('error', () => undefined);
    const error = await rejectionOf(redis.get('key'));
    redis.disconnect();
    expect(error).toMatchObject({ name: 'MaxRetriesPerRequestError' });
    expect(isUnavailable(error)).toBe(true);
  });

  it('a server that never answers: "Command timed out"', async () => {
    const redis = new Redis(silentPort(), { lazyConnect: true, commandTimeout: 50 });
    redis.on('error', () => undefined);
    const error = await rejectionOf(redis.get('key'));
    redis.disconnect();
    expect(error).toMatchObject({ message: 'Command timed out' });
    expect(isUnavailable(error)).toBe(true);
  });

  it('"not now" replies are transient; other replies are not', () => {
    // ioredis types its re-export of redis-errors' class as `any`.
    const Reply = ReplyError as new (message: string) => Error;
    expect(isUnavailable(new Reply('LOADING Redis is loading the dataset in memory'))).toBe(true);
    expect(isUnavailable(new Reply('BUSY Redis is busy running a script.'))).toBe(true);
    expect(isUnavailable(new Reply('ERR wrong number of arguments'))).toBe(false);
    expect(isUnavailable(new Reply('NOSCRIPT No matching script.'))).toBe(false);
  });
});

describe('MongoDB driver', () => {
  it('a real failed server selection: MongoServerSelectionError', async () => {
    const client = new MongoClient(`mongodb://127.0.0.1:${closedPort}/`, {
      serverSelectionTimeoutMS: 200,
      directConnection: true,
    });
    const error = await rejectionOf(client.db('x').command({ ping: 1 }));
    await client.close();
    expect(error).toBeInstanceOf(MongoServerSelectionError);
    expect(isUnavailable(error)).toBe(true);
  });

  it('network errors, timeouts, a closed topology, and errors wrapping them', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const network = new MongoNetworkError('read ECONNRESET', { cause: reset });
    expect(isUnavailable(network)).toBe(true);
    expect(isUnavailable(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'))).toBe(
      true,
    );
    expect(isUnavailable(new MongoNetworkTimeoutError('connection 3 timed out'))).toBe(true);
    expect(isUnavailable(new MongoTopologyClosedError())).toBe(true);
    expect(isUnavailable(new Error('insert failed', { cause: network }))).toBe(true);
  });

  it('server errors count only with a transient label', () => {
    for (const label of [
      MongoErrorLabel.RetryableWriteError,
      MongoErrorLabel.ResetPool,
      MongoErrorLabel.SystemOverloadedError,
    ]) {
      const error = new MongoServerError({
        errmsg: 'not now',
        code: 189,
        errorLabels: [label],
      });
      expect(isUnavailable(error), label).toBe(true);
    }
    const duplicate = new MongoServerError({ errmsg: 'E11000 duplicate key', code: 11000 });
    expect(isUnavailable(duplicate)).toBe(false);
  });
});

describe('socket errors from Node', () => {
  it('a refused connection: ECONNREFUSED', async () => {
    const socket = connect(closedPort, '127.0.0.1');
    const [error] = (await once(socket, 'error')) as [Error];
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isUnavailable(error)).toBe(true);
  });

  it('a connection reset by the peer: ECONNRESET', async () => {
    const resetting = createServer((socket) => {
      socket.resetAndDestroy();
    });
    resetting.listen(0, '127.0.0.1');
    await once(resetting, 'listening');
    const socket = connect((resetting.address() as AddressInfo).port, '127.0.0.1');
    const [error] = (await once(socket, 'error')) as [Error];
    resetting.close();
    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(isUnavailable(error)).toBe(true);
  });

  it('a write to a closed connection: EPIPE, also as the cause of another error', () => {
    // What the driver rethrows as it is when a socket fails while it waits to write.
    const epipe = Object.assign(new Error('write EPIPE'), {
      code: 'EPIPE',
      errno: -32,
      syscall: 'write',
    });
    expect(isUnavailable(epipe)).toBe(true);
    expect(isUnavailable(new Error('store failed', { cause: epipe }))).toBe(true);
  });
});

describe('not an outage', () => {
  it('protocol errors, bugs, and things that are not errors', () => {
    expect(isUnavailable(new ProtocolError('forbidden', 'no'))).toBe(false);
    expect(isUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isUnavailable(new Error('Connection is closed. Or is it?'))).toBe(false);
    expect(isUnavailable(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isUnavailable('ECONNRESET')).toBe(false);
    expect(isUnavailable({ code: 'ECONNRESET' })).toBe(false);
    expect(isUnavailable(undefined)).toBe(false);
  });

  it('a cause chain that loops ends', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isUnavailable(a)).toBe(false);
  });
});
