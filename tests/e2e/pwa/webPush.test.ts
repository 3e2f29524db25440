// Web Push in the customer app (issue 16.1), in Chromium: the offer after sign-in subscribes the
// device only after its button (Chromium's push registration answered by a loopback stand-in
// for Google's servers, see support/fakeGcm.ts) and the server has the subscription; a push
// delivered to the service worker over the DevTools Protocol shows a notification, none while
// the app is focused; a click on it (on a stand-in for the desktop's notification server, see
// support/fakeNotificationCenter.ts) brings the app to the conversation, or opens the app at it
// when no window of the app is open.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webPush from 'web-push';
import type { BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PushPayload } from '@callcenter/shared';
import { expectAccessible } from '../../support/axe';
import { launchPersistentContext } from '../../support/browser';
import { FakeGcm } from '../../support/fakeGcm';
import { FakeNotificationCenter } from '../../support/fakeNotificationCenter';
import { CustomerPage } from './support/customerPage';
import { PHONE, screenshot, usePwaSuite } from './support/pwaSuite';

const vapid = webPush.generateVAPIDKeys();
/** Chromium's push registration and the worker's work take their time on a busy machine. */
const WAIT = { timeout: 30_000 };
const suite = usePwaSuite({
  config: {
    webPush: {
      vapid: { ...vapid, subject: 'mailto:support@example.com' },
      messagePreview: false,
      loopbackEndpoints: true,
    },
  },
});

let gcm: FakeGcm;
let desktop: FakeNotificationCenter;
beforeAll(async () => {
  gcm = await FakeGcm.start();
  desktop = await FakeNotificationCenter.start();
});
afterAll(async () => {
  await gcm.close();
  await desktop.close();
});

// Each test has a browser profile of its own on disk (push needs one).
let profile: { dir: string; context: BrowserContext } | undefined;
afterEach(async () => {
  if (profile === undefined) return;
  await profile.context.close();
  await rm(profile.dir, { recursive: true, force: true });
  profile = undefined;
});

async function newProfile(): Promise<BrowserContext> {
  const dir = await mkdtemp(join(tmpdir(), 'callcenter-push-'));
  const context = await launchPersistentContext(dir, gcm.chromiumFlags(), {
    ...PHONE,
    env: desktop.chromiumEnv(),
  });
  profile = { dir, context };
  return context;
}

function storedSubscriptions(customerId: string) {
  return suite.stack.server.mongo.collections.pushSubscriptions.find({ customerId }).toArray();
}

/** A signed-in customer whose device subscribed through the offer's button. */
async function subscribedCustomer() {
  const context = await newProfile();
  const account = await suite.newCustomer();
  const customer = await CustomerPage.open(context, suite.stack.url);
  await customer.waitForServiceWorker();
  await context.grantPermissions(['notifications'], { origin: suite.stack.url });
  await customer.login(account);
  const offer = customer.page.getByRole('region', { name: 'Get notified when your agent replies' });
  await offer.waitFor();
  // Nothing subscribed before the customer asked.
  expect(await storedSubscriptions(account.id)).toEqual([]);
  await expectAccessible(customer.page, 'the chat with the notifications offer');
  await screenshot(customer.page, 'push-offer');
  await offer.getByRole('button', { name: 'Turn on notifications' }).click();
  await expect.poll(async () => (await storedSubscriptions(account.id)).length, WAIT).toBe(1);
  await offer.waitFor({ state: 'detached' });
  return { context, account, customer };
}

/** The worker's registration id, for the DevTools Protocol's push delivery. */
async function registrationIdOf(cdp: CDPSession, scopeUrl: string): Promise<string> {
  const found = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((r) => r.scopeURL === scopeUrl && !r.isDeleted);
      if (ours !== undefined) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  return found;
}

async function serviceWorkerOf(context: BrowserContext): Promise<Worker> {
  return context.serviceWorkers()[0] ?? context.waitForEvent('serviceworker');
}

interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  data: unknown;
}

