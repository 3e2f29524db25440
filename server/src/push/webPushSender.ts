import { createHash } from 'node:crypto';
import webPush from 'web-push';
import { conversationUrl, type PushPayload } from '@callcenter/shared';
import type { WebPushSettings } from '../config';
import type { Logger } from '../logger';
import type { CustomerAlert, CustomerAlerts } from '../services/customerAlerts';
import type { PushSubscriptionDoc } from '../store/documents';
import type { PushSubscriptionsRepository } from '../store/pushSubscriptions';
import { pushLanguageOf, pushTitle } from './pushWording';

/** Pushes being sent at once by a node, and alerts waiting behind them. */
const SENDS_AT_ONCE = 8;
const ALERTS_WAITING = 1_000;
/** A push service that has not answered within this is given up on (no retry). */
const SEND_TIMEOUT_MS = 10_000;
/** How long a push service keeps a push for a device that is away; a call's rings out sooner. */
const MESSAGE_TTL_SECONDS = 24 * 3600;
/** A preview is cut here: the payload must fit a push (4 KB) and a notification shows little. */
const PREVIEW_LENGTH = 200;

/**
 * What became of one alert, per subscription (the tests, the logs and the metrics read these; a
 * type, not an interface, so it passes as a record of counts).
 */
export type PushCounts = {
  /** Delivered to the push service. */
  sent: number;
  /** Not sent: the customer had a connection open. */
  online: number;
  /** The push service said the subscription is gone (404/410); it was removed. */
  expired: number;
  /** Refused or unanswered for another reason; logged. */
  failed: number;
  /** Not sent: too many alerts were waiting already (per alert, not per device). */
  dropped: number;
};

/** Only base64url characters, at most 32 (RFC 8030's Topic header). */
function topicOf(alert: CustomerAlert): string {
  return createHash('sha256')
    .update(`${alert.kind}:${alert.conversationId}`)
    .digest('base64url')
    .slice(0, 32);
}

/**
 * Sends Web Push to a customer's devices when its agent did something while the customer has
 * no connection open on any node. Fire and forget: alerts wait in a bounded queue and a few are
 * sent at once, so a slow push service never holds up a chat. A burst about one conversation
 * is coalesced twice over: an alert still waiting here is replaced by a newer one of the same
 * kind, and the push services replace a push not yet delivered by a newer one of the same Topic.
 */
export class WebPushSender implements CustomerAlerts {
  private readonly waiting = new Map<string, CustomerAlert>();
  private sending = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  readonly counts: PushCounts = { sent: 0, online: 0, expired: 0, failed: 0, dropped: 0 };

  constructor(
    private readonly subscriptions: PushSubscriptionsRepository,
    /** Whether the customer has a connection open on any node. */
    private readonly isOnline: (customerId: string) => Promise<boolean>,
    /** The language the customer's app last said it shows (BCP 47), if it has. */
    private readonly languageOf: (customerId: string) => Promise<string | undefined>,
    private readonly settings: {
      vapid: NonNullable<WebPushSettings['vapid']>;
      messagePreview: boolean;
      callRingSeconds: number;
    },
    private readonly logger: Logger,
  ) {}

  alert(alert: CustomerAlert): void {
    if (this.closed) return;
    const key = `${alert.kind}:${alert.conversationId}`;
    if (!this.waiting.has(key) && this.waiting.size >= ALERTS_WAITING) {
      this.counts.dropped += 1;
      this.logger.warn({ customerId: alert.customerId }, 'push queue full: an alert was dropped');
      return;
    }
    this.waiting.set(key, alert);
    this.sendWaiting();
  }

  /** Resolves once nothing is waiting or being sent (tests; a stopping node). */
  idle(): Promise<void> {
    if (this.sending === 0 && this.waiting.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Takes no more alerts and lets those under way finish. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.clear();
    await this.idle();
  }

  private sendWaiting(): void {
    while (this.sending < SENDS_AT_ONCE) {
      const next = this.waiting.entries().next();
      if (next.done === true) break;
      const [key, alert] = next.value;
      this.waiting.delete(key);
      this.sending += 1;
      this.deliver(alert)
        .catch((error: unknown) => {
          this.logger.warn({ err: error, customerId: alert.customerId }, 'a push failed');
        })
        .finally(() => {
          this.sending -= 1;
          this.sendWaiting();
          if (this.sending === 0 && this.waiting.size === 0) {
            for (const resolve of this.idleWaiters.splice(0)) resolve();
          }
        });
    }
  }

  private async deliver(alert: CustomerAlert): Promise<void> {
    if (await this.isOnline(alert.customerId)) {
      this.counts.online += 1;
      return;
    }
    const devices = await this.subscriptions.listOf(alert.customerId);
    if (devices.length === 0) return;
    const language = await this.languageOf(alert.customerId);
    const payload = JSON.stringify(this.payloadOf(alert, language));
    await Promise.all(devices.map((device) => this.sendTo(device, payload, alert)));
  }

  /** The push about `alert`, worded in the customer's `language` (English without one). */
  payloadOf(alert: CustomerAlert, language?: string): PushPayload {
    const url = conversationUrl(alert.conversationId);
    const lang = pushLanguageOf(language);
    const title = pushTitle(alert.kind, alert.agentName, lang);
    const base = { kind: alert.kind, conversationId: alert.conversationId, url, lang, title };
    switch (alert.kind) {
      case 'taken':
      case 'call':
        return base;
      case 'message': {
        const text = alert.text?.trim();
        if (!this.settings.messagePreview || text === undefined || text === '') return base;
        const body = text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH)}…` : text;
        return { ...base, body };
      }
    }
  }

  private async sendTo(
    device: PushSubscriptionDoc,
    payload: string,
    alert: CustomerAlert,
  ): Promise<void> {
    // web-push encrypts and signs; the request itself goes through fetch, which speaks plain
    // http too (a local push service in tests) and is aborted on time.
    const request = webPush.generateRequestDetails(
      { endpoint: device.endpoint, keys: device.keys },
      payload,
      {
        vapidDetails: this.settings.vapid,
        TTL: alert.kind === 'call' ? this.settings.callRingSeconds : MESSAGE_TTL_SECONDS,
        urgency: alert.kind === 'message' ? 'normal' : 'high',
        topic: topicOf(alert),
        contentEncoding: 'aes128gcm',
      },
    );
    const headers = Object.fromEntries(
      Object.entries(request.headers)
        .filter(([name]) => name.toLowerCase() !== 'content-length')
        // TTL comes as a number, whatever the types say.
        .map(([name, value]) => [name, `${value as string | number}`]),
    );
    const where = { customerId: alert.customerId, pushService: new URL(device.endpoint).host };
    let status: number;
    try {
      const response = await fetch(request.endpoint, {
        method: request.method,
        headers,
        // A copy as a plain Uint8Array: what every lib's BodyInit takes (the DOM's too).
        body: new Uint8Array(request.body),
        redirect: 'error',
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (error) {
      this.counts.failed += 1;
      this.logger.warn({ err: error, ...where }, 'a push service did not answer');
      return;
    }
    if (status >= 200 && status < 300) {
      this.counts.sent += 1;
    } else if (status === 404 || status === 410) {
      // The device unsubscribed or its subscription expired: it will never take a push again.
      this.counts.expired += 1;
      await this.subscriptions.remove(device.customerId, device.endpoint);
      this.logger.info(where, 'a push subscription expired and was removed');
    } else {
      this.counts.failed += 1;
      this.logger.warn({ status, ...where }, 'a push service refused a push');
    }
  }
}
