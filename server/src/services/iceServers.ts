import { createHmac } from 'node:crypto';
import type { IceConfig } from '@callcenter/shared';
import type { IceSettings } from '../config';

/**
 * The ICE configuration a device in a call gets. TURN credentials follow the shared-secret
 * scheme coturn supports (`use-auth-secret`, `static-auth-secret`): the username is the expiry
 * (Unix seconds) and the user's id, the password the base64 HMAC-SHA1 of the username under the
 * secret, so the TURN server checks them without asking this one, and they stop working by
 * themselves.
 */
export function iceConfigFor(settings: IceSettings, userId: string, nowMs: number): IceConfig {
  const iceServers: IceConfig['iceServers'] = [];
  if (settings.stunUrls.length > 0) iceServers.push({ urls: settings.stunUrls });
  if (settings.turnUrls.length > 0 && settings.turnSecret !== null) {
    const expiresAt = Math.floor(nowMs / 1000) + settings.turnTtlSeconds;
    const username = `${expiresAt}:${userId}`;
    const credential = createHmac('sha1', settings.turnSecret).update(username).digest('base64');
    iceServers.push({ urls: settings.turnUrls, username, credential });
  }
  return { iceServers, iceTransportPolicy: settings.relayOnly ? 'relay' : 'all' };
}
