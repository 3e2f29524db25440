// A call's media forced through a TURN relay: the server issues each device its ICE
// configuration (relay only, TURN credentials in the shared-secret scheme), and two WebRTC peers
// in Chromium, configured with exactly that, connect through a real coturn on loopback and
// exchange data. This proves the credentials work. What the browser produced to signal (its SDP
// and ICE candidates) also fits the protocol's `call.signal` schema.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSignalSchema, type IceConfig } from '@callcenter/shared';
import { TestClient } from '@callcenter/devstack/testing';
import { launchBrowser } from './support/browser';
import { useRelayedCalls } from './support/relayedCalls';

const { suite } = useRelayedCalls();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
});

interface PeerResult {
  localCandidateType: string;
  remoteCandidateType: string;
  echoed: string;
  signals: unknown[];
}

/** In the page: two peers with the given configurations connect and echo one message. */
async function connectPeers(
  caller: IceConfig,
  callee: IceConfig,
  timeoutMs = 20_000,
): Promise<PeerResult> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ([callerConfig, calleeConfig, waitMs]) => {
        const signals: unknown[] = [];
        const a = new RTCPeerConnection(callerConfig);
        const b = new RTCPeerConnection(calleeConfig);
        const relayCandidates = (from: RTCPeerConnection, to: RTCPeerConnection) => {
          from.onicecandidate = ({ candidate }) => {
            const init = candidate ? candidate.toJSON() : null;
            signals.push({ kind: 'candidate', candidate: init });
            if (candidate) void to.addIceCandidate(candidate);
          };
        };
        relayCandidates(a, b);
        relayCandidates(b, a);
        const channel = a.createDataChannel('probe');
        b.ondatachannel = ({ channel: incoming }) => {
          incoming.onmessage = ({ data }) => {
            incoming.send(`echo: ${String(data)}`);
          };
        };
        const echoed = new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => {
            reject(new Error(`no echo; ICE ${a.iceConnectionState}/${b.iceConnectionState}`));
          }, waitMs);
          channel.onopen = () => {
            channel.send('hello through the relay');
          };
          channel.onmessage = ({ data }) => {
            clearTimeout(timer);
            resolve(String(data));
          };
        });
        const offer = await a.createOffer();
        signals.push({ kind: 'description', type: 'offer', sdp: offer.sdp });
        await a.setLocalDescription(offer);
        await b.setRemoteDescription(offer);
        const answer = await b.createAnswer();
        signals.push({ kind: 'description', type: 'answer', sdp: answer.sdp });
        await b.setLocalDescription(answer);
        await a.setRemoteDescription(answer);
        const message = await echoed;

        const stats = await a.getStats();
        let pair: { localCandidateId?: string; remoteCandidateId?: string } | undefined;
        stats.forEach((report: { type: string; state?: string; nominated?: boolean }) => {
          if (report.type === 'candidate-pair' && report.state === 'succeeded' && report.nominated)
            pair = report as typeof pair;
        });
        const typeOf = (id: string | undefined) =>
          (stats.get(id ?? '') as { candidateType?: string } | undefined)?.candidateType ?? 'none';
        a.close();
        b.close();
        return {
          localCandidateType: typeOf(pair?.localCandidateId),
          remoteCandidateType: typeOf(pair?.remoteCandidateId),
          echoed: message,
          signals,
        };
      },
      [caller, callee, timeoutMs] as const,
    );
  } finally {
    await page.close();
  }
}

describe('a call forced through a TURN relay', () => {
  it('connects two browsers with the ICE configuration the server issued, through coturn', async () => {
    const { stack } = suite;
    const agent = await suite.loginNew('agent');
    const customer = suite.track(await TestClient.login(stack, await stack.createCustomer()));
    await customer.requestOk('chat.request');
    const { conversation } = await agent.requestOk('chat.start');
    const placed = await agent.requestOk('call.start', { conversationId: conversation.id });
    const accepted = await customer.requestOk('call.accept', { callId: placed.call.callId });
    expect(placed.ice.iceTransportPolicy).toBe('relay');

    const result = await connectPeers(placed.ice, accepted.ice);
    expect(result.echoed).toBe('echo: hello through the relay');
    expect(result.localCandidateType).toBe('relay');
    expect(result.remoteCandidateType).toBe('relay');
    for (const signal of result.signals) {
      expect(callSignalSchema.safeParse(signal).error).toBeUndefined();
    }

    // Wrong credentials do not connect: the relay checks them.
    const forged: IceConfig = {
      iceTransportPolicy: 'relay',
      iceServers: placed.ice.iceServers.map((server) => ({ ...server, credential: 'forged' })),
    };
    await expect(connectPeers(forged, forged, 8_000)).rejects.toThrow(/no echo/);
  }, 90_000);
});
