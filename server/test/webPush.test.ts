// Web Push (issue 16.1): while a customer has no connection open, its agent taking the request,
// writing and calling each reach the customer's subscribed devices through a push service (a
// local one on loopback, which decrypts what it gets with the subscription's keys). No words of
// the conversation travel unless previews are on; a connected customer gets no push; a
// subscription the push service calls gone is removed.
import { randomUUID } from 'node:crypto';
import webPush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolateBidi, pushPayloadSchema, type PushPayload } from '@callcenter/shared';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';
import type { RunningServer } from '../src/app';
import type { WebPushSettings } from '../src/config';
import { LiveRedis } from '../src/live/liveRedis';
import { Presence } from '../src/live/presence';
import { PUSH_OFF_REASON } from '../src/push/pushRoutes';
import { LocalPushService, type LocalSubscription } from './support/localPushService';
import { Scraped } from './support/scrape';

/** The node's push outcomes as Prometheus reads them. */
async function pushMetric(outcome: string): Promise<number> {
  const scraped = await Scraped.parse((await suite.stack.server.metrics.scrape()).body);
  return scraped.value('callcenter_push_notifications_total', { outcome });
}

const vapidKeys = webPush.generateVAPIDKeys();
const pushSettings: WebPushSettings = {
  vapid: { ...vapidKeys, subject: 'mailto:support@example.com' },
  messagePreview: false,
  loopbackEndpoints: true,
};
const suite = useTestStack({ config: { webPush: pushSettings } });

let pushService: LocalPushService;
beforeAll(async () => {
  pushService = await LocalPushService.start();
});
afterAll(async () => {
  await pushService.close();
});

/** A call to the push API as `token`; the answer's status and JSON body (if any). */
async function pushApi(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  token: string | null,
  body?: unknown,
  url = suite.stack.url,
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}/api/push/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

async function subscribe(customer: TestClient, url?: string): Promise<LocalSubscription> {
  const subscription = await pushService.subscribe(vapidKeys.publicKey);
  const answer = await pushApi(
    'POST',
    'subscriptions',
    customer.token,
    { endpoint: subscription.endpoint, expirationTime: null, keys: subscription.keys },
    url,
  );
  expect(answer.status).toBe(204);
  return subscription;
}

function connectionsOf(customerId: string): Promise<number> {
  return new Presence(new LiveRedis(suite.stack.server.redis)).connectionCount(
    'customer',
    customerId,
  );
}

/** The customer's app goes away: its only connection closes and every node knows. */
async function goOffline(customer: TestClient): Promise<void> {
  customer.close();
  await expect.poll(() => connectionsOf(customer.account!.id)).toBe(0);
}

function sender(server: RunningServer = suite.stack.server) {
  if (server.webPush === null) throw new Error('push is off on this node');
  return server.webPush;
}

function payloadsOf(subscription: LocalSubscription): PushPayload[] {
  return pushService
    .pushesTo(subscription)
    .map((push) => pushPayloadSchema.parse(JSON.parse(push.text)));
}

/** A customer with a subscribed device and a queued request, and an agent (not yet taken). */
async function queuedCustomer() {
  const agent = await suite.loginNew('agent');
  const customer = await suite.loginNew('customer');
  await customer.requestOk('chat.request');
  const subscription = await subscribe(customer);
  return { agent, customer, subscription, customerId: customer.account!.id };
}

