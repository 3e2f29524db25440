import { z } from 'zod';
import { idSchema } from './schemas';

// Web Push: a customer's device subscribes with the browser's push service and gives the
// server the subscription; while the customer has no connection open, the server pushes what
// its agent did (took the request, wrote, called) through that service.

/** Longest endpoint URL accepted (the browsers' are a few hundred characters). */
const ENDPOINT_LENGTH = 2048;

/** An https URL with a host name and no user part, as the push services give. */
const HTTPS_ENDPOINT = /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[\x21-\x7e]*)?$/;
/** Plain http on a loopback host: a push service on this machine (tests). */
const LOOPBACK_HTTP_ENDPOINT =
  /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?(\/[\x21-\x7e]*)?$/;

/** True for an http endpoint on a loopback host: the server refuses those unless told to take them. */
export function isLoopbackHttpEndpoint(endpoint: string): boolean {
  return LOOPBACK_HTTP_ENDPOINT.test(endpoint);
}

const endpointSchema = z
  .string()
  .max(ENDPOINT_LENGTH)
  .refine(
    (value) => HTTPS_ENDPOINT.test(value) || LOOPBACK_HTTP_ENDPOINT.test(value),
    'a push endpoint is an https URL',
  );

/** base64url without padding, as the browsers give the subscription's keys. */
const base64UrlSchema = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'keys are base64url')
    .refine((value) => value.replace(/=+$/, '').length === Math.ceil((bytes * 4) / 3), {
      message: `this key is ${bytes} bytes`,
    });

/**
 * `POST /api/push/subscriptions`: what `PushSubscription.toJSON()` gives (other fields are
 * ignored). `p256dh` is the device's P-256 public key (65 bytes), `auth` its 16-byte secret.
 */
export const pushSubscriptionSchema = z.object({
  endpoint: endpointSchema,
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: base64UrlSchema(65), auth: base64UrlSchema(16) }),
});
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionSchema>;

/** `DELETE /api/push/subscriptions`: one device's subscription, or all of the customer's. */
export const pushUnsubscribeSchema = z.strictObject({ endpoint: endpointSchema.optional() });
export type PushUnsubscribe = z.infer<typeof pushUnsubscribeSchema>;

/**
 * `GET /api/push/key`: the server's VAPID public key (the `applicationServerKey` to subscribe
 * with), or why push is off.
 */
export const pushKeyAnswerSchema = z.discriminatedUnion('enabled', [
  z.object({ enabled: z.literal(true), publicKey: z.string().min(1) }),
  z.object({ enabled: z.literal(false), reason: z.string() }),
]);
export type PushKeyAnswer = z.infer<typeof pushKeyAnswerSchema>;

export const PUSH_KINDS = ['taken', 'message', 'call'] as const;
export type PushKind = (typeof PUSH_KINDS)[number];

/**
 * What a push carries to the service worker. `body` holds the message's text only when the
 * server's administrator turned previews on; otherwise no words of the conversation leave
 * through the push service. `url` is the app page that opens the conversation.
 */
export const pushPayloadSchema = z.object({
  kind: z.enum(PUSH_KINDS),
  conversationId: idSchema,
  title: z.string(),
  body: z.string().optional(),
  url: z.string(),
  /** The language `title` is in (the customer's, else `en`): the notification is shown in it. */
  lang: z.string(),
});
export type PushPayload = z.infer<typeof pushPayloadSchema>;

/** The page of the customer app that shows a conversation (what a push's click opens). */
export function conversationUrl(conversationId: string): string {
  return `/?conversation=${encodeURIComponent(conversationId)}`;
}
