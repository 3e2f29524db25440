/**
 * A fresh `clientMsgId` (the protocol's id alphabet, 32 hex digits). `crypto.randomUUID` exists
 * only in secure contexts, and the console may be served over plain http on a LAN;
 * `getRandomValues` exists everywhere.
 */
export function newClientMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
