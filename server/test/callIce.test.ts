// How a device in a call connects its media: the ICE servers of the configuration, TURN
// credentials in the shared-secret scheme coturn checks (expiry:user, HMAC-SHA1 under the
// secret), relay-only when configured; and a configuration that cannot work is refused.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TestClient, useTestStack } from '@callcenter/devstack/testing';
import { configFrom, configProblems } from './support/configProblems';

const SECRET = 'turn-shared-secret-for-tests';
const TTL_SECONDS = 300;
const suite = useTestStack({
  config: {
    ice: {
      stunUrls: ['stun:127.0.0.1:3478'],
      turnUrls: ['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp'],
      turnSecret: SECRET,
      turnTtlSeconds: TTL_SECONDS,
      relayOnly: true,
    },
  },
});

describe('ICE configuration of a call', () => {
  it('gives each device that joins a call STUN, and TURN credentials of its own that expire', async () => {
    const { stack } = suite;
    const agent = await suite.loginNew('agent');
    const customer = suite.track(await TestClient.login(stack, await stack.createCustomer()));
    await customer.requestOk('chat.request');
    const { conversation } = await agent.requestOk('chat.start');

    const before = Math.floor(Date.now() / 1000);
    const placed = await agent.requestOk('call.start', { conversationId: conversation.id });
    const accepted = await customer.requestOk('call.accept', { callId: placed.call.callId });
    const after = Math.floor(Date.now() / 1000);

    for (const [{ ice }, client] of [
      [placed, agent],
      [accepted, customer],
    ] as const) {
      expect(ice.iceTransportPolicy).toBe('relay');
      const [stun, turn] = ice.iceServers;
      expect(stun).toEqual({ urls: ['stun:127.0.0.1:3478'] });
      expect(turn?.urls).toHaveLength(2);
      const [expiry, userId] = (turn?.username ?? '').split(':');
      expect(userId).toBe(client.account?.id);
      expect(Number(expiry)).toBeGreaterThanOrEqual(before + TTL_SECONDS);
      expect(Number(expiry)).toBeLessThanOrEqual(after + TTL_SECONDS);
      const expected = createHmac('sha1', SECRET)
        .update(turn?.username ?? '')
        .digest('base64');
      expect(turn?.credential).toBe(expected);
    }
  });

  it('refuses TURN without its secret, and relay-only without TURN', () => {
    expect(configProblems({ TURN_URLS: 'turn:turn.example:3478' })).toEqual([
      'TURN_SECRET: TURN_URLS needs TURN_SECRET (the static-auth-secret of the TURN server)',
    ]);
    expect(configProblems({ ICE_RELAY_ONLY: 'true' })).toEqual([
      'ICE_RELAY_ONLY: ICE_RELAY_ONLY needs TURN_URLS: relayed media goes through a TURN server',
    ]);
    expect(configProblems({ STUN_URLS: 'http://stun.example' })).toEqual([
      'STUN_URLS: STUN_URLS takes a comma-separated list of stun: or stuns: URLs',
    ]);
    const config = configFrom({
      STUN_URLS: 'stun:stun.example:3478, stuns:stun.example:5349',
      TURN_URLS: 'turns:turn.example:5349',
      TURN_SECRET: SECRET,
    });
    expect(config.ice).toEqual({
      stunUrls: ['stun:stun.example:3478', 'stuns:stun.example:5349'],
      turnUrls: ['turns:turn.example:5349'],
      turnSecret: SECRET,
      turnTtlSeconds: 600,
      relayOnly: false,
    });
  });
});
