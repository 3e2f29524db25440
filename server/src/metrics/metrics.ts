import type { Redis } from 'ioredis';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { TIERS, type Tier } from '@callcenter/shared';
import type { Logger } from '../logger';

/** Every metric this server exports starts with this (the process metrics too). */
export const METRIC_PREFIX = 'callcenter_';

/** How an agent came to hold a conversation: `chat.start`, `chat.take`, or by writing first. */
export type TakeKind = 'start' | 'take' | 'message';

/** What a delivered message is: written by a party, a call's event, or a server notice. */
export type MessageKind = 'message' | 'call' | 'notice';

/** Where an error answer went out: a socket event's ack, a refused handshake, or HTTP. */
export type ErrorSource = 'socket' | 'handshake' | 'http';

/** The waiting requests of one tier, as read from Redis at scrape time. */
export interface TierQueueStats {
  tier: Tier;
  depth: number;
  /** Seconds the oldest request of the tier has waited (0 when none waits). */
  longestWaitSeconds: number;
  /** Mean seconds waited over the tier's requests (0 when none waits). */
  averageWaitSeconds: number;
}

/** What the chat service counts. */
export interface TakeCounts {
  chatTaken(how: TakeKind, tier: Tier): void;
}

/** What the messaging service and the notifier count. */
export interface MessageCounts {
  /** A new message from a customer or an agent was stored (a retry's copy is not counted). */
  messageReceived(role: string): void;
  /** A new message was handed to Socket.IO for its rooms; `createdAt` is when it was stamped. */
  messageDelivered(kind: MessageKind, createdAt: string): void;
}

/** What the socket handlers count. */
export interface SocketCounts {
  errorAnswered(source: ErrorSource, code: string): void;
  /** A socket event answered (ok or not), `seconds` after it arrived. */
  eventHandled(event: string, seconds: number): void;
}

/** Nothing counted: for parts built without a node's metrics (unit tests, tools). */
export const NO_COUNTS: TakeCounts & MessageCounts & SocketCounts = {
  chatTaken: () => undefined,
  messageReceived: () => undefined,
  messageDelivered: () => undefined,
  errorAnswered: () => undefined,
  eventHandled: () => undefined,
};

/** Short Redis and store commands: 0.25 ms to 10 s. */
const COMMAND_BUCKETS = [
  0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10,
];
/** Message delivery and socket events: 1 ms to 10 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One server node's metrics, in a registry of its own (never prom-client's global one: tests
 * run several nodes in one process). Counters and histograms are updated where things happen;
 * the queue and the sockets are read when Prometheus scrapes.
 */
export class NodeMetrics implements TakeCounts, MessageCounts, SocketCounts {
  readonly registry = new Registry();

  private readonly takes: Counter<'how' | 'tier'>;
  private readonly received: Counter<'role'>;
  private readonly delivered: Counter<'kind'>;
  private readonly delivery: Histogram<'kind'>;
  private readonly waitsAtTake: Histogram<'tier'>;
  private readonly errors: Counter<'source' | 'code'>;
  private readonly events: Histogram<'event'>;
  readonly redisCommands: Histogram<'command' | 'script'>;
  readonly storeCommands: Histogram<'command' | 'outcome'>;

  private queueReader: (() => Promise<TierQueueStats[]>) | undefined;
  private queueReading: Promise<TierQueueStats[] | undefined> | undefined;
  private socketCounter: (() => Map<string, number>) | undefined;
  private pushCounter: (() => Readonly<Record<string, number>>) | undefined;

