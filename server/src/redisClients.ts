import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './logger';

/**
 * How long a Redis command may take before its caller is told `unavailable`. Redis answers in
 * well under a millisecond; a second and a half without an answer means it is gone or stuck,
 * and the client retries rather than waits. Auto-pipelining sends one batch at a time, so a
 * command that joins the next batch while a stuck one is out may wait for both: about twice this.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1_500;

/** Reconnect attempts back off to this, so the server is back within about this of Redis. */
const MAX_RECONNECT_DELAY_MS = 500;

/**
 * Fail fast while Redis is away. ioredis's defaults queue every command while disconnected and
 * resend it on reconnect, so a request would hang until Redis came back and then run late,
 * after its caller had given up. Here a command fails at once when there is no connection (no
 * offline queue), commands in flight fail as soon as the connection drops and are never sent
 * again (their callers were already told they failed), and a stuck Redis times out. Nothing is
 * sent before `connect()` resolves (`lazyConnect`), so start-up needs no queue either.
 */
const failFast: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  retryStrategy: (attempt) =>
    Math.min(50 * 2 ** (attempt - 1), MAX_RECONNECT_DELAY_MS) + Math.floor(Math.random() * 50),
};

export interface RedisClients {
  /** Commands, and the adapter's publishes: auto-pipelined, so one event's writes go together. */
  commands: Redis;
  /** The adapter's subscriptions (a subscribed connection can run no other command). */
  subscriber: Redis;
  /** `commands` as the Socket.IO adapter should see it: see `withPublishFailuresLogged`. */
  adapterPublisher: Redis;
  /** Both connections are up: a down subscriber means events from other nodes are missed. */
  connected(): boolean;
  /** Closes both connections, and stops reconnecting if Redis is away (QUIT cannot be sent). */
  close(): Promise<void>;
}

/** Creates and connects the node's Redis connections; rejects if Redis is not there. */
export async function connectRedis(url: string, log: Logger): Promise<RedisClients> {
  const commands = new Redis(url, { ...failFast, enableAutoPipelining: true });
  const subscriber = new Redis(url, failFast);
  for (const [name, client] of [
    ['commands', commands],
    ['subscriber', subscriber],
  ] as const) {
    // Reconnect attempts fail every half second while Redis is away: say so once, and when back.
    let down = false;
    client.on('error', (error: unknown) => {
      if (down) return;
      down = true;
      log.warn({ err: error, connection: name }, 'redis connection problem');
    });
    client.on('ready', () => {
      if (down) log.info({ connection: name }, 'redis connection back');
      down = false;
    });
  }
  await Promise.all([commands.connect(), subscriber.connect()]);
  return {
    commands,
    subscriber,
    adapterPublisher: withPublishFailuresLogged(commands, (error) => {
      log.debug({ err: error }, 'an event for the other nodes was not published');
    }),
    connected: () => commands.status === 'ready' && subscriber.status === 'ready',
    close: async () => {
      await Promise.allSettled([commands.quit(), subscriber.quit()]);
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}

/**
 * The Socket.IO Redis adapter publishes without awaiting, so with Redis away every emit would
 * leave a rejected promise nobody handles, and Node ends the process on those. This view of the
 * client handles each publish's failure; the event still reaches this node's own sockets, and
 * clients elsewhere catch up when they re-sync.
 */
export function withPublishFailuresLogged(
  client: Redis,
  onFailure: (error: unknown) => void,
): Redis {
  const publish = (channel: string | Buffer, message: string | Buffer): Promise<number> => {
    const published = client.publish(channel, message);
    published.catch(onFailure);
    return published;
  };
  return new Proxy(client, {
    get: (target, property, receiver): unknown =>
      property === 'publish' ? publish : Reflect.get(target, property, receiver),
  });
}
