import type { LiveRedis } from './liveRedis';

/**
 * Login sessions (R1): a token is valid only while its session key exists; logout deletes it.
 * Each user's sessions are listed, so disabling an account can end them all.
 */
export class Sessions {
  constructor(private readonly redis: LiveRedis) {}

  async create(sessionId: string, userKey: string, ttlSeconds: number): Promise<void> {
    await this.redis.client
      .multi()
      .set(this.redis.key(`session:${sessionId}`), userKey, 'EX', ttlSeconds)
      .sadd(this.redis.key(`user-sessions:${userKey}`), sessionId)
      .expire(this.redis.key(`user-sessions:${userKey}`), ttlSeconds)
      .exec();
  }

  /** `role:userId` of the session's user, or null once it has ended. */
  async owner(sessionId: string): Promise<string | null> {
    return this.redis.client.get(this.redis.key(`session:${sessionId}`));
  }

  async exists(sessionId: string): Promise<boolean> {
    return (await this.redis.client.exists(this.redis.key(`session:${sessionId}`))) === 1;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.redis.client.del(this.redis.key(`session:${sessionId}`));
  }

  /** Revokes every session of a user (account disabled); returns their ids. */
  async revokeAllOf(userKey: string): Promise<string[]> {
    const setKey = this.redis.key(`user-sessions:${userKey}`);
    const ids = await this.redis.client.smembers(setKey);
    const multi = this.redis.client.multi();
    for (const id of ids) multi.del(this.redis.key(`session:${id}`));
    await multi.del(setKey).exec();
    return ids;
  }
}
