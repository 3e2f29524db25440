// A lone node keeps its broadcasts to itself; a node joining is heard before it takes clients,
// so its clients get every broadcast of the nodes already running from their first moment.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';
import { SOCKET_IO_KEY } from '../src/socket/channels';

const suite = useTestStack();

/** Every channel the Socket.IO adapter publishes a broadcast on, as published. */
async function watchBroadcasts(url: string): Promise<{ channels: string[]; close(): void }> {
  const watcher = new Redis(url);
  const channels: string[] = [];
  watcher.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer) => {
    channels.push(channel.toString());
  });
  await watcher.psubscribe(`${SOCKET_IO_KEY}#*`);
  return {
    channels,
    close: () => {
      watcher.disconnect();
    },
  };
}

const watchers: { close(): void }[] = [];
afterEach(() => {
  for (const watcher of watchers.splice(0)) watcher.close();
});

describe('the Socket.IO adapter and the number of nodes', () => {
  it('a lone node publishes no broadcast; a second node gets every one from its first client on', async () => {
    const watcher = await watchBroadcasts(suite.stack.redis.url);
    watchers.push(watcher);
    const agent = await suite.loginNew('agent');
    const customer = await suite.loginNew('customer');
    await customer.requestOk('chat.request');
    const alone = await customer.requestOk('message.send', {
      clientMsgId: 'alone-1',
      text: 'is anyone there?',
    });
    await agent.waitFor('message.new', (m) => m.id === alone.message.id);
    expect(watcher.channels).toEqual([]);

    // Well within the lone node's recount period: only the joining node's announcement tells it.
    const second = await suite.stack.addNode();
    const remote = suite.track(
      await TestClient.login(suite.stack, await suite.stack.createAgent(), second.url),
    );
    const joined = await customer.requestOk('message.send', {
      clientMsgId: 'alone-2',
      text: 'hello, second node',
    });
    await remote.waitFor('message.new', (m) => m.id === joined.message.id);
    await agent.waitFor('message.new', (m) => m.id === joined.message.id);
    expect(watcher.channels.length).toBeGreaterThan(0);
  });
});
