// A voice call between an agent and a customer connected to different server nodes: the call's
// state and its signals cross nodes, and when the customer's node is killed mid-call the
// survivor's reaper gives its device the reconnect grace, then the call ends for the agent;
// nothing is left established in Redis.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { CallSignal } from '@callcenter/shared';
import { RedisProcess } from '@callcenter/devstack/embedded';
import { TestClient } from '@callcenter/devstack/testing';
import {
  MULTI_NODE_SETTINGS,
  importAccounts,
  loginOverHttp,
  serverEnv,
  startServerProcess,
  type ServerProcess,
} from './support/serverProcess';

const PASSWORD = 'call-nodes-password';
let dir: string;
let redisServer: RedisProcess;
let redis: Redis;
let nodes: ServerProcess[] = [];
const opened: TestClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callcenter-callnodes-'));
  redisServer = await RedisProcess.start({ dataDir: dir });
  redis = new Redis(redisServer.url);
  const env = serverEnv(redisServer.url, inject('mongodbUrl'), {
    ...MULTI_NODE_SETTINGS,
    CALL_RECONNECT_GRACE_MS: '1000',
  });
  await importAccounts(env, dir, {
    prefix: 'cn',
    agents: 1,
    customers: 1,
    password: PASSWORD,
    tier: 'standard',
  });
  nodes = await Promise.all([0, 1].map(() => startServerProcess(env)));
}, 120_000);

afterAll(async () => {
  for (const client of opened) client.close();
  for (const node of nodes) node.child.kill('SIGKILL');
  await Promise.all(nodes.map((node) => node.exited));
  await redis.quit();
  await redisServer.stop('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

async function connect(role: 'agent' | 'customer', node: ServerProcess): Promise<TestClient> {
  const { token } = await loginOverHttp(node.url, role, `cn-${role}-0`, PASSWORD);
  const client = await TestClient.connect(node.url, token);
  opened.push(client);
  return client;
}

describe('a call across two nodes', () => {
  it('rings, connects and relays signals across nodes, and ends when the callee’s node dies', async () => {
    const [survivor, victim] = nodes as [ServerProcess, ServerProcess];
    const agent = await connect('agent', survivor);
    const customer = await connect('customer', victim);
    await customer.requestOk('chat.request');
    const { conversation } = await agent.requestOk('chat.start');

    const { call } = await agent.requestOk('call.start', { conversationId: conversation.id });
    await customer.waitFor('call.state', (c) => c.callId === call.callId && c.state === 'ringing');
    await customer.requestOk('call.accept', { callId: call.callId });
    await agent.waitFor('call.state', (c) => c.callId === call.callId && c.state === 'established');

    const offer: CallSignal = { kind: 'description', type: 'offer', sdp: 'v=0 across' };
    const candidate: CallSignal = {
      kind: 'candidate',
      candidate: {
        candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host',
        sdpMid: '0',
        sdpMLineIndex: 0,
      },
    };
    await agent.requestOk('call.signal', { callId: call.callId, signal: offer });
    expect(await customer.waitFor('call.signal')).toEqual({ callId: call.callId, signal: offer });
    await customer.requestOk('call.signal', { callId: call.callId, signal: candidate });
    expect(await agent.waitFor('call.signal')).toEqual({ callId: call.callId, signal: candidate });

    victim.child.kill('SIGKILL');
    await victim.exited;
    const ended = await agent.waitFor(
      'call.state',
      (c) => c.callId === call.callId && c.state === 'ended',
      0,
      30_000,
    );
    expect(ended.reason).toBe('disconnected');
    expect(await redis.hget(`cc:call:${call.callId}`, 'state')).toBe('ended');
    expect(await redis.hget(`cc:conv:${conversation.id}`, 'callId')).toBeNull();
    expect(await redis.keys('cc:callsock:*')).toEqual([]);
  }, 120_000);
});
