import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { AuthService } from './auth/authService';
import type { Config } from './config';
import { OriginPolicy } from './http/originPolicy';
import { createHttpApp } from './http/httpApp';
import { LiveState } from './live/liveState';
import { createLogger, type Logger } from './logger';
import { ChatService } from './services/chatService';
import { MessagingService } from './services/messagingService';
import { Notifier } from './services/notifier';
import { PresenceKeeper } from './services/presenceKeeper';
import { Views } from './services/views';
import { InFlightTracker } from './socket/inFlight';
import { PROFILE_CHANGED } from './socket/channels';
import { attachSocketHandlers, createSocketServer } from './socket/socketServer';
import type { ChatServer } from './socket/types';
import { AccountsRepository } from './store/accounts';
import { ConversationsRepository } from './store/conversations';
import { MessagesRepository } from './store/messages';
import { connectMongo, type MongoStore } from './store/mongo';

export interface RunningServer {
  nodeId: string;
  port: number;
  /** `http://host:port` */
  url: string;
  io: ChatServer;
  mongo: MongoStore;
  redis: Redis;
  logger: Logger;
  /** Graceful: stop accepting, let in-flight events finish, leave presence, close stores. */
  stop(): Promise<void>;
}

/** Composes and starts one server node. The only place that wires the parts together. */
export async function startServer(config: Config, logger?: Logger): Promise<RunningServer> {
  const nodeId = config.nodeId ?? randomUUID().slice(0, 8);
  const log = logger ?? createLogger(config.logLevel, { nodeId });

  // Commands and the adapter's publishes share one auto-pipelined connection: what one event
  // sends in the same tick (a message's settle and its publish) leaves in one write.
  const redis = new Redis(config.redisUrl, { enableAutoPipelining: true, lazyConnect: true });
  const sub = new Redis(config.redisUrl, { lazyConnect: true });
  for (const client of [redis, sub]) {
    client.on('error', (error: unknown) => {
      log.warn({ err: error }, 'redis connection problem');
    });
  }
  await Promise.all([redis.connect(), sub.connect()]);
  const mongo = await connectMongo(config.mongodbUrl, config.mongodbDb);

  const live = new LiveState(redis);
  await live.loadScripts();
  const accounts = new AccountsRepository(mongo.collections);
  const conversations = new ConversationsRepository(mongo.collections);
  const messages = new MessagesRepository(mongo.collections);
  await live.raiseMessageSeq(await messages.highestSeq());
  const auth = new AuthService(accounts, live, config);
  const views = new Views(live, accounts);
  const originPolicy = new OriginPolicy(config.allowedOrigins);

  const http = await createHttpApp({
    auth,
    logger: log,
    originPolicy,
    trustProxy: config.trustProxy,
    staticDir: config.staticDir,
    checkReady: async () => {
      const [redisOk, mongoOk] = await Promise.all([
        redis.ping().then(
          () => true,
          () => false,
        ),
        mongo.db.command({ ping: 1 }).then(
          () => true,
          () => false,
        ),
      ]);
      return { redis: redisOk, mongodb: mongoOk };
    },
    onLogout: (identity) => {
      notifier.sessionRevoked(identity, 'logout').catch((error: unknown) => {
        log.warn({ err: error }, 'closing the sockets of a logged-out session failed');
      });
    },
  });

  const io = createSocketServer(http.server, redis, sub, originPolicy);
  const notifier = new Notifier(io, live, views, log);
  // An admin changed a customer (the admin tool tells every node through Redis).
  io.on(PROFILE_CHANGED, (customerId) => {
    accounts.forgetProfile(customerId);
  });
  const chat = new ChatService(live, accounts, conversations, messages, views, notifier, log);
  const messaging = new MessagingService(live, accounts, messages, chat, notifier);
  const inFlight = new InFlightTracker();
  attachSocketHandlers(io, { auth, chat, messaging, views, notifier }, live, log, inFlight, {
    nodeId,
    rateLimit: config.rateLimit,
  });
  const presence = new PresenceKeeper(
    nodeId,
    live,
    chat,
    notifier,
    log,
    config.presence,
    config.queueOfflineGraceSeconds,
  );

  await http.listen({ port: config.port, host: config.host });
  await presence.start();
  chat.reconcileConversations().then(
    (repaired) => {
      if (repaired > 0) log.warn({ repaired }, 'repaired conversations in MongoDB from Redis');
    },
    (error: unknown) => {
      log.error({ err: error }, 'reconciling conversations failed');
    },
  );

  const port = (http.server.address() as AddressInfo).port;
  log.info({ port, host: config.host }, 'server listening');

  let stopping: Promise<void> | undefined;
  const server: RunningServer = {
    nodeId,
    port,
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    io,
    mongo,
    redis,
    logger: log,
    stop: () => {
      stopping ??= (async () => {
        log.info('shutting down');
        http.server.close();
        await inFlight.idle();
        notifier.close();
        await presence.stop();
        await io.close();
        await http.close();
        await Promise.allSettled([redis.quit(), sub.quit()]);
        await mongo.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
  return server;
}
