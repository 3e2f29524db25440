// The Socket.IO adapter publishes without handling the result; with Redis away that must not
// leave rejected promises behind (Node ends the process on an unhandled rejection).
import { expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { findFreePort } from '@callcenter/devstack/embedded';
import { isUnavailable } from './errors';
import { withPublishFailuresLogged } from './redisClients';

it('a publish without a connection is reported, not left unhandled; other commands pass through', async () => {
  const redis = new Redis(await findFreePort(), { lazyConnect: true, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  const failures: unknown[] = [];
  const reported = new Promise<void>((resolve) => {
    const publisher = withPublishFailuresLogged(redis, (error) => {
      failures.push(error);
      resolve();
    });
    // As the adapter does: the returned promise is dropped.
    void publisher.publish('channel', Buffer.from('event'));
    expect(publisher.status).toBe(redis.status);
  });
  await reported;
  expect(failures).toHaveLength(1);
  expect(isUnavailable(failures[0])).toBe(true);
  await expect(withPublishFailuresLogged(redis, () => undefined).get('key')).rejects.toThrow(
    "Stream isn't writeable",
  );
  redis.disconnect();
});
