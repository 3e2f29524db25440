import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { LIMITS, ProtocolError } from '@callcenter/shared';
import type { LiveState } from '../live/liveState';
import type { Logger } from '../logger';
import { buildRoleHandlers, registerEventHandlers, type Services } from './eventHandlers';
import type { OriginPolicy } from '../http/originPolicy';
import type { InFlightTracker } from './inFlight';
import { TokenBucket } from './rateLimiter';
import { SOCKET_IO_KEY } from './channels';
import { rooms } from './rooms';
import type { ChatServer, ChatSocket } from './types';

export interface SocketServerOptions {
  nodeId: string;
  rateLimit: { eventsPerSecond: number; burst: number };
}

/** Creates the Socket.IO server on the HTTP server, fanned out between nodes through Redis. */
export function createSocketServer(
  httpServer: HttpServer,
  pub: Redis,
  sub: Redis,
  originPolicy: OriginPolicy,
): ChatServer {
  const io: ChatServer = new Server(httpServer, {
    serveClient: false,
    // Browsers send Origin; foreign ones are refused before any Socket.IO work.
    allowRequest: (req, callback) => {
      const allowed = originPolicy.allows(req.headers.origin, req.headers.host);
      callback(allowed ? null : 'origin not allowed', allowed);
    },
    maxHttpBufferSize: LIMITS.maxPayloadBytes,
    adapter: createAdapter(pub, sub, { key: SOCKET_IO_KEY }),
    // Clients keep a connection for hours; detect dead ones within a minute.
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  // The HTTP request that opened a connection is only needed for its handshake (origin, auth);
  // kept for the connection's life it costs every idle socket a few kilobytes.
  io.engine.on('connection', (rawSocket: { request: unknown }) => {
    rawSocket.request = null;
  });
  return io;
}

/**
 * After authentication only the identity is needed; the handshake's copies of the request
 * headers, URL, query and token, kept for the connection's life, would cost every idle socket
 * about a kilobyte.
 */
function forgetHandshake(handshake: ChatSocket['handshake']): void {
  handshake.headers = {};
  handshake.query = {};
  handshake.auth = {};
  handshake.url = '';
  handshake.time = '';
}

/**
 * Handshake authentication, rooms, presence, and the event handlers. A bad token fails the
 * connection with `connect_error` whose message is the code.
 */
export function attachSocketHandlers(
  io: ChatServer,
  services: Services,
  live: LiveState,
  logger: Logger,
  inFlight: InFlightTracker,
  options: SocketServerOptions,
): void {
  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token =
      typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
    services.auth
      .verify(token)
      .then((identity) => {
        socket.data.identity = identity;
        socket.data.lastPosition = null;
        forgetHandshake(socket.handshake);
        next();
      })
      .catch((error: unknown) => {
        if (!(error instanceof ProtocolError))
          logger.error({ err: error }, 'handshake check failed');
        next(new Error('unauthorized'));
      });
  });

  const handlers = buildRoleHandlers(services);
  io.on('connection', (socket) => {
    const { identity } = socket.data;
    const limiter = new TokenBucket(options.rateLimit.eventsPerSecond, options.rateLimit.burst);
    registerEventHandlers(socket, services, handlers, limiter, inFlight, logger);

    const roleRooms =
      identity.role === 'agent'
        ? [rooms.agents, rooms.agent(identity.userId)]
        : [rooms.customers, rooms.customer(identity.userId)];
    // No room per session: a session is revoked by looking through its user's sockets.
    void socket.join(roleRooms);

    live
      .connect(options.nodeId, socket.id, identity.role, identity.userId)
      .then(async (queueChanged) => {
        if (queueChanged) services.notifier.queueChanged();
        if (identity.role === 'agent' && socket.connected) {
          socket.emit('queue.snapshot', await services.notifier.queueSnapshot());
        }
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'recording a connection failed');
      });

    socket.on('disconnect', () => {
      live
        .disconnect(options.nodeId, socket.id, identity.role, identity.userId, Date.now())
        .then((queueChanged) => {
          if (queueChanged) services.notifier.queueChanged();
        })
        .catch((error: unknown) => {
          logger.warn({ err: error }, 'forgetting a connection failed; the reaper will');
        });
    });
  });
}