  constructor(private readonly logger: Logger) {
    const registers = [this.registry];
    // `this` inside a collect function is its gauge: the node's readers are reached thus.
    const readQueue = () => this.readQueue();
    const countSockets = () => this.socketCounter?.() ?? new Map<string, number>();
    const countPushes = () => this.pushCounter?.() ?? {};
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });

    const queueGauge = (name: string, help: string, pick: (s: TierQueueStats) => number) =>
      new Gauge({
        name: `${METRIC_PREFIX}${name}`,
        help,
        labelNames: ['tier'] as const,
        registers,
        collect: async function (this: Gauge<'tier'>) {
          this.reset();
          const stats = await readQueue();
          for (const row of stats ?? []) this.set({ tier: row.tier }, pick(row));
        },
      });
    queueGauge('queue_depth', 'Requests waiting in the queue, per customer tier.', (s) => s.depth);
    queueGauge(
      'queue_wait_longest_seconds',
      'How long the oldest waiting request of each tier has waited.',
      (s) => s.longestWaitSeconds,
    );
    queueGauge(
      'queue_wait_average_seconds',
      'Mean time the waiting requests of each tier have waited so far.',
      (s) => s.averageWaitSeconds,
    );
    new Gauge({
      name: `${METRIC_PREFIX}sockets`,
      help: "Socket.IO connections open on this node, per role of the connection's session.",
      labelNames: ['role'] as const,
      registers,
      collect: function (this: Gauge<'role'>) {
        this.reset();
        for (const [role, count] of countSockets()) this.set({ role }, count);
      },
    });

    new Counter({
      name: `${METRIC_PREFIX}push_notifications_total`,
      help: "Web Push to customers' devices since the node started, by outcome: sent (the push service took it), online (not sent: the customer was connected), expired (the subscription was gone and is removed), failed (refused or unanswered), dropped (too many waiting).",
      labelNames: ['outcome'] as const,
      registers,
      collect: function (this: Counter<'outcome'>) {
        this.reset();
        for (const [outcome, count] of Object.entries(countPushes())) this.inc({ outcome }, count);
      },
    });

    this.takes = new Counter({
      name: `${METRIC_PREFIX}chat_takes_total`,
      help: 'Conversations agents took: by chat.start (top of the queue), chat.take (a chosen request) or message (writing to a customer first), per customer tier.',
      labelNames: ['how', 'tier'] as const,
      registers,
    });
    this.waitsAtTake = new Histogram({
      name: `${METRIC_PREFIX}queue_wait_at_take_seconds`,
      help: "How long each customer's request waited in the queue before an agent took it (first takes), per tier.",
      labelNames: ['tier'] as const,
      buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1_200, 1_800, 3_600],
      registers,
    });
    this.received = new Counter({
      name: `${METRIC_PREFIX}messages_received_total`,
      help: 'New messages stored from clients, per role of the sender (idempotent retries not counted).',
      labelNames: ['role'] as const,
      registers,
    });
    this.delivered = new Counter({
      name: `${METRIC_PREFIX}messages_delivered_total`,
      help: "New messages handed to Socket.IO for delivery to their rooms (every online agent and the customer's sessions), per kind: message, call event, notice.",
      labelNames: ['kind'] as const,
      registers,
    });
    this.delivery = new Histogram({
      name: `${METRIC_PREFIX}message_delivery_seconds`,
      help: 'From a new message being stamped (just before its storage write) to its emit to the recipients: the storage commit and the replay index write.',
      labelNames: ['kind'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.errors = new Counter({
      name: `${METRIC_PREFIX}errors_total`,
      help: 'Error answers, per error code and where they went: socket (an event ack), handshake (a refused connection), http.',
      labelNames: ['source', 'code'] as const,
      registers,
    });
    this.events = new Histogram({
      name: `${METRIC_PREFIX}socket_event_duration_seconds`,
      help: "From a socket event's arrival (waiting behind the user's other events included) to its ack, per event.",
      labelNames: ['event'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.redisCommands = new Histogram({
      name: `${METRIC_PREFIX}redis_command_duration_seconds`,
      help: "Redis commands of the node's command connection, from being sent to the reply; script: the Lua script an EVALSHA/EVAL ran.",
      labelNames: ['command', 'script'] as const,
      buckets: COMMAND_BUCKETS,
      registers,
    });
    this.storeCommands = new Histogram({
      name: `${METRIC_PREFIX}store_command_duration_seconds`,
      help: "MongoDB commands, as the driver's command monitoring times them, per command and outcome (ok, failed).",
      labelNames: ['command', 'outcome'] as const,
      buckets: COMMAND_BUCKETS,
      registers,
    });
  }

  /** The queue's per-tier figures, read (from Redis) when Prometheus scrapes. */
  watchQueue(read: () => Promise<TierQueueStats[]>): void {
    this.queueReader = read;
  }

  /** The node's open sockets per role, counted when Prometheus scrapes. */
  watchSockets(count: () => Map<string, number>): void {
    this.socketCounter = count;
  }

  /** The node's Web Push outcomes so far, counted by the sender and read when Prometheus scrapes. */
  watchPushes(count: () => Readonly<Record<string, number>>): void {
    this.pushCounter = count;
  }

  /** The exposition text, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  chatTaken(how: TakeKind, tier: Tier): void {
    this.takes.inc({ how, tier });
  }

  /** A queued request of `tier` was taken after waiting `seconds`. */
  requestAnswered(tier: Tier, seconds: number): void {
    this.waitsAtTake.observe({ tier }, Math.max(0, seconds));
  }

  messageReceived(role: string): void {
    this.received.inc({ role });
  }

  messageDelivered(kind: MessageKind, createdAt: string): void {
    this.delivered.inc({ kind });
    const stamped = Date.parse(createdAt);
    if (Number.isFinite(stamped)) {
      this.delivery.observe({ kind }, Math.max(0, Date.now() - stamped) / 1000);
    }
  }

  errorAnswered(source: ErrorSource, code: string): void {
    this.errors.inc({ source, code });
  }

  eventHandled(event: string, seconds: number): void {
    this.events.observe({ event }, seconds);
  }

  /**
   * One Redis read serves the three queue gauges of a scrape: prom-client starts every
   * metric's collect at once, so they share the read in flight. A failed read leaves them out
   * of that scrape (logged) rather than failing the whole scrape.
   */
  private readQueue(): Promise<TierQueueStats[] | undefined> {
    const reader = this.queueReader;
    if (reader === undefined) return Promise.resolve(undefined);
    this.queueReading ??= reader()
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'reading the queue for metrics failed');
        return undefined;
      })
      .finally(() => {
        this.queueReading = undefined;
      });
    return this.queueReading;
  }
}

/** The per-tier figures from the waiting requests' tiers and request times (ms). */
export function tierQueueStats(
  requests: { tier: string; requestedAtMs: number }[],
  nowMs: number,
): TierQueueStats[] {
  return TIERS.map((tier) => {
    const waits = requests
      .filter((r) => r.tier === tier && Number.isFinite(r.requestedAtMs))
      .map((r) => Math.max(0, nowMs - r.requestedAtMs) / 1000);
    return {
      tier,
      depth: waits.length,
      longestWaitSeconds: waits.length === 0 ? 0 : Math.max(...waits),
      averageWaitSeconds: waits.length === 0 ? 0 : waits.reduce((a, b) => a + b, 0) / waits.length,
    };
  });
}

interface SentCommand {
  name: string;
  args: unknown[];
  promise: Promise<unknown>;
}

/**
 * Times every command sent on `client` (pipelined ones included) from its first `sendCommand`
 * to its reply or error. A command re-sent after a reconnect is timed once, from the first send.
 * `scriptOf` names the Lua script of an EVALSHA/EVAL from its first argument.
 */
export function timeRedisCommands(
  client: Redis,
  histogram: NodeMetrics['redisCommands'],
  scriptOf: (command: string, firstArg: unknown) => string,
): void {
  const timed = new WeakSet<object>();
  const send = client.sendCommand.bind(client) as (...args: unknown[]) => unknown;
  (client as { sendCommand: (...args: unknown[]) => unknown }).sendCommand = (
    ...args: unknown[]
  ) => {
    const command = args[0] as SentCommand | undefined;
    if (command !== undefined && !timed.has(command)) {
      timed.add(command);
      const name = command.name.toLowerCase();
      const script = name === 'evalsha' || name === 'eval' ? scriptOf(name, command.args[0]) : '';
      const end = histogram.startTimer({ command: name, script });
      command.promise.then(
        () => end(),
        () => end(),
      );
    }
    return send(...args);
  };
}
