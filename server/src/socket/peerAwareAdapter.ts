import { once } from 'node:events';
import { RedisAdapter, type RedisAdapterOptions } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Namespace } from 'socket.io';
import { NODE_JOINED } from './channels';

type BroadcastOptions = Parameters<RedisAdapter['broadcast']>[1];

/** How often a node counts the nodes listening, to notice it has been left alone. */
const PEER_RECOUNT_MS = 5_000;
/** The Redis adapter's own time-out for answers (`requestsTimeout`), and a little more. */
const ANNOUNCE_TIMEOUT_MS = 6_000;

/**
 * The Redis adapter, except that a node that knows it is alone does not publish its broadcasts:
 * nobody but itself would receive them, and it would decode and drop every one.
 *
 * Alone is only ever concluded from a count and never assumed: a node starts out publishing.
 * It stops when `PUBSUB NUMSUB` finds itself the only subscriber of the adapter's request
 * channel, and starts again the moment something may have changed that:
 * - a node joining announces itself (`announce`) and opens to clients only once every node
 *   already listening has answered; a node answers after it has started publishing, so the
 *   newcomer's clients miss nothing;
 * - a count read while a node announced itself, or while this node's subscriber was away (its
 *   own subscription would not be counted, and it would not hear an announcement), is thrown
 *   away; the subscriber dropping starts publishing at once;
 * - a node whose subscriber comes back (Redis restarted: every node lost its subscriptions and
 *   they return one by one) announces itself again, as a joining node does, since a node that
 *   got its subscriptions back first may have counted itself alone meanwhile. Until the others
 *   have answered, `listening()` is false (the node reports not ready).
 */
export class PeerAwareRedisAdapter extends RedisAdapter {
  /** Whether other nodes may be listening. */
  private peers = true;
  /** Grows whenever a node may have joined unheard: a count read across a change is stale. */
  private epoch = 0;
  private readonly recountTimer: NodeJS.Timeout;
  private readonly ownRequestChannel: string;
  private readonly ownResponseChannel: string;
  private readonly namespace: Namespace;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  /** Subscribed, and every node listening has heard this one since it (re)subscribed. */
  private heard = false;
  private readonly onSubscriberLost = (): void => {
    this.heard = false;
    this.mayHavePeers();
  };
  private readonly onSubscriberBack = (): void => {
    if (this.heard) return;
    // ioredis emits `ready` before it re-sends the subscriptions; announce() pings behind them.
    setImmediate(() => {
      void this.rejoin();
    });
  };

  constructor(
    nsp: Namespace,
    publisher: Redis,
    subscriber: Redis,
    options: Partial<RedisAdapterOptions> & { key: string },
  ) {
    super(nsp, publisher, subscriber, options);
    this.namespace = nsp;
    this.publisher = publisher;
    this.subscriber = subscriber;
    // The channels the Redis adapter subscribes to (it keeps their names private).
    this.ownRequestChannel = `${options.key}-request#${nsp.name}#`;
    this.ownResponseChannel = `${options.key}-response#${nsp.name}#${String(this.uid)}#`;
    nsp.on(NODE_JOINED, (answer: (ok: true) => void) => {
      this.mayHavePeers();
      answer(true);
    });
    subscriber.on('close', this.onSubscriberLost);
    subscriber.on('ready', this.onSubscriberBack);
    this.recountTimer = setInterval(() => {
      void this.recount();
    }, PEER_RECOUNT_MS).unref();
  }

  override broadcast(packet: unknown, opts: BroadcastOptions): void {
    super.broadcast(
      packet,
      this.peers || opts.flags?.local ? opts : { ...opts, flags: { ...opts.flags, local: true } },
    );
  }

  override serverSideEmit(packet: unknown[]): void {
    const withAnswers = typeof packet.at(-1) === 'function';
    if (this.peers || withAnswers) super.serverSideEmit(packet);
  }

  /**
   * Tells the nodes already listening that this one is joining, and resolves once all have
   * answered (they publish from then on); call it before accepting clients. Rejects if some
   * did not answer in time (an older node, which always publishes).
   */
  async announce(): Promise<void> {
    // Replies come in order on a connection: past this, the adapter's subscriptions are in place
    // and the count behind the announcement includes this node.
    await this.subscriber.ping();
    try {
      // The adapter swallows a failure to count the nodes (Redis away) and never answers then.
      await Promise.race([
        this.namespace.serverSideEmitWithAck(NODE_JOINED),
        new Promise((_resolve, reject) => {
          setTimeout(() => {
            reject(new Error('the other nodes did not answer in time'));
          }, ANNOUNCE_TIMEOUT_MS).unref();
        }),
      ]);
    } finally {
      // Heard by all, or not answered by some (an older node, which publishes everything
      // anyway). Lost again meanwhile: the next `ready` announces again.
      this.heard = this.subscriber.status === 'ready';
      await this.recount();
    }
  }

  /** Announces this node again once its subscriptions are back (see the class comment). */
  private async rejoin(): Promise<void> {
    // The count behind the announcement goes through the publishing connection, which may
    // still be reconnecting.
    if (this.publisher.status !== 'ready') await once(this.publisher, 'ready');
    await this.announce().catch(() => {
      // Not every node answered: as at start-up (see announce).
    });
  }

  /** Whether every node listening has heard from this one since its subscriptions last came back. */
  listening(): boolean {
    return this.heard && this.subscriber.status === 'ready';
  }

  override close(): Promise<void> | void {
    clearInterval(this.recountTimer);
    this.subscriber.off('close', this.onSubscriberLost);
    this.subscriber.off('ready', this.onSubscriberBack);
    return super.close();
  }

  private mayHavePeers(): void {
    this.peers = true;
    this.epoch += 1;
  }

  private async recount(): Promise<void> {
    const epoch = this.epoch;
    if (this.subscriber.status !== 'ready') return;
    try {
      // Both counts in one command: this node's own response channel counts 1 only while its
      // subscriptions are in place, and then the request channel counts every node.
      const reply = (await this.publisher.call(
        'PUBSUB',
        'NUMSUB',
        this.ownRequestChannel,
        this.ownResponseChannel,
      )) as [string, number, string, number];
      const [, nodes, , self] = reply;
      if (this.epoch === epoch && self === 1) this.peers = nodes > 1;
    } catch {
      this.mayHavePeers();
    }
  }
}

/**
 * The peer-aware Redis adapter as Socket.IO's `adapter` option wants it (see
 * `PeerAwareRedisAdapter`).
 */
export function createPeerAwareAdapter(
  publisher: Redis,
  subscriber: Redis,
  options: Partial<RedisAdapterOptions> & { key: string },
): (nsp: Namespace) => PeerAwareRedisAdapter {
  // A function, not an arrow: Socket.IO calls it with `new` (an object it returns is the result).
  return function adapterFor(nsp: Namespace) {
    return new PeerAwareRedisAdapter(nsp, publisher, subscriber, options);
  };
}
