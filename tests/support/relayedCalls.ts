import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { TurnServerProcess } from '@callcenter/devstack/embedded';
import { useTestStack, type TestSuite } from '@callcenter/devstack/testing';

export interface RelayedCalls {
  suite: TestSuite;
  /** A private directory for the file's own files (removed after it). */
  readonly dir: string;
  /** Stops the TURN server: every relayed call loses its media path (a network change). */
  stopRelay(): Promise<void>;
  /** Starts it again where it was (same port and secret), with no allocation of the old one. */
  startRelay(): Promise<void>;
}

/**
 * A test stack whose calls' media must go through a private coturn (relay only), with the
 * credentials the server issues from the secret they share. The TURN server starts first: the
 * stack reads its ICE settings when it starts.
 */
export function useRelayedCalls(): RelayedCalls {
  const secret = `turn-${Math.random().toString(36).slice(2)}-secret`;
  let dir: string | undefined;
  let turn: TurnServerProcess | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callcenter-turn-'));
    turn = await TurnServerProcess.start({ secret, dataDir: dir });
  });
  let stopped = false;
  const suite = useTestStack({
    config: {
      get ice() {
        return {
          stunUrls: [],
          turnUrls: turn?.urls ?? [],
          turnSecret: secret,
          turnTtlSeconds: 600,
          relayOnly: true,
        };
      },
    },
  });
  afterAll(async () => {
    if (!stopped) await turn?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    suite,
    get dir() {
      if (dir === undefined) throw new Error('the relay is not started yet');
      return dir;
    },
    async stopRelay() {
      if (!turn || !dir) throw new Error('the relay is not started yet');
      await turn.stop();
      stopped = true;
    },
    async startRelay() {
      if (!turn || !dir || !stopped) throw new Error('the relay is not stopped');
      turn = await TurnServerProcess.start({ secret, dataDir: dir, port: turn.port });
      stopped = false;
    },
  };
}