/** The notifications the worker shows now (read in the worker). */
function shownNotifications(worker: Worker): Promise<ShownNotification[]> {
  return worker.evaluate(async () => {
    const scope = globalThis as unknown as { registration: ServiceWorkerRegistration };
    const shown = await scope.registration.getNotifications();
    return shown.map(({ title, body, tag, data }) => ({ title, body, tag, data: data as unknown }));
  });
}

/** Pushes to the worker of `page`'s app over the DevTools Protocol, as the push service would. */
async function pushDelivery(
  context: BrowserContext,
  page: Page,
): Promise<{ cdp: CDPSession; deliver: (push: PushPayload) => Promise<unknown> }> {
  const cdp = await context.newCDPSession(page);
  const registrationId = await registrationIdOf(cdp, `${suite.stack.url}/`);
  const deliver = (push: PushPayload) =>
    cdp.send('ServiceWorker.deliverPushMessage', {
      origin: suite.stack.url,
      registrationId,
      data: JSON.stringify(push),
    });
  return { cdp, deliver };
}

/**
 * Another tab in front: the app is in the background. (Playwright makes every page think it
 * has the focus; the app's page is given back the real answer.)
 */
async function sendToBackground(context: BrowserContext, app: CDPSession): Promise<void> {
  const other = await context.newPage();
  await other.bringToFront();
  await app.send('Emulation.setFocusEmulationEnabled', { enabled: false });
}

/** The windows the worker can reach (its clients), by address. */
function windowsOf(worker: Worker): Promise<string[]> {
  return worker.evaluate(async () => {
    const scope = globalThis as unknown as {
      clients: {
        matchAll(options: {
          type: 'window';
          includeUncontrolled: boolean;
        }): Promise<{ url: string }[]>;
      };
    };
    const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
    return windows.map((client) => client.url);
  });
}

function payload(kind: PushPayload['kind'], conversationId: string, title: string): PushPayload {
  return { kind, conversationId, title, url: `/?conversation=${conversationId}`, lang: 'en' };
}

async function isFocusedAndVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => document.hasFocus() && document.visibilityState === 'visible');
}

