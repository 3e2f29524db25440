// The store's connection fails in the middle of a request: reset (a proxy, a load balancer or
// the store dropping it) or silent (a frozen store, a network dropping packets). The request
// answers `unavailable`, so the client retries, and the retry is stored and delivered once.
// The server reaches the store through a TCP proxy that breaks the connection carrying a
// chosen request.
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { STORE_SOCKET_TIMEOUT_MS } from '../src/store/mongo';
import { InvariantChecker, TestClient, TestStack } from '@callcenter/devstack/testing';

interface Cut {
  test: (chunk: Buffer) => boolean;
  how: 'reset' | 'silence';
  done: () => void;
}

/**
 * Forwards TCP connections to `target`; `cutWhen(test, how)` breaks the first connection whose
 * next bytes from the client pass `test`, instead of forwarding them: it resets it (RST), or
 * leaves it open and forwards nothing more either way.
 */
class FaultyProxy {
  private cut: Cut | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(target: { host: string; port: number }): Promise<FaultyProxy> {
    const server = createServer();
    const proxy = new FaultyProxy(server);
    server.on('connection', (client) => {
      proxy.forward(client, target);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Resolves once a connection whose bytes passed `test` has been cut. */
  cutWhen(test: (chunk: Buffer) => boolean, how: Cut['how']): Promise<void> {
    return new Promise((resolve) => {
      this.cut = { test, how, done: resolve };
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }

  private forward(client: Socket, target: { host: string; port: number }): void {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
      });
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    let silent = false;
    upstream.on('data', (chunk: Buffer) => {
      if (!silent) client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      const cut = this.cut;
      if (cut?.test(chunk)) {
        this.cut = undefined;
        if (cut.how === 'reset') {
          client.resetAndDestroy();
          upstream.destroy();
        } else {
          silent = true;
        }
        cut.done();
      }
      if (!silent && !client.destroyed) upstream.write(chunk);
    });
  }
}

let proxy: FaultyProxy;
let stack: TestStack;

beforeAll(async () => {
  const store = new URL(inject('mongodbUrl'));
  proxy = await FaultyProxy.start({ host: store.hostname, port: Number(store.port || 27017) });
  // directConnection: the proxy's address is the one to use, whatever the store calls itself.
  const viaProxy = new URL(store);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  viaProxy.searchParams.set('directConnection', 'true');
  stack = await TestStack.start({ mongodbUrl: viaProxy.toString() });
});

afterAll(async () => {
  await stack.stop();
  await proxy.close();
});

/** An agent in a conversation with a customer, and the invariants recording it. */
async function agentWithCustomer() {
  const invariants = new InvariantChecker(stack.server.mongo.collections, stack.server.redis);
  const agent = await TestClient.login(stack, await stack.createAgent());
  const customerAccount = await stack.createCustomer();
  const customer = await TestClient.login(stack, customerAccount);
  await customer.requestOk('chat.request');
  invariants.recordRequested(customerAccount.id);
  await agent.requestOk('chat.start');
  return { invariants, agent, customerAccount, customer };
}

it('a send whose insert loses its store connection answers `unavailable`; the retry is stored and delivered once', async () => {
  const { invariants, agent, customerAccount, customer } = await agentWithCustomer();

  const clientMsgId = `reset-${crypto.randomUUID()}`;
  const reset = proxy.cutWhen((chunk) => chunk.includes(clientMsgId), 'reset');
  const answer = await customer.request('message.send', { clientMsgId, text: 'cut off' }, 10_000);
  await reset;
  expect(answer).toMatchObject({ ok: false, error: { code: 'unavailable' } });

  const retried = await customer.requestOk('message.send', {
    clientMsgId,
    text: 'cut off',
  });
  invariants.recordAcked(retried.message);
  await agent.waitFor('message.new', (m) => m.clientMsgId === clientMsgId);
  await invariants.checkAll([agent], [{ client: customer, customerId: customerAccount.id }]);
  expect(agent.received('message.new').map((m) => m.clientMsgId)).toEqual([clientMsgId]);
  agent.close();
  customer.close();
});

it('a send whose insert gets no answer from the store answers `unavailable` within the socket timeout', async () => {
  const { invariants, agent, customerAccount, customer } = await agentWithCustomer();

  const clientMsgId = `silenced-${crypto.randomUUID()}`;
  const silenced = proxy.cutWhen((chunk) => chunk.includes(clientMsgId), 'silence');
  const startedAt = performance.now();
  const answer = await customer.request(
    'message.send',
    { clientMsgId, text: 'into the void' },
    STORE_SOCKET_TIMEOUT_MS + 10_000,
  );
  const elapsedMs = performance.now() - startedAt;
  await silenced;
  expect(answer).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  expect(elapsedMs).toBeLessThan(STORE_SOCKET_TIMEOUT_MS + 5_000);

  const retried = await customer.requestOk('message.send', {
    clientMsgId,
    text: 'into the void',
  });
  invariants.recordAcked(retried.message);
  await agent.waitFor('message.new', (m) => m.clientMsgId === clientMsgId);
  await invariants.checkAll([agent], [{ client: customer, customerId: customerAccount.id }]);
  console.info(`store silent: send answered after ${Math.round(elapsedMs)} ms`);
  agent.close();
  customer.close();
}, 60_000);