describe('Web Push to a customer with no connection open', () => {
  it('pushes the take, each message and a call, with no words of the chat', async () => {
    const { agent, customer, subscription, customerId } = await queuedCustomer();
    await goOffline(customer);

    const taken = await agent.requestOk('chat.start');
    const conversationId = taken.conversation.id;
    const [takePush] = await pushService.waitForPushes(subscription, 1);
    expect(JSON.parse(takePush!.text)).toEqual({
      kind: 'taken',
      conversationId,
      title: expect.stringContaining(agent.account!.displayName) as unknown,
      url: `/?conversation=${conversationId}`,
      lang: 'en',
    });
    // A take is news for a while; the Topic lets the push service keep only the latest.
    expect(takePush!.headers).toMatchObject({ urgency: 'high', ttl: '86400' });
    expect(takePush!.headers.topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);

    const secret = `Your refund ${randomUUID()} is approved`;
    await agent.requestOk('message.send', { customerId, clientMsgId: randomUUID(), text: secret });
    const pushes = await pushService.waitForPushes(subscription, 2);
    const messagePush = pushes[1]!;
    expect(JSON.parse(messagePush.text)).toEqual({
      kind: 'message',
      conversationId,
      title: `New message from ${isolateBidi(agent.account!.displayName)}`,
      url: `/?conversation=${conversationId}`,
      lang: 'en',
    });
    expect(messagePush.text).not.toContain('refund');
    expect(messagePush.headers).toMatchObject({ urgency: 'normal' });

    await agent.requestOk('call.start', { conversationId });
    await pushService.waitForPushes(subscription, 3);
    expect(payloadsOf(subscription).map((p) => p.kind)).toEqual(['taken', 'message', 'call']);
    // A call rings out: its push is worth nothing after the ring time-out.
    expect(pushService.pushesTo(subscription)[2]!.headers).toMatchObject({
      urgency: 'high',
      ttl: String(suite.stack.config.callRingTimeoutMs / 1000),
    });
    await sender().idle();
    expect(pushService.pushesTo(subscription)).toHaveLength(3);
  });

  it('reaches every device of the customer', async () => {
    const { agent, customer, subscription } = await queuedCustomer();
    const second = await subscribe(customer);
    await goOffline(customer);
    await agent.requestOk('chat.start');
    await pushService.waitForPushes(subscription, 1);
    await pushService.waitForPushes(second, 1);
    expect(payloadsOf(second)[0]).toMatchObject({ kind: 'taken' });
  });

  it("is worded in the language the customer's app last said it shows", async () => {
    const { agent, customer, subscription } = await queuedCustomer();
    await customer.requestOk('customer.language', { language: 'ar-EG' });
    await goOffline(customer);
    await agent.requestOk('chat.start');
    await pushService.waitForPushes(subscription, 1);
    expect(payloadsOf(subscription)[0]).toMatchObject({
      kind: 'taken',
      title: `${isolateBidi(agent.account!.displayName)} جاهز لمساعدتك`,
      lang: 'ar',
    });
  });

  it('carries the text when the administrator turned previews on', async () => {
    const previewNode = await suite.stack.addNode({
      webPush: { ...pushSettings, messagePreview: true },
    });
    try {
      const { customer, subscription, customerId } = await queuedCustomer();
      const agent = suite.track(
        await TestClient.login(suite.stack, await suite.stack.createAgent(), previewNode.url),
      );
      await goOffline(customer);
      await agent.requestOk('chat.start');
      await agent.requestOk('message.send', {
        customerId,
        clientMsgId: randomUUID(),
        text: '  Your parcel left the depot.  ',
      });
      await pushService.waitForPushes(subscription, 2);
      expect(payloadsOf(subscription)[1]).toMatchObject({
        kind: 'message',
        body: 'Your parcel left the depot.',
      });
    } finally {
      suite.stack.nodes.splice(suite.stack.nodes.indexOf(previewNode), 1);
      await previewNode.stop();
    }
  });

  it('sends nothing while the customer is connected', async () => {
    const { agent, customer, subscription, customerId } = await queuedCustomer();
    const before = { ...sender().counts };
    const taken = await agent.requestOk('chat.start');
    await agent.requestOk('message.send', { customerId, clientMsgId: randomUUID(), text: 'Hi' });
    await agent.requestOk('call.start', { conversationId: taken.conversation.id });
    // Each alert is queued before its ack: once the sender is idle, every one was decided.
    await sender().idle();
    expect(pushService.pushesTo(subscription)).toEqual([]);
    expect(sender().counts.online - before.online).toBe(3);
    expect(sender().counts.sent).toBe(before.sent);
    expect(await pushMetric('online')).toBe(sender().counts.online);
    // The same customer gone: the next message is pushed (the test above could not pass idly).
    await goOffline(customer);
    await agent.requestOk('message.send', { customerId, clientMsgId: randomUUID(), text: 'Hi' });
    await pushService.waitForPushes(subscription, 1);
  });

  it('removes a subscription the push service says is gone (410)', async () => {
    const { agent, customer, subscription, customerId } = await queuedCustomer();
    const kept = await subscribe(customer);
    await goOffline(customer);
    pushService.expire(subscription);
    const before = { ...sender().counts };
    await agent.requestOk('chat.start');
    await pushService.waitForPushes(kept, 1);
    await sender().idle();
    expect(sender().counts.expired - before.expired).toBe(1);
    expect(await pushMetric('expired')).toBe(sender().counts.expired);
    expect(await pushMetric('sent')).toBe(sender().counts.sent);
    expect(sender().counts.sent).toBeGreaterThan(0);
    const stored = await suite.stack.server.mongo.collections.pushSubscriptions
      .find({ customerId })
      .toArray();
    expect(stored.map((doc) => doc.endpoint)).toEqual([kept.endpoint]);
  });
});

