// What a real app's call audio does, seen from outside it: an init script keeps every
// RTCPeerConnection the page creates, so a test reads its statistics (bytes and audio level in
// and out) without any hook in the app.
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

export interface PeerAudio {
  /** Whether the page has an open peer connection. */
  open: boolean;
  inboundBytes: number;
  /** The level of what is received (0..1). */
  inboundLevel: number;
  outboundBytes: number;
}

declare global {
  interface Window {
    __peers?: RTCPeerConnection[];
  }
}

/** Watches the peer connections of every page of `context` (call before its pages load). */
export async function watchPeers(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Original = window.RTCPeerConnection;
    const peers: RTCPeerConnection[] = [];
    window.__peers = peers;
    window.RTCPeerConnection = class extends Original {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        peers.push(this);
      }
    };
  });
}

/** The page's newest open peer connection's audio figures. */
export function peerAudio(page: Page): Promise<PeerAudio> {
  return page.evaluate(async () => {
    const figures = { open: false, inboundBytes: 0, inboundLevel: 0, outboundBytes: 0 };
    const peer = (window.__peers ?? []).filter((p) => p.connectionState !== 'closed').at(-1);
    if (!peer) return figures;
    figures.open = true;
    (await peer.getStats()).forEach((report: Record<string, unknown>) => {
      if (report.kind !== 'audio') return;
      if (report.type === 'inbound-rtp') {
        figures.inboundBytes = Number(report.bytesReceived ?? 0);
        figures.inboundLevel = Number(report.audioLevel ?? 0);
      }
      if (report.type === 'outbound-rtp') figures.outboundBytes = Number(report.bytesSent ?? 0);
    });
    return figures;
  });
}

/** What a call's device receives: bytes so far, and the level of what arrives (0..1). */
export interface Received {
  inboundBytes: number;
  inboundLevel: number;
}

/** Waits until `read` shows audio received past `bytes`, at a level over `level`. */
export async function waitUntilHeard<T extends Received>(
  read: () => Promise<T>,
  bytes: number,
  level = 0.01,
  timeout = 20_000,
): Promise<T> {
  let figures = await read();
  await expect
    .poll(
      async () => {
        figures = await read();
        const heard = figures.inboundBytes > bytes && figures.inboundLevel > level;
        // On failure the last figures show what was missing.
        return heard ? 'heard' : JSON.stringify(figures);
      },
      { timeout, interval: 200 },
    )
    .toBe('heard');
  return figures;
}

/** Waits until what `read` shows arriving is silence (the other side muted). */
export async function waitUntilSilent(
  read: () => Promise<Received>,
  timeout = 20_000,
): Promise<void> {
  await expect
    .poll(async () => (await read()).inboundLevel, { timeout, interval: 200 })
    .toBeLessThan(0.001);
}

/** Waits until the page receives audio past `bytes`, at a level over `level`. */
export function hearsAudio(page: Page, bytes: number, level = 0.01): Promise<PeerAudio> {
  return waitUntilHeard(() => peerAudio(page), bytes, level);
}

/** Waits until what the page receives is silence (the other side muted). */
export function hearsSilence(page: Page): Promise<void> {
  return waitUntilSilent(() => peerAudio(page));
}

/** Whether an app plays a call's audio: a live stream in its `audio.call-audio`, playing. */
export function playsCallAudio(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const player = document.querySelector<HTMLAudioElement>('audio.call-audio');
    const stream = player?.srcObject;
    if (!player || !(stream instanceof MediaStream)) return false;
    const live = stream.getAudioTracks().some((track) => track.readyState === 'live');
    return live && !player.paused && player.currentTime > 0.5;
  });
}
