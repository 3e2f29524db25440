import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { useTestStack } from '@callcenter/devstack/testing';
import { connectAgainLater } from './reconnect';

// One socket per user: a second one is refused for now (`rate_limited`) until the first closes.
const suite = useTestStack({ config: { socketLimits: { perUser: 1, perAddress: 2_000 } } });
const opened: Socket[] = [];

afterEach(() => {
  for (const socket of opened.splice(0)) socket.close();
});

function open(token: string): Socket {
  const socket = io(suite.stack.url, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
  });
  opened.push(socket);
  return socket;
}

const connected = (socket: Socket) =>
  new Promise<void>((resolve) => {
    socket.once('connect', () => {
      resolve();
    });
  });

describe('connectAgainLater', () => {
  it('connects again after a handshake refused for now, which Socket.IO does not retry', async () => {
    const { token } = await suite.stack.login(await suite.stack.createCustomer());
    const first = open(token);
    await connected(first);

    const second = open(token);
    const refusal = await new Promise<Error>((resolve) => second.once('connect_error', resolve));
    expect(refusal.message).toBe('rate_limited');
    expect(second.active).toBe(false);

    // As the apps do: every refusal schedules the next try (the first may come before the
    // server has counted the closed socket out).
    const again = connected(second);
    second.on('connect_error', () => {
      connectAgainLater(second, () => true, 50);
    });
    connectAgainLater(second, () => true, 50);
    first.close();
    await again;
    expect(second.connected).toBe(true);
  });
});
