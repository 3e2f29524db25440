import type { LiveRedis } from './liveRedis';

/**
 * Who is connected, on which node, and which nodes are alive (their heartbeats). A customer
 * going offline or coming back changes the queue, so connect, disconnect and reaping a dead
 * node say whether it changed.
 */
export class Presence {
  constructor(private readonly redis: LiveRedis) {}

  async connect(
    nodeId: string,
    connectionId: string,
    role: string,
    userId: string,
  ): Promise<boolean> {
    return (await this.redis.run('connect', [nodeId, connectionId, role, userId])) === 1;
  }

  async disconnect(
    nodeId: string,
    connectionId: string,
    role: string,
    userId: string,
    nowMs: number,
  ): Promise<boolean> {
    return (await this.redis.run('disconnect', [nodeId, connectionId, role, userId, nowMs])) === 1;
  }

  async connectionCount(role: string, userId: string): Promise<number> {
    return this.redis.client.scard(this.redis.key(`conns:${role}:${userId}`));
  }

  async heartbeat(nodeId: string, nowMs: number): Promise<void> {
    await this.redis.client.zadd(this.redis.key('nodes'), nowMs, nodeId);
  }

  /** Nodes whose last heartbeat is older than the cutoff. */
  async deadNodes(cutoffMs: number): Promise<string[]> {
    return this.redis.client.zrangebyscore(this.redis.key('nodes'), '-inf', cutoffMs);
  }

  /**
   * Drops a dead (or stopping) node's connections; a call one of them was a device in waits for
   * it until `callDeadlineMs` (it may come back through another node).
   */
  async reapNode(
    nodeId: string,
    nowMs: number,
    callDeadlineMs: number,
  ): Promise<{ dropped: number; queueChanged: boolean }> {
    const [dropped, queueChanged] = (await this.redis.run('reapNode', [
      nodeId,
      nowMs,
      callDeadlineMs,
    ])) as [number, number];
    return { dropped, queueChanged: queueChanged === 1 };
  }
}
