import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { ChatMessage } from '@callcenter/shared';
import { AuthService, type SessionIdentity } from './auth/authService';
import type { Config } from './config';
import { OriginPolicy } from './http/originPolicy';
import { createHttpApp } from './http/httpApp';
import { Calls } from './live/calls';
import { ChatQueue } from './live/chatQueue';
import { LiveRedis } from './live/liveRedis';
import { LoginThrottle } from './live/loginThrottle';
import { MessageSequence } from './live/messageSequence';
import { Presence } from './live/presence';
import { ConversationRatings } from './live/conversationRatings';
import { RatingStats } from './live/ratingStats';
import { ReplayIndex } from './live/replayIndex';
import { Sessions } from './live/sessions';
import { TakeRates } from './live/takeRate';
import { createLogger, type Logger } from './logger';
import { NodeMetrics, tierQueueStats, timeRedisCommands } from './metrics/metrics';
import { startMetricsListener, type MetricsListener } from './metrics/metricsEndpoint';
import { connectRedis } from './redisClients';
import { CallService } from './services/callService';
import { ActivityService } from './services/activityService';
import { CannedReplyService } from './services/cannedReplyService';
import { ChatService } from './services/chatService';
import { MessagePages } from './services/messagePages';
import { MessagingService } from './services/messagingService';
import { RatingService } from './services/ratingService';
import { CannedPush } from './socket/cannedPush';
import { Notifier } from './socket/notifier';
import { PresenceKeeper } from './services/presenceKeeper';
import { NO_ALERTS } from './services/customerAlerts';
import { pushRoutes } from './push/pushRoutes';
import { WebPushSender } from './push/webPushSender';
import { PushSubscriptionsRepository } from './store/pushSubscriptions';
import { TeamRoster } from './services/team';
import { DayStats, dayFormatter } from './live/dayStats';
import { buildSupervisorHandlers } from './supervisor/supervisorHandlers';
import { SupervisorService } from './supervisor/supervisorService';
import { Wallboard } from './supervisor/wallboard';
import { WallboardPush } from './supervisor/wallboardPush';
import { supervisorRoutes } from './supervisor/supervisorRoutes';
import { RetentionJob } from './supervisor/retentionJob';
import { transcriptRoutes } from './supervisor/transcriptRoutes';
import { adminRoutes } from './supervisor/adminRoutes';
import { rooms } from './socket/rooms';
import { AuditLogRepository } from './store/auditLog';
import { Views } from './services/views';
import { InFlightTracker } from './socket/inFlight';
import { AGENT_CHANGED, PROFILE_CHANGED } from './socket/channels';
import {
  attachSocketHandlers,
  createSocketServer,
  joinOtherNodes,
  otherNodesHearUs,
} from './socket/socketServer';
import type { ChatServer } from './socket/types';
import { AccountsRepository } from './store/accounts';
import { CannedRepliesRepository } from './store/cannedReplies';
import { ConversationsRepository } from './store/conversations';
import { MessagesRepository } from './store/messages';
import { MessagePagesRepository } from './store/messagePages';
import { RetentionRepository } from './store/retention';
import { AttachmentsRepository } from './store/attachments';
import { AttachmentService } from './services/attachmentService';
import { MAX_INPUT_PIXELS } from './services/attachmentContent';
import { heicDecoderInWorkers } from './services/heicDecoder';
import { attachmentRoutes } from './http/attachmentRoutes';
import { TranscriptsRepository } from './store/transcripts';
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
  /** This node's Prometheus metrics. */
  metrics: NodeMetrics;
  /** The port of the metrics' own listener (METRICS_PORT), when there is one. */
  metricsPort: number | null;
  /** Web Push to customers with no app open; null when push is off (no VAPID keys). */
  webPush: WebPushSender | null;
  /** Graceful: stop accepting, let in-flight events finish, leave presence, close stores. */
  stop(): Promise<void>;
}

