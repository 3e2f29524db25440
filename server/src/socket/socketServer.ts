import { ServerResponse, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { LIMITS, ProtocolError, handshakeAuthSchema } from '@callcenter/shared';
import type { PartyIdentity, SessionIdentity } from '../auth/authService';
import { isUnavailable } from '../errors';
import type { Presence } from '../live/presence';
import type { Logger } from '../logger';
import {
  SocketLog,
  buildRoleHandlers,
  registerEventHandlers,
  type Services,
} from './eventHandlers';
import type { OriginPolicy } from '../http/originPolicy';
import { setSecurityHeaders } from '../http/securityHeaders';
import type { InFlightTracker } from './inFlight';
import { UserBudgets, type Refusal, type UserBudgetLimits } from './userBudgets';
import { SOCKET_IO_KEY } from './channels';
import { createPeerAwareAdapter, PeerAwareRedisAdapter } from './peerAwareAdapter';
import { rooms } from './rooms';
import type { ChatServer, ChatSocket } from './types';

export interface SocketServerOptions {
  nodeId: string;
  /** What one user (over all its sockets) and one address may cost this node. */
  userBudgets: UserBudgetLimits;
  /** Behind a reverse proxy: the client's address is the last X-Forwarded-For entry. */
  trustProxy: boolean;
}

const REFUSALS: Record<Refusal, string> = {
  user_sockets: 'Too many connections for this account; close another tab or device.',
  address_sockets: 'Too many connections from this address.',
  user_rate: 'Too many events; slow down.',
  user_queue: 'Too many requests at once; slow down.',
};

/** The client's address: the socket's peer, or what the trusted proxy in front of it saw. */
function clientAddress(handshake: ChatSocket['handshake'], trustProxy: boolean): string {
  const forwarded = handshake.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') {
    const last = forwarded.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return handshake.address;
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
    maxHttpBufferSize: LIMITS.maxPayloadBytes,
    adapter: createPeerAwareAdapter(pub, sub, { key: SOCKET_IO_KEY }),
    // Clients keep a connection for hours; detect dead ones within a minute.
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  refuseBeforeEngine(httpServer, `${io.path()}/`, originPolicy);
  io.engine.use(setSecurityHeaders);
  // The HTTP request that opened a connection is only needed for its handshake (origin, auth);
  // kept for the connection's life it costs every idle socket a few kilobytes.
  io.engine.on('connection', (rawSocket: { request: unknown }) => {
    rawSocket.request = null;
  });
  return io;
}

/**
 * Tells the other nodes this one is joining, so that they publish their broadcasts for its
 * clients; call it before accepting clients. Rejects if some node did not answer in time.
 */
export async function joinOtherNodes(io: ChatServer): Promise<void> {
  const adapter = io.of('/').adapter;
  if (adapter instanceof PeerAwareRedisAdapter) await adapter.announce();
}

/** False while the other nodes may not have heard this one since its subscriptions came back. */
export function otherNodesHearUs(io: ChatServer): boolean {
  const adapter = io.of('/').adapter;
  return !(adapter instanceof PeerAwareRedisAdapter) || adapter.listening();
}

/** engine.io's error code for a refused request, kept so its clients read the answer alike. */
const ENGINE_IO_FORBIDDEN = 4;

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;
type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Checks the origin policy on every Socket.IO request and WebSocket upgrade before engine.io
 * sees it, and answers a refusal with 403 on both transports. engine.io's own `allowRequest`
 * would answer a refused upgrade with 400 and look only at a session's first request.
 * engine.io hooks the HTTP server the same way: it takes the listeners and calls them itself.
 */
function refuseBeforeEngine(
  httpServer: HttpServer,
  enginePath: string,
  originPolicy: OriginPolicy,
): void {
  const refusalOf = (request: IncomingMessage) =>
    (request.url ?? '').startsWith(enginePath) ? originPolicy.refusalOf(request) : undefined;
  const forbid = (request: IncomingMessage, response: ServerResponse, message: string) => {
    setSecurityHeaders(request, response, () => {
      response
        .writeHead(403, { 'content-type': 'application/json' })
        .end(JSON.stringify({ code: ENGINE_IO_FORBIDDEN, message }));
    });
  };

  const requestListeners = httpServer.listeners('request') as RequestListener[];
  const upgradeListeners = httpServer.listeners('upgrade') as UpgradeListener[];
  httpServer.removeAllListeners('request');
  httpServer.removeAllListeners('upgrade');
  httpServer.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const refusal = refusalOf(request);
    if (refusal !== undefined) {
      forbid(request, response, refusal);
      return;
    }
    for (const listener of requestListeners) listener.call(httpServer, request, response);
  });
  httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refusalOf(request);
    if (refusal !== undefined) {
      // An upgrade has no response object: give it an ordinary one on its socket, then close.
      socket.on('error', () => undefined);
      if (!(socket instanceof Socket)) {
        socket.destroy();
        return;
      }
      const response = new ServerResponse(request);
      response.shouldKeepAlive = false;
      response.assignSocket(socket);
      response.on('finish', () => socket.end());
      forbid(request, response, refusal);
      return;
    }
    for (const listener of upgradeListeners) listener.call(httpServer, request, socket, head);
  });
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
  presence: Presence,
  logger: Logger,
  inFlight: InFlightTracker,
  options: SocketServerOptions,
): void {
  const budgets = new UserBudgets(options.userBudgets);
  const userKeyOf = (identity: SessionIdentity) => `${identity.role}:${identity.userId}`;
  io.use((socket, nextStep) => {
    // A refused handshake is an error answer too: counted by its code (the error's message).
    const next = (error?: Error) => {
      if (error !== undefined) services.metrics.errorAnswered('handshake', error.message);
      nextStep(error);
    };
    const auth = handshakeAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success) {
      next(new Error('unauthorized'));
      return;
    }
    const address = clientAddress(socket.handshake, options.trustProxy);
    services.auth
      .verify(auth.data.token)
      .then(async (identity) => {
        // This node counts exactly; the other nodes' sockets are counted in Redis.
        const elsewhere = await presence.connectionCount(identity.role, identity.userId);
        const opened =
          elsewhere >= options.userBudgets.socketsPerUser
            ? 'user_sockets'
            : budgets.openSocket(userKeyOf(identity), address);
        if (typeof opened === 'string') {
          logger.warn(
            {
              sessionId: identity.sessionId,
              userId: identity.userId,
              role: identity.role,
              address,
              refusal: opened,
            },
            'socket refused',
          );
          next(Object.assign(new Error('rate_limited'), { data: { message: REFUSALS[opened] } }));
          return;
        }
        socket.data.identity = identity;
        socket.data.lastQueuePlace = null;
        socket.data.closeBudget = opened;
        forgetHandshake(socket.handshake);
        next();
      })
      .catch((error: unknown) => {
        // Redis or storage away says nothing about the token: the client retries, not logs out.
        if (isUnavailable(error)) {
          logger.warn({ err: error }, 'handshake check unavailable');
          next(new Error('unavailable'));
          return;
        }
        if (!(error instanceof ProtocolError))
          logger.error({ err: error }, 'handshake check failed');
        next(new Error('unauthorized'));
      });
  });

  const handlers = buildRoleHandlers(services);
  io.on('connection', (socket) => {
    const { identity } = socket.data;
    // Every line logged for this socket says whose session it is.
    const log = new SocketLog(logger, {
      sessionId: identity.sessionId,
      userId: identity.userId,
      role: identity.role,
      socketId: socket.id,
    });
    if (logger.isLevelEnabled('debug')) log.get().debug('socket connected');
    registerEventHandlers(socket, services, handlers, inFlight, log, (work) => {
      const refusal = budgets.schedule(userKeyOf(identity), work);
      return refusal && REFUSALS[refusal];
    });

    // No room per session: a session is revoked by looking through its user's sockets.
    if (identity.role === 'supervisor') {
      // Supervisors watch; they are no chat party: no presence, no calls (R11 counts parties).
      void socket.join([rooms.supervisors, rooms.supervisor(identity.userId)]);
      socket.on('disconnect', () => {
        socket.data.closeBudget();
      });
      return;
    }
    const party: PartyIdentity = { ...identity, role: identity.role };
    const roleRooms =
      identity.role === 'agent'
        ? [rooms.agents, rooms.agent(identity.userId)]
        : [rooms.customers, rooms.customer(identity.userId)];
    void socket.join(roleRooms);

    presence
      .connect(options.nodeId, socket.id, identity.role, identity.userId)
      .then(async (queueChanged) => {
        if (queueChanged) services.notifier.queueChanged();
        await services.calls.socketConnected({ identity: party, socketId: socket.id });
        if (identity.role === 'agent') {
          // The team sees this agent come online; its live state follows its account.
          services.notifier.teamChanged(identity.userId);
          await services.chat.agentAccountChanged(identity.userId);
          if (socket.connected) {
            socket.emit('queue.snapshot', await services.notifier.queueSnapshot());
          }
        }
      })
      .catch((error: unknown) => {
        log.get().error({ err: error }, 'recording a connection failed');
      });

    socket.on('disconnect', (reason) => {
      if (logger.isLevelEnabled('debug')) log.get().debug({ reason }, 'socket disconnected');
      socket.data.closeBudget();
      // A call this device was in waits for it a while, then ends for the other party.
      services.calls.socketGone(socket.id).catch((error: unknown) => {
        log.get().warn({ err: error }, 'ending the call of a closed socket failed');
      });
      presence
        .disconnect(options.nodeId, socket.id, identity.role, identity.userId, Date.now())
        .then((queueChanged) => {
          if (queueChanged) services.notifier.queueChanged();
          if (identity.role === 'agent') services.notifier.teamChanged();
        })
        .catch((error: unknown) => {
          log.get().warn({ err: error }, 'forgetting a connection failed; the reaper will');
        });
    });
  });
}
