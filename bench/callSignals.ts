// What a call's two devices send each other through the server, shaped like a browser's: an
// audio-only SDP offer and answer as Chromium writes them, trickled ICE candidates, and the
// end-of-candidates. Unique per call and per signal, so a relayed signal is known by its content.
import type { CallSignal } from '@callcenter/shared';

/** The caller (the customer here) offers; the callee (the agent) answers. */
export type Side = 'caller' | 'callee';

function hex(seed: number, length: number): string {
  let out = '';
  let x = seed >>> 0 || 1;
  while (out.length < length) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    out += x.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

function fingerprint(seed: number): string {
  return (hex(seed, 64).toUpperCase().match(/../g) ?? []).join(':');
}

/**
 * An SDP as Chromium writes it for one microphone track: every audio codec it has, in the offer
 * and (to another Chromium) in the answer; the offer also lists the header extensions it offers.
 */
function sessionDescription(type: 'offer' | 'answer', seed: number): string {
  const stream = `${hex(seed, 8)}-${hex(seed + 1, 4)}-4${hex(seed + 2, 3)}-a${hex(seed + 3, 3)}-${hex(seed + 4, 12)}`;
  const track = `${hex(seed + 5, 8)}-${hex(seed + 6, 4)}-4${hex(seed + 7, 3)}-b${hex(seed + 8, 3)}-${hex(seed + 9, 12)}`;
  const ssrc = parseInt(hex(seed + 10, 8), 16);
  const cname = hex(seed + 11, 16);
  const offer = type === 'offer';
  const lines = [
    'v=0',
    `o=- ${parseInt(hex(seed + 12, 12), 16)} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=extmap-allow-mixed',
    `a=msid-semantic: WMS ${stream}`,
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 103 104 9 0 8 106 105 13 110 112 113 126',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=ice-ufrag:${hex(seed + 13, 4)}`,
    `a=ice-pwd:${hex(seed + 14, 24)}`,
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${fingerprint(seed + 15)}`,
    `a=setup:${offer ? 'actpass' : 'active'}`,
    'a=mid:0',
    'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    ...(offer
      ? [
          'a=extmap:5 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
          'a=extmap:6 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
          'a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
        ]
      : []),
    'a=sendrecv',
    `a=msid:${stream} ${track}`,
    'a=rtcp-mux',
    'a=rtcp-rsize',
    'a=rtpmap:111 opus/48000/2',
    'a=rtcp-fb:111 transport-cc',
    'a=fmtp:111 minptime=10;useinbandfec=1;stereo=0;sprop-stereo=0;usedtx=0',
    'a=rtpmap:63 red/48000/2',
    'a=fmtp:63 111/111',
    'a=rtpmap:103 ISAC/16000',
    'a=rtpmap:104 ISAC/32000',
    'a=rtpmap:9 G722/8000',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:106 CN/32000',
    'a=rtpmap:105 CN/16000',
    'a=rtpmap:13 CN/8000',
    'a=rtpmap:110 telephone-event/48000',
    'a=rtpmap:112 telephone-event/32000',
    'a=rtpmap:113 telephone-event/16000',
    'a=rtpmap:126 telephone-event/8000',
    `a=ssrc:${ssrc} cname:${cname}`,
    `a=ssrc:${ssrc} msid:${stream} ${track}`,
    `a=ssrc:${ssrc} mslabel:${stream}`,
    `a=ssrc:${ssrc} label:${track}`,
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** A device's trickled candidates: host, server-reflexive, relayed, host TCP; then `null`. */
function candidates(seed: number, howMany: number, ufrag: string): CallSignal[] {
  const kinds = [
    (port: number) => `udp 2122260223 192.168.1.${seed % 250} ${port} typ host generation 0`,
    (port: number) =>
      `udp 1686052607 203.0.113.${seed % 250} ${port} typ srflx raddr 192.168.1.${seed % 250} rport ${port} generation 0`,
    (port: number) =>
      `udp 41885439 198.51.100.${seed % 250} ${port} typ relay raddr 203.0.113.${seed % 250} rport ${port} generation 0`,
    () => `tcp 1518280447 192.168.1.${seed % 250} 9 typ host tcptype active generation 0`,
  ];
  const signals: CallSignal[] = [];
  for (let i = 0; i < howMany; i += 1) {
    const kind = kinds[i % kinds.length] ?? kinds[0];
    const port = 40_000 + ((seed * 7 + i * 13) % 20_000);
    signals.push({
      kind: 'candidate',
      candidate: {
        candidate: `candidate:${parseInt(hex(seed * 31 + i, 8), 16)} 1 ${kind?.(port) ?? ''} ufrag ${ufrag} network-id ${1 + (i % 2)} network-cost 10`,
        sdpMid: '0',
        sdpMLineIndex: 0,
        usernameFragment: ufrag,
      },
    });
  }
  signals.push({ kind: 'candidate', candidate: null });
  return signals;
}

/** What identifies a signal among one call's (each description and candidate is unique). */
export function signalKey(side: Side, signal: CallSignal): string {
  if (signal.kind === 'description') return `${side}:${signal.type}:${signal.sdp.length}`;
  return `${side}:${signal.candidate?.candidate ?? 'end-of-candidates'}`;
}

/** A device's signals for one call: its description, then its candidates. */
export function signalsOf(side: Side, callIndex: number, howMany: number): CallSignal[] {
  const seed = callIndex * 1_000 + (side === 'caller' ? 1 : 500);
  const sdp = sessionDescription(side === 'caller' ? 'offer' : 'answer', seed);
  const ufrag = /a=ice-ufrag:(\S+)/.exec(sdp)?.[1] ?? 'ufrag';
  return [
    { kind: 'description', type: side === 'caller' ? 'offer' : 'answer', sdp },
    ...candidates(seed, howMany, ufrag),
  ];
}
