// Web Crypto: in every browser and in Node 19+, the one platform API the core uses. Declared
// here because the core is built without the DOM or Node typings.
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

/**
 * A fresh client message id: 128 random bits as 32 hex digits (the protocol's id alphabet).
 * A send keeps its id through every retry, so the server stores the message once. Not
 * `crypto.randomUUID()`: that exists only in secure contexts, and the apps may be opened over
 * plain HTTP on a local network.
 */
export function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
