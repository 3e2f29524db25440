// A voice call between an agent and a customer connected to different server nodes: the call's
// state and its signals cross nodes, and when the customer's node is killed mid-call the
// survivor's reaper gives its device the reconnect grace, then the call ends for the agent;
// nothing is left established in Redis.
import { describe, expect, it } from 'vitest';
import type { CallSignal } from '@callcenter/shared';
import { useServerCluster } from './support/serverCluster';
import type { ServerProcess } from './support/serverProcess';

const cluster = useServerCluster({
  nodes: 2,
  prefix: 'cn',
  agents: 1,
  customers: 1,
  password: 'call-nodes-password',
  env: { CALL_RECONNECT_GRACE_MS: '1000' },
});

describe('a call across two nodes', () => {
  it('rings, connects and relays signals across nodes, and ends when the callee’s node dies', async () => {
    const [survivor, victim] = cluster.nodes as [ServerProcess, ServerProcess];
    const agent = await cluster.connect(survivor, 'agent', 'cn-agent-0');
    const customer = await cluster.connect(victim, 'customer', 'cn-customer-0');
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
    const { redis } = cluster;
    expect(await redis.hget(`cc:call:${call.callId}`, 'state')).toBe('ended');
    expect(await redis.hget(`cc:conv:${conversation.id}`, 'callId')).toBeNull();
    expect(await redis.keys('cc:callsock:*')).toEqual([]);
  }, 120_000);
});
