// Web Push on this device: whether it can have it, the customer's choice, and the subscription.
// The browser's permission prompt only ever follows the customer pressing "Turn on" (never on
// load or sign-in): a prompt out of the blue is what people learn to refuse.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { deletePushSubscription, fetchPushKey, postPushSubscription } from '@callcenter/client';
import { pushSubscriptionSchema } from '@callcenter/shared';

/**
 * `unsupported`: this browser has no Web Push (or no service worker here); `serverOff`: the
 * server sends none; `blocked`: the browser's notification permission is denied; `off`: not
 * subscribed; `on`: subscribed and the server has it; `unknown`: not checked yet (signed out).
 */
export type PushStatus = 'unknown' | 'unsupported' | 'serverOff' | 'blocked' | 'off' | 'on';

export interface PushView {
  status: PushStatus;
  /** A change is under way (the buttons wait). */
  busy: boolean;
  /** The last attempt failed (the customer may try again). */
  failed: boolean;
  /** The customer said "Not now" to the offer on this device. */
  offerDismissed: boolean;
}

/** Remembers "Not now" on this device, so the offer does not come back on every start. */
const DISMISSED_KEY = 'callcenter.pushOfferDismissed';
/** A service worker not ready within this (a first visit still installing) counts as absent. */
const WORKER_WAIT_MS = 10_000;

function pushSupported(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    'serviceWorker' in navigator &&
    typeof window !== 'undefined' &&
    'PushManager' in window &&
    'Notification' in window
  );
}

async function workerRegistration(): Promise<ServiceWorkerRegistration | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      resolve(null);
    }, WORKER_WAIT_MS);
  });
  try {
    return await Promise.race([navigator.serviceWorker.ready, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

/** The key as the browser wants it (base64url text to bytes). */
function keyBytes(base64Url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64Url.replaceAll('-', '+').replaceAll('_', '/');
  const text = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

function sameKey(subscription: PushSubscription, publicKey: string): boolean {
  const current = subscription.options.applicationServerKey;
  if (current === null) return false;
  const wanted = keyBytes(publicKey);
  const bytes = new Uint8Array(current);
  return bytes.length === wanted.length && bytes.every((byte, i) => byte === wanted[i]);
}

/** The subscription as the server takes it. */
function wireOf(subscription: PushSubscription) {
  return pushSubscriptionSchema.parse(subscription.toJSON());
}

export class PushNotifications {
  readonly view: StoreApi<PushView>;
  private publicKey: string | null = null;

  constructor(
    private readonly serverUrl: string,
    private readonly storage: Storage,
    /** A push came while the app was on screen: the server thinks it has no connection. */
    onArrivedWhileOpen: () => void,
  ) {
    this.view = createStore<PushView>(() => ({
      status: 'unknown',
      busy: false,
      failed: false,
      offerDismissed: storage.getItem(DISMISSED_KEY) === '1',
    }));
    if (pushSupported()) {
      navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
        if ((event.data as { type?: unknown } | null)?.type === 'push.arrived') {
          onArrivedWhileOpen();
        }
      });
    }
  }

  /**
   * After sign-in: what this device can do, and a subscription it already has is given to the
   * server again (it may have been removed by a sign-out, or be another customer's).
   */
  async signedIn(token: string): Promise<void> {
    if (!pushSupported()) {
      this.set({ status: 'unsupported' });
      return;
    }
    await this.run(async () => {
      const answer = await fetchPushKey(this.serverUrl, token);
      if (!answer.enabled) {
        this.set({ status: 'serverOff' });
        return;
      }
      this.publicKey = answer.publicKey;
      const registration = await workerRegistration();
      if (registration === null) {
        this.set({ status: 'unsupported' });
        return;
      }
      const existing = await registration.pushManager.getSubscription();
      if (Notification.permission === 'denied') {
        this.set({ status: 'blocked' });
      } else if (existing !== null && sameKey(existing, answer.publicKey)) {
        await postPushSubscription(this.serverUrl, token, wireOf(existing));
        this.set({ status: 'on' });
      } else {
        // One made for another server key can take no pushes from this server.
        await existing?.unsubscribe();
        this.set({ status: 'off' });
      }
    });
  }

  /** The customer pressed "Turn on": the browser asks for permission, then the device subscribes. */
  async turnOn(token: string): Promise<void> {
    const publicKey = this.publicKey;
    if (publicKey === null) return;
    await this.run(async () => {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        this.set({ status: permission === 'denied' ? 'blocked' : 'off' });
        return;
      }
      const registration = await workerRegistration();
      if (registration === null) {
        this.set({ status: 'unsupported' });
        return;
      }
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(publicKey),
      });
      await postPushSubscription(this.serverUrl, token, wireOf(subscription));
      this.set({ status: 'on' });
    });
  }

  /** The customer pressed "Turn off": the device unsubscribes and the server forgets it. */
  async turnOff(token: string): Promise<void> {
    await this.run(async () => {
      await this.unsubscribe(token);
      this.set({ status: 'off' });
    });
  }

  /** "Not now": the offer stays away on this device (Your Info still has the switch). */
  dismissOffer(): void {
    this.storage.setItem(DISMISSED_KEY, '1');
    this.set({ offerDismissed: true });
  }

  /**
   * Signing out: this device stops getting the customer's pushes. The server also forgets the
   * session's subscriptions at logout; unsubscribing here covers a logout it never heard of.
   */
  async signingOut(token: string | null): Promise<void> {
    if (!pushSupported()) return;
    await this.unsubscribe(token).catch(() => undefined);
    this.publicKey = null;
    this.set({ status: 'unknown', busy: false, failed: false });
  }

  /** `token` null: the session is already gone (the server forgot its subscriptions then). */
  private async unsubscribe(token: string | null): Promise<void> {
    const registration = await navigator.serviceWorker.getRegistration();
    const subscription = await registration?.pushManager.getSubscription();
    if (subscription === undefined || subscription === null) return;
    const { endpoint } = subscription;
    await subscription.unsubscribe();
    if (token !== null) await deletePushSubscription(this.serverUrl, token, endpoint);
  }

  private async run(change: () => Promise<void>): Promise<void> {
    this.set({ busy: true, failed: false });
    try {
      await change();
    } catch (error) {
      console.warn('push notifications:', error);
      this.set({ failed: true });
    } finally {
      this.set({ busy: false });
    }
  }

  private set(change: Partial<PushView>): void {
    this.view.setState(change);
  }
}