/**
 * One user's events handled at once on a node, and waiting behind them. A console or an app
 * has a handful in flight; a flood from one account waits behind itself.
 */
const USER_EVENTS_IN_FLIGHT = 4;
const USER_EVENTS_QUEUED = 64;

/** Connections the kernel queues for the node to accept (see http.listen). */
const LISTEN_BACKLOG = 4096;

/** Storage that does not answer a ping within this is not ready (Redis has its own timeout). */
const READY_CHECK_TIMEOUT_MS = 1_500;

/** Waiting requests a scrape reads for the queue's per-tier figures (the oldest first). */
const QUEUE_METRICS_LIMIT = 10_000;

/** Composes and starts one server node. The only place that wires the parts together. */
export async function startServer(config: Config, logger?: Logger): Promise<RunningServer> {
  const nodeId = config.nodeId ?? randomUUID().slice(0, 8);
  const log = logger ?? createLogger(config.logLevel, { nodeId });
  const metrics = new NodeMetrics(log);

  // Commands and the adapter's publishes share one auto-pipelined connection: what the node
  // sends to Redis in the same tick leaves in one write.
  const redisClients = await connectRedis(config.redisUrl, log);
  const { commands: redis, subscriber: sub } = redisClients;
  const mongo = await connectMongo(config.mongodbUrl, config.mongodbDb, (command, ok, ms) => {
    metrics.storeCommands.observe({ command, outcome: ok ? 'ok' : 'failed' }, ms / 1000);
  });

  const live = new LiveRedis(redis);
  timeRedisCommands(redis, metrics.redisCommands, (command, firstArg) =>
    live.scriptOf(command, firstArg),
  );
  await live.loadScripts();
  const queue = new ChatQueue(live);
  const presence = new Presence(live);
  const sequence = new MessageSequence(live);
  // Satisfaction figures per day, for the wallboard.
  const ratingStats = new RatingStats(live, dayFormatter(config.wallboard.timeZone));
  const accounts = new AccountsRepository(mongo.collections);
  const conversations = new ConversationsRepository(mongo.collections);
  // Files sent in chats: in a GridFS bucket of the same database, checked and re-encoded on upload.
  const attachmentStore = new AttachmentsRepository(mongo.db);
  await attachmentStore.createIndexes();
  const attachments = new AttachmentService(attachmentStore, conversations, queue, {
    maxBytes: config.attachments.maxBytes,
    heic: heicDecoderInWorkers(MAX_INPUT_PIXELS),
  });
  const messages = new MessagesRepository(mongo.collections, mongo.messagesForLongReads);
  const messagePages = new MessagePages(
    sequence,
    new MessagePagesRepository(mongo.collections),
    messages,
  );
  const auth = new AuthService(accounts, new Sessions(live), new LoginThrottle(live), config);
  // Queued customers' estimated waits, from the takes of the last window on every node.
  const takeRates = new TakeRates(live, config.waitEstimate.windowSeconds, log);
  const views = new Views(queue, accounts, takeRates);
  const auditLog = new AuditLogRepository(mongo.collections);
  const retention = new RetentionRepository(mongo.collections, attachmentStore);
  const retentionJob = new RetentionJob(redis, retention, auditLog, log);
  // Web Push to customers whose agent did something while they had no connection open.
  const pushSubscriptions = new PushSubscriptionsRepository(mongo.collections);
  const webPush =
    config.webPush.vapid === null
      ? null
      : new WebPushSender(
          pushSubscriptions,
          async (customerId) => (await presence.connectionCount('customer', customerId)) > 0,
          async (customerId) => (await accounts.customerProfile(customerId))?.language,
          {
            vapid: config.webPush.vapid,
            messagePreview: config.webPush.messagePreview,
            callRingSeconds: Math.ceil(config.callRingTimeoutMs / 1000),
          },
          log,
        );
  const alerts = webPush ?? NO_ALERTS;
  /**
   * After a logout (HTTP) or an exit (socket), once its answer is on its way: the session's
   * sockets are told and closed, and the devices it subscribed stop getting pushes.
   */
  const afterLogout = (identity: SessionIdentity): void => {
    notifier.sessionRevoked(identity, 'logout').catch((error: unknown) => {
      // The session is gone from Redis: these sockets' next event is refused anyway.
      log.warn({ err: error }, 'closing the sockets of a logged-out session failed');
    });
    pushSubscriptions.removeSession(identity.sessionId).catch((error: unknown) => {
      log.warn({ err: error }, "removing a logged-out session's push subscriptions failed");
    });
  };
  const originPolicy = new OriginPolicy({
    allowedOrigins: config.allowedOrigins,
    publicOrigins: config.publicOrigins,
    trustProxy: config.trustProxy,
  });

  // Set once the Socket.IO server (which needs the HTTP server) exists.
  let nodesHearUs = (): boolean => false;
  const http = await createHttpApp({
    auth,
    logger: log,
    originPolicy,
    trustProxy: config.trustProxy,
    staticDir: config.staticDir,
    metrics: { scrape: () => metrics.scrape(), token: config.metrics.token, counts: metrics },
    routes: [
      attachmentRoutes({ auth, files: attachments }),
      pushRoutes({ auth, subscriptions: pushSubscriptions, settings: config.webPush }),
      supervisorRoutes({ auth, accounts }),
      transcriptRoutes({
        auth,
        accounts,
        transcripts: new TranscriptsRepository(mongo.collections),
        retention,
        retentionJob,
        auditLog,
      }),
      // The console's administration: each change runs here and reaches the other nodes.
      adminRoutes({
        auth,
        accounts,
        collections: mongo.collections,
        queue,
        cannedReplies: new CannedRepliesRepository(mongo.collections),
        auditLog,
        nodes: {
          revokeSessions: async (kind, userId) => {
            await new Sessions(live).revokeAllOf(`${kind}:${userId}`);
            const room = rooms.user(kind, userId);
            io.to(room).emit('session.revoked', { reason: 'disabled' });
            io.in(room).disconnectSockets(true);
          },
          agentChanged: async (agentId) => {
            io.serverSideEmit(AGENT_CHANGED, agentId);
            await agentChangedHere(agentId);
          },
          customerChanged: async (customerId) => {
            io.serverSideEmit(PROFILE_CHANGED, customerId);
            await customerChangedHere(customerId);
          },
          sharedCannedChanged: () => {
            cannedPush.cannedChanged(null);
            return Promise.resolve();
          },
          setAvailable: async (agentId) => {
            await chat.setStatus({ userId: agentId }, 'available');
          },
        },
      }),
    ],
    checkReady: async () => {
      // Answered within a second or two either way: a readiness probe that hangs is no answer.
      const [redisOk, mongoOk] = await Promise.all([
        redisClients.connected()
          ? redis.ping().then(
              () => true,
              () => false,
            )
          : false,
        mongo.db.command({ ping: 1 }, { timeoutMS: READY_CHECK_TIMEOUT_MS }).then(
          () => true,
          () => false,
        ),
      ]);
      // Redis is only fully back once the other nodes have heard this one again (they may have
      // stopped publishing to it while its subscriptions were away).
      return { redis: redisOk && nodesHearUs(), mongodb: mongoOk };
    },
    onLogout: (identity) => {
      afterLogout(identity);
    },
  });

  const io = createSocketServer(http.server, redisClients.adapterPublisher, sub, originPolicy);
  nodesHearUs = () => otherNodesHearUs(io);
  const team = new TeamRoster(accounts, queue);
  const notifier = new Notifier(io, queue, views, team, log, undefined, metrics);
  // The day's takes and ends, for the wallboard; counted in the call center's time zone.
  const dayStats = new DayStats(
    live,
    dayFormatter(config.wallboard.timeZone),
    config.queueAlerts.waitSeconds,
    log,
  );
  const calls = new CallService(
    new Calls(live),
    notifier,
    log,
    {
      ringTimeoutMs: config.callRingTimeoutMs,
      reconnectGraceMs: config.callReconnectGraceMs,
      sweepMs: Math.min(1_000, config.callRingTimeoutMs / 4, config.callReconnectGraceMs / 4),
    },
    config.ice,
    // Call events are stored as the conversation's messages; messaging is built below, as it
    // needs the chat service, which needs the calls.
    { recordCall: (call, customerId): Promise<unknown> => messaging.recordCall(call, customerId) },
    alerts,
  );
  const chat = new ChatService(
    queue,
    accounts,
    conversations,
    messages,
    views,
    notifier,
    log,
    calls,
    // Built below, like the calls' history: messaging needs the chat service.
    { recordNotice: (input): Promise<ChatMessage> => messaging.recordNotice(input) },
    metrics,
    // The day's figures for the wallboard, and the waits' histogram for the metrics.
    {
      answered: (tier, requestedAt, at) => {
        dayStats.answered(tier, requestedAt, at);
        takeRates.taken(at);
        metrics.requestAnswered(tier, (at.getTime() - requestedAt.getTime()) / 1000);
      },
      ended: (agentId, startedAt, at) => {
        dayStats.ended(agentId, startedAt, at);
      },
    },
    alerts,
  );
  // An admin changed a customer (the admin tool tells every node through Redis).
  // An admin changed an agent: its live state follows its account, and agents see the team.
  // The console's administration runs these on its own node, the others hear the signal.
  const agentChangedHere = async (agentId: string): Promise<void> => {
    notifier.rosterChanged();
    await chat.agentAccountChanged(agentId);
  };
  const customerChangedHere = async (customerId: string): Promise<void> => {
    accounts.forgetProfile(customerId);
    await chat.customerDisabled(customerId);
  };
  io.on(AGENT_CHANGED, (agentId) => {
    agentChangedHere(agentId).catch((error: unknown) => {
      log.warn({ err: error, agentId }, "refreshing an agent's live state failed");
    });
  });
  io.on(PROFILE_CHANGED, (customerId) => {
    customerChangedHere(customerId).catch((error: unknown) => {
      log.warn({ err: error, customerId }, "ending a disabled customer's chat failed");
    });
  });
  const messaging = new MessagingService(
    sequence,
    new ReplayIndex(live),
    queue,
    accounts,
    messages,
    messagePages,
    chat,
    notifier,
    attachments,
    { replayIndexSize: config.replayIndexSize },
    metrics,
    alerts,
  );
  const cannedPush = new CannedPush(io);
  const canned = new CannedReplyService(new CannedRepliesRepository(mongo.collections), cannedPush);
  const activity = new ActivityService(queue, conversations, messages, notifier);
  const ratings = new RatingService(
    new ConversationRatings(live),
    conversations,
    ratingStats,
    notifier,
    log,
  );
  // Supervisors: the wallboard, watching conversations, and what they do to them.
  const wallboard = new Wallboard(live, team, accounts, dayStats, ratingStats, {
    sampleSeconds: config.wallboard.sampleSeconds,
    historyHours: config.wallboard.historyHours,
    targetSeconds: config.queueAlerts.waitSeconds,
  });
  const wallboardPush = new WallboardPush(io, wallboard, log);
  notifier.onChange(() => {
    wallboardPush.changed();
  });
  // A take or an end is counted just after it is decided: the wallboard shows the count too.
  dayStats.onWritten(() => {
    wallboardPush.changedEverywhere();
  });
  ratingStats.onRecorded(() => {
    wallboardPush.changedEverywhere();
  });
  const supervisorHandlers = buildSupervisorHandlers({
    wallboard,
    service: new SupervisorService(
      queue,
      chat,
      views,
      accounts,
      messages,
      mongo.collections,
      auditLog,
    ),
    watchers: {
      join: (socketId, conversationId) => {
        void io.sockets.sockets.get(socketId)?.join(rooms.watch(conversationId));
      },
      leave: (socketId, conversationId) => {
        void io.sockets.sockets.get(socketId)?.leave(rooms.watch(conversationId));
      },
    },
  });
  const inFlight = new InFlightTracker();
  attachSocketHandlers(
    io,
    {
      auth,
      chat,
      messaging,
      views,
      notifier,
      calls,
      canned,
      activity,
      ratings,
      queueAlerts: config.queueAlerts,
      metrics,
      supervisorHandlers,
      afterLogout,
    },
    presence,
    log,
    inFlight,
    {
      nodeId,
      trustProxy: config.trustProxy,
      userBudgets: {
        socketsPerUser: config.socketLimits.perUser,
        socketsPerAddress: config.socketLimits.perAddress,
        eventsPerSecond: config.rateLimit.eventsPerSecond,
        burst: config.rateLimit.burst,
        inFlightPerUser: USER_EVENTS_IN_FLIGHT,
        queuedPerUser: USER_EVENTS_QUEUED,
        // Clients stop waiting for an ack after 10 s; work they no longer wait for is dropped.
        maxQueueWaitMs: 10_000,
      },
    },
  );
  metrics.watchQueue(async () =>
    tierQueueStats(await queue.waitingRequests(QUEUE_METRICS_LIMIT), Date.now()),
  );
  if (webPush !== null) metrics.watchPushes(() => webPush.counts);
  metrics.watchSockets(() => {
    const byRole = new Map<string, number>();
    for (const socket of io.of('/').sockets.values()) {
      const role = socket.data.identity.role;
      byRole.set(role, (byRole.get(role) ?? 0) + 1);
    }
    return byRole;
  });
  const presenceKeeper = new PresenceKeeper(
    nodeId,
    presence,
    chat,
    messaging,
    notifier,
    log,
    { ...config.presence, callReconnectGraceMs: config.callReconnectGraceMs },
    config.queueOfflineGraceSeconds,
    config.idleClose,
  );

  await joinOtherNodes(io).catch((error: unknown) => {
    // An older node that does not answer publishes everything anyway.
    log.warn({ err: error }, 'not every node answered this one joining');
  });
  // After a restart every client reconnects at once: Node's default backlog (511) overflowed
  // in the bench's reconnect storm and the kernel dropped handshakes for seconds. The kernel
  // caps it at net.core.somaxconn.
  await http.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
  wallboardPush.startSampling();
  retentionJob.start(config.retention.checkSeconds);
  let metricsListener: MetricsListener | undefined;
  if (config.metrics.port !== null) {
    metricsListener = await startMetricsListener({
      port: config.metrics.port,
      host: config.metrics.host,
      token: config.metrics.token,
      scrape: () => metrics.scrape(),
      logger: log,
    });
    log.info({ port: metricsListener.port, host: config.metrics.host }, 'metrics listening');
  }
  await presenceKeeper.start();
  calls.startSweeping();
  await messaging.checkReplayIndex();
  messaging.warmReplayIndex().catch((error: unknown) => {
    log.error({ err: error }, 'warming the replay index failed; agents sync from storage');
  });
  redis.on('close', () => {
    messaging.distrustReplayIndex();
  });
  redis.on('ready', () => {
    messaging.checkReplayIndex().catch((error: unknown) => {
      log.warn({ err: error }, 'checking the replay index failed; agents sync from storage');
    });
  });
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
    metrics,
    metricsPort: metricsListener?.port ?? null,
    webPush,
    stop: () => {
      stopping ??= (async () => {
        log.info('shutting down');
        http.server.close();
        await metricsListener?.close();
        await inFlight.idle();
        await webPush?.close();
        notifier.close();
        wallboardPush.close();
        await retentionJob.stop();
        await calls.stop();
        await presenceKeeper.stop();
        await io.close();
        await http.close();
        await redisClients.close();
        await mongo.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
  return server;
}
