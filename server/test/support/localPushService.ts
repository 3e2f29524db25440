// A Web Push service on loopback: web-push-testing's model and Express app, in this process, so a
// test can wait for a push to arrive (decrypted there with the subscription's private key) and
// read the headers it came with. Started on a free port of 127.0.0.1; only the test's own
// server sends to it.
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** web-push-testing's PushApiModel and server, as far as this helper uses them (no types ship). */
interface PushApiModel {
  notifyUrl: string;
  subscribe(options: { userVisibleOnly: string; applicationServerKey: string }): Promise<{
    endpoint: string;
    keys: { p256dh: string; auth: string };
    clientHash: string;
  }>;
  expireSubscription(clientHash: string): void;
  handleNotification(clientHash: string, headers: unknown, body: unknown): Promise<void>;
}
interface ExpressLike {
  use(handler: (request: HeaderSource, response: unknown, next: () => void) => void): void;
  listen(port: number, host: string, ready: () => void): Server;
}
interface HeaderSource {
  path: string;
  headers: Record<string, string | string[] | undefined>;
}
interface TestingServer {
  _app: ExpressLike;
  setRequestHandlers(): void;
}

const require = createRequire(import.meta.url);
const { PushApiModel } = require('web-push-testing/src/PushApiModel.js') as {
  PushApiModel: new () => PushApiModel;
};
const WebPushTestingServer = require('web-push-testing/src/server.js') as new (
  model: PushApiModel,
  port: number,
) => TestingServer;

/** One push as the push service took it: the decrypted text and the request's headers. */
export interface ReceivedPush {
  clientHash: string;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface LocalSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  clientHash: string;
}

export class LocalPushService {
  readonly received: ReceivedPush[] = [];
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly model: PushApiModel,
    private readonly server: Server,
  ) {}

  static async start(): Promise<LocalPushService> {
    const model = new PushApiModel();
    const testing = new WebPushTestingServer(model, 0);
    const headersByHash = new Map<string, HeaderSource['headers']>();
    // The model keeps only the text; the headers (TTL, Topic, Urgency) are read on the way in.
    testing._app.use((request, _response, next) => {
      const match = /^\/notify\/([0-9a-f]+)$/.exec(request.path);
      if (match?.[1] !== undefined) headersByHash.set(match[1], { ...request.headers });
      next();
    });
    testing.setRequestHandlers();
    // Set once the service exists (it needs the listening server).
    const sink: { service?: LocalPushService } = {};
    const handle = model.handleNotification.bind(model);
    model.handleNotification = async (clientHash, headers, body) => {
      await handle(clientHash, headers, body);
      const messages = (model as unknown as { messages: Record<string, string[]> }).messages;
      sink.service?.arrived({
        clientHash,
        text: messages[clientHash]?.at(-1) ?? '',
        headers: headersByHash.get(clientHash) ?? {},
      });
    };
    const server = await new Promise<Server>((resolve) => {
      const listening: Server = testing._app.listen(0, '127.0.0.1', () => {
        resolve(listening);
      });
    });
    model.notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify/`;
    sink.service = new LocalPushService(model, server);
    return sink.service;
  }

  /** A new subscription for a server with this VAPID public key, as a browser would make. */
  subscribe(applicationServerKey: string): Promise<LocalSubscription> {
    return this.model.subscribe({ userVisibleOnly: 'true', applicationServerKey });
  }

  /** From now on the service answers pushes to this subscription 410 Gone. */
  expire(subscription: LocalSubscription): void {
    this.model.expireSubscription(subscription.clientHash);
  }

  /** The pushes that reached this subscription, in order. */
  pushesTo(subscription: LocalSubscription): ReceivedPush[] {
    return this.received.filter((push) => push.clientHash === subscription.clientHash);
  }

  /** Resolves once `count` pushes have reached the subscription in all. */
  async waitForPushes(subscription: LocalSubscription, count: number): Promise<ReceivedPush[]> {
    while (this.pushesTo(subscription).length < count) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.pushesTo(subscription);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => {
        resolve();
      });
      this.server.closeAllConnections();
    });
  }

  private arrived(push: ReceivedPush): void {
    this.received.push(push);
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
