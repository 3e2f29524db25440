// Whether a server address sends the agent's password and every customer's messages across the
// network unencrypted. Pure, so the settings page (to warn) and the main process (to refuse
// without the agent's consent) apply the same rule. The warning's words are the locale files'
// `server.unencryptedWarning` and `server.unencryptedConsent`.

/**
 * Traffic to these never leaves this computer: `localhost` (and `*.localhost`), 127.0.0.0/8,
 * `::1` and its IPv4-mapped form. Takes a WHATWG URL hostname, which is already normalised
 * (`127.1` and `0x7f.0.0.1` read as `127.0.0.1`, IPv6 in brackets).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  if (host === '[::1]') return true;
  // ::ffff:127.x.y.z, which URL writes as hex: [::ffff:7fxx:xxxx].
  return /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}

/**
 * True when `address` is plain `http://` to a host other than this computer. Addresses that do
 * not parse say false: the address check reports those.
 */
export function isUnencryptedRemote(address: string): boolean {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return false;
  }
  return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
}