describe('the push API', () => {
  it('gives customers the public key and refuses agents and strangers', async () => {
    const customer = await suite.loginNew('customer');
    const agent = await suite.loginNew('agent');
    expect(await pushApi('GET', 'key', customer.token)).toEqual({
      status: 200,
      body: { enabled: true, publicKey: vapidKeys.publicKey },
    });
    expect((await pushApi('GET', 'key', agent.token)).status).toBe(403);
    expect((await pushApi('GET', 'key', null)).status).toBe(401);
    const subscription = await pushService.subscribe(vapidKeys.publicKey);
    const body = { endpoint: subscription.endpoint, keys: subscription.keys };
    expect((await pushApi('POST', 'subscriptions', agent.token, body)).status).toBe(403);
  });

  it('refuses endpoints that are not https (or loopback where allowed) and bad keys', async () => {
    const customer = await suite.loginNew('customer');
    const { keys, endpoint } = await pushService.subscribe(vapidKeys.publicKey);
    for (const bad of [
      { endpoint: 'http://push.example.com/send/1', keys },
      { endpoint: 'https://user:pw@push.example.com/send/1', keys },
      { endpoint: 'ftp://push.example.com/1', keys },
      { endpoint, keys: { p256dh: 'short', auth: keys.auth } },
      { endpoint, keys: { p256dh: keys.p256dh } },
      { endpoint: { $ne: null }, keys },
    ]) {
      const answer = await pushApi('POST', 'subscriptions', customer.token, bad);
      expect(answer, JSON.stringify(bad)).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_payload' } },
      });
    }
    // A production node takes no loopback endpoint: a customer could aim it at the node's own
    // services.
    const strict = await suite.stack.addNode({
      webPush: { ...pushSettings, loopbackEndpoints: false },
    });
    try {
      const answer = await pushApi(
        'POST',
        'subscriptions',
        customer.token,
        { endpoint, keys },
        strict.url,
      );
      expect(answer).toMatchObject({
        status: 400,
        body: { error: { message: expect.stringContaining('https') as unknown } },
      });
    } finally {
      suite.stack.nodes.splice(suite.stack.nodes.indexOf(strict), 1);
      await strict.stop();
    }
  });

  it('says clearly when push is off, and refuses subscriptions then', async () => {
    const off = await suite.stack.addNode({ webPush: { ...pushSettings, vapid: null } });
    try {
      const customer = await suite.loginNew('customer');
      expect(off.webPush).toBeNull();
      expect(await pushApi('GET', 'key', customer.token, undefined, off.url)).toEqual({
        status: 200,
        body: { enabled: false, reason: PUSH_OFF_REASON },
      });
      const { keys, endpoint } = await pushService.subscribe(vapidKeys.publicKey);
      const answer = await pushApi(
        'POST',
        'subscriptions',
        customer.token,
        { endpoint, keys },
        off.url,
      );
      expect(answer).toMatchObject({ status: 404, body: { error: { message: PUSH_OFF_REASON } } });
    } finally {
      suite.stack.nodes.splice(suite.stack.nodes.indexOf(off), 1);
      await off.stop();
    }
  });

  it('keeps one record per endpoint, removes one device or all, and forgets a logged-out session', async () => {
    const customer = await suite.loginNew('customer');
    const customerId = customer.account!.id;
    const stored = () =>
      suite.stack.server.mongo.collections.pushSubscriptions.find({ customerId }).toArray();
    const first = await subscribe(customer);
    // The same device again (new keys after a browser reset, say): still one record.
    const again = await pushService.subscribe(vapidKeys.publicKey);
    const replaced = { endpoint: first.endpoint, keys: again.keys };
    expect((await pushApi('POST', 'subscriptions', customer.token, replaced)).status).toBe(204);
    const second = await subscribe(customer);
    expect((await stored()).map((doc) => [doc.endpoint, doc.keys.auth]).sort()).toEqual(
      [
        [first.endpoint, again.keys.auth],
        [second.endpoint, second.keys.auth],
      ].sort(),
    );
    const removeOne = await pushApi('DELETE', 'subscriptions', customer.token, {
      endpoint: first.endpoint,
    });
    expect(removeOne.status).toBe(204);
    expect((await stored()).map((doc) => doc.endpoint)).toEqual([second.endpoint]);
    expect((await pushApi('DELETE', 'subscriptions', customer.token)).status).toBe(204);
    expect(await stored()).toEqual([]);

    // Another customer's device subscribing the same endpoint takes it over.
    await subscribe(customer);
    const other = await suite.loginNew('customer');
    const shared = (await stored())[0]!;
    await pushApi('POST', 'subscriptions', other.token, {
      endpoint: shared.endpoint,
      keys: shared.keys,
    });
    expect(await stored()).toEqual([]);

    await subscribe(customer);
    const logout = await fetch(`${suite.stack.url}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer.token}` },
    });
    expect(logout.status).toBe(204);
    await expect.poll(async () => (await stored()).length).toBe(0);
  });

  it('forgets the subscriptions of a session that exits (R7), as of one that logs out', async () => {
    const customer = await suite.loginNew('customer');
    const customerId = customer.account!.id;
    const stored = () =>
      suite.stack.server.mongo.collections.pushSubscriptions.find({ customerId }).toArray();
    // Another session of the same customer (another device) keeps its own.
    const otherDevice = await TestClient.login(suite.stack, customer.account!);
    const kept = await subscribe(otherDevice);
    await subscribe(customer);
    expect(await stored()).toHaveLength(2);
    await customer.requestOk('session.exit');
    await expect
      .poll(async () => (await stored()).map((doc) => doc.endpoint))
      .toEqual([kept.endpoint]);
  });
});