describe('Web Push in the customer app', () => {
  it('subscribes only after the offer is taken, shows the state, and turns off', async () => {
    const { account, customer } = await subscribedCustomer();
    const [stored] = await storedSubscriptions(account.id);
    // A real Chromium subscription for this server's key, registered with the push service.
    expect(stored!.endpoint).toMatch(/^https:\/\//);
    expect(gcm.registrations.map((r) => r.sender)).toContain(vapid.publicKey);
    expect(stored!.endpoint).toContain(gcm.registrations.at(-1)!.token);

    await customer.button('Your Info').click();
    const setting = customer.page.getByRole('region', { name: 'Notifications' });
    await expect
      .poll(() => setting.getByRole('status').textContent(), WAIT)
      .toContain('On: you are told when your agent replies');
    await setting.scrollIntoViewIfNeeded();
    await screenshot(customer.page, 'push-on');
    await expectAccessible(customer.page, 'Your Info with notifications on');
    await setting.getByRole('button', { name: 'Turn off notifications' }).click();
    await expect.poll(async () => (await storedSubscriptions(account.id)).length, WAIT).toBe(0);
    await expect.poll(() => setting.getByRole('status').textContent(), WAIT).toContain('Off:');
    const stillSubscribed = await customer.page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return (await registration.pushManager.getSubscription()) !== null;
    });
    expect(stillSubscribed).toBe(false);
  });

  it('says so when the browser blocks notifications', async () => {
    const context = await newProfile();
    const account = await suite.newCustomer();
    const customer = await CustomerPage.open(context, suite.stack.url);
    await customer.waitForServiceWorker();
    await customer.login(account);
    const offer = customer.page.getByRole('region', {
      name: 'Get notified when your agent replies',
    });
    // Headless Chromium answers the permission prompt "denied" when nobody granted it.
    await offer.getByRole('button', { name: 'Turn on notifications' }).click();
    await offer.waitFor({ state: 'detached' });
    await customer.button('Your Info').click();
    await expect
      .poll(
        () =>
          customer.page
            .getByRole('region', { name: 'Notifications' })
            .getByRole('status')
            .textContent(),
        WAIT,
      )
      .toContain('blocked');
    expect(await storedSubscriptions(account.id)).toEqual([]);
  });

  it('shows a pushed notification (not while the app is focused) and a click brings the app to it', async () => {
    const { context, customer } = await subscribedCustomer();
    const { cdp, deliver } = await pushDelivery(context, customer.page);
    const worker = await serviceWorkerOf(context);

    // The app on screen and focused: no notification; the worker tells the app instead (the
    // server pushed because it had no connection for it, so the app reconnects now).
    await customer.bringToFront();
    expect(await isFocusedAndVisible(customer.page)).toBe(true);
    const told = customer.page.evaluate(
      () =>
        new Promise<unknown>((resolve) => {
          navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
            if ((event.data as { type?: unknown }).type === 'push.arrived') resolve(event.data);
          });
        }),
    );
    await deliver(payload('message', 'conversation-while-open', 'New message from Ada'));
    expect(await told).toEqual({ type: 'push.arrived', conversationId: 'conversation-while-open' });
    expect(await shownNotifications(worker)).toEqual([]);
    await sendToBackground(context, cdp);
    expect(await isFocusedAndVisible(customer.page)).toBe(false);
    await deliver(payload('message', 'conversation-1', 'New message from Ada'));
    await expect
      .poll(() => shownNotifications(worker), WAIT)
      .toEqual([
        {
          title: 'New message from Ada',
          body: '',
          tag: 'conversation:conversation-1',
          data: { conversationId: 'conversation-1', url: '/?conversation=conversation-1' },
        },
      ]);
    // A burst about one conversation is one notification: the newer replaces it.
    await deliver(payload('call', 'conversation-1', 'Ada is calling you'));
    await expect
      .poll(async () => (await shownNotifications(worker)).map((n) => n.title), WAIT)
      .toEqual(['Ada is calling you']);

    // Your Info open over the chat; the click brings the conversation back to the front.
    await customer.button('Your Info').click();
    await expect(customer.button('Your Info').getAttribute('aria-expanded')).resolves.toBe('true');
    desktop.click('Ada is calling you');
    await expect
      .poll(() => customer.button('Your Info').getAttribute('aria-expanded'), WAIT)
      .toBe('false');
    await expect
      .poll(() => customer.page.evaluate(() => document.activeElement?.textContent), WAIT)
      .toBe('Support chat');
    expect(await shownNotifications(worker)).toEqual([]);
  });

  it('a click with no window of the app open opens the app at that conversation', async () => {
    const { context, account, customer } = await subscribedCustomer();
    const agent = await suite.newAgent('Ada Agent');
    await customer.requestChat();
    const { conversation } = await agent.requestOk('chat.start');
    const text = 'Your parcel left the depot this morning.';
    await agent.requestOk('message.send', {
      customerId: account.id,
      clientMsgId: crypto.randomUUID(),
      text,
    });
    await customer.waitForMessage(text);

    const { cdp, deliver } = await pushDelivery(context, customer.page);
    const worker = await serviceWorkerOf(context);
    await sendToBackground(context, cdp);
    await deliver(payload('message', conversation.id, 'New message from Ada'));
    await expect
      .poll(() => desktop.shown().map((shown) => shown.title), WAIT)
      .toEqual(['New message from Ada']);

    // Every window closed, as the worker sees it too; the browser and its worker stay.
    for (const page of context.pages()) await page.close();
    expect(context.serviceWorkers()).toEqual([worker]);
    await expect.poll(() => windowsOf(worker), WAIT).toEqual([]);
    const opened = context.waitForEvent('page', WAIT);
    desktop.click('New message from Ada');
    // The worker had the click: it closes the notification, then opens the app.
    await expect.poll(() => desktop.shown(), WAIT).toEqual([]);
    const reopened = new CustomerPage(await opened);
    await reopened.page.waitForURL(`${suite.stack.url}/?conversation=${conversation.id}`, WAIT);
    await reopened.chatHeading.waitFor(WAIT);
    await reopened.waitForState('In Conversation');
    await reopened.waitForMessage(text);
    expect(await shownNotifications(worker)).toEqual([]);
    await screenshot(reopened.page, 'push-opened-app');
  });
});
