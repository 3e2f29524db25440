import { createHash } from 'node:crypto';
import type { PushSubscriptionInput } from '@callcenter/shared';
import type { Collections, PushSubscriptionDoc } from './documents';

/** Devices a customer may have subscribed at once. */
export const MAX_DEVICES_PER_CUSTOMER = 10;

function idOf(endpoint: string): string {
  return createHash('sha256').update(endpoint).digest('base64url');
}

/** Customers' Web Push subscriptions: several devices each, one record per endpoint. */
export class PushSubscriptionsRepository {
  constructor(private readonly collections: Pick<Collections, 'pushSubscriptions'>) {}

  /**
   * Keeps a device's subscription for this customer (a new one, or new keys for its endpoint).
   * An endpoint some other customer had subscribed moves to this one: the device's browser
   * shows pushes to whoever subscribed it last.
   */
  async save(
    owner: { customerId: string; sessionId: string },
    subscription: PushSubscriptionInput,
  ): Promise<void> {
    const now = new Date();
    await this.collections.pushSubscriptions.updateOne(
      { _id: idOf(subscription.endpoint) },
      {
        $set: {
          customerId: owner.customerId,
          sessionId: owner.sessionId,
          endpoint: subscription.endpoint,
          keys: { p256dh: subscription.keys.p256dh, auth: subscription.keys.auth },
          updatedAt: now,
        },
        $setOnInsert: { createdAt: now },
      },
      { upsert: true },
    );
    // A customer's devices are few: more than that is not a person's phones and laptops, and
    // every push would go to all of them. The least recently subscribed go.
    const devices = await this.listOf(owner.customerId);
    if (devices.length <= MAX_DEVICES_PER_CUSTOMER) return;
    const oldest = devices
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
      .slice(MAX_DEVICES_PER_CUSTOMER)
      .map((doc) => doc._id);
    await this.collections.pushSubscriptions.deleteMany({ _id: { $in: oldest } });
  }

  async listOf(customerId: string): Promise<PushSubscriptionDoc[]> {
    return this.collections.pushSubscriptions.find({ customerId }).toArray();
  }

  /** Removes one device's subscription of this customer; `endpoint` omitted: all of them. */
  async remove(customerId: string, endpoint?: string): Promise<number> {
    const filter = endpoint === undefined ? { customerId } : { _id: idOf(endpoint), customerId };
    return (await this.collections.pushSubscriptions.deleteMany(filter)).deletedCount;
  }

  /** A logout: the devices that session subscribed stop getting pushes. */
  async removeSession(sessionId: string): Promise<number> {
    return (await this.collections.pushSubscriptions.deleteMany({ sessionId })).deletedCount;
  }
}
