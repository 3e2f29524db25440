import type { PushKind } from '@callcenter/shared';

/** Something a customer's agent did that the customer should hear of even with the app closed. */
export interface CustomerAlert {
  kind: PushKind;
  customerId: string;
  conversationId: string;
  agentName: string;
  /** The message's text (`kind: 'message'`); whether it goes any further is the sender's call. */
  text?: string;
}

/**
 * Where the services report those (the Web Push sender implements it). Fire and forget: the
 * chat never waits for, or fails with, an alert.
 */
export interface CustomerAlerts {
  alert(alert: CustomerAlert): void;
}

export const NO_ALERTS: CustomerAlerts = { alert: () => undefined };
