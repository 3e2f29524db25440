import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it, vi } from 'vitest';
import { ProtocolError } from '../protocol/index';
import type { AgentState } from '../protocol/index';
import { agentMachine } from './agentMachine';
import type { SetStatusInput, TransferChatInput } from './agentMachine';
import {
  agentInConversation,
  agentMonitoring,
  agentSession,
  chatStartResult,
  panelRecorder,
} from './testFixtures';

// Issue 14: Away takes nothing new, capacity lets an agent hold several conversations (each
// shown as it opens), and transfers and status changes go through the server like the rest.

function twoHeld(version: number): AgentState {
  const first = agentInConversation('conv-1', 'cust-1', version);
  const second = agentInConversation('conv-2', 'cust-2', version);
  return {
    ...second,
    capacity: 3,
    conversations: [...first.conversations, ...second.conversations],
  };
}

function started(overrides: Partial<Parameters<typeof agentMachine.provide>[0]['actors']> = {}) {
  const panel = panelRecorder();
  const startChat = vi.fn(() => Promise.resolve(chatStartResult('conv-3', 'cust-3', 9)));
  const actor = createActor(
    agentMachine.provide({
      actors: { startChat: fromPromise(startChat), ...overrides },
      actions: panel.actions,
    }),
  ).start();
  actor.send({ type: 'auth.resume', session: agentSession });
  return { actor, panel, startChat };
}

describe('agentMachine through a shift', () => {
  it('an away agent cannot Start Chat or Take; an available one with room can', async () => {
    const { actor, startChat } = started();
    actor.send({ type: 'server.agentState', state: { ...agentMonitoring(2), status: 'away' } });
    actor.send({ type: 'chat.start' });
    actor.send({ type: 'chat.take', requestId: 'req-1' });
    expect(actor.getSnapshot().context.busy).toBe(false);
    expect(startChat).not.toHaveBeenCalled();

    // Holding two of three: room for one more.
    actor.send({ type: 'server.agentState', state: twoHeld(3) });
    actor.send({ type: 'chat.start' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(startChat).toHaveBeenCalledTimes(1);
  });

  it('shows each conversation it newly holds, once, and never clears for a re-sync', () => {
    const { actor, panel } = started();
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-1', 'cust-1', 2) });
    actor.send({ type: 'server.agentState', state: twoHeld(3) });
    actor.send({ type: 'server.agentState', state: twoHeld(4) });
    expect(panel.calls).toEqual(['clear', 'show conv-1', 'clear', 'show conv-2']);
    expect(panel.shown.map((shown) => shown.taken)).toEqual([false, false]);
  });

  it('ends, and transfers, the conversation named, not only the newest', async () => {
    const endChat = vi.fn(({ input }: { input: { conversationId: string } }): Promise<AgentState> =>
      Promise.resolve({ ...twoHeld(5), conversationId: input.conversationId }),
    );
    const transferChat = vi.fn((args: { input: TransferChatInput }): Promise<AgentState> =>
      Promise.resolve(agentInConversation(args.input.conversationId, 'cust-2', 6)),
    );
    const { actor } = started({
      endChat: fromPromise(endChat),
      transferChat: fromPromise(transferChat),
    });
    actor.send({ type: 'server.agentState', state: twoHeld(3) });
    actor.send({ type: 'chat.end', conversationId: 'conv-1' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(endChat.mock.calls[0]?.[0].input).toEqual({ conversationId: 'conv-1' });

    actor.send({ type: 'chat.transfer', conversationId: 'conv-1', toAgentId: 'agent-2' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(transferChat.mock.calls[0]?.[0].input).toEqual({
      conversationId: 'conv-1',
      toAgentId: 'agent-2',
    });
    // A conversation it does not hold is not asked for.
    actor.send({ type: 'chat.transfer', conversationId: 'conv-9' });
    expect(actor.getSnapshot().context.busy).toBe(false);
    expect(actor.getSnapshot().context.agentState?.conversations).toHaveLength(1);
  });

  it('sets its status through the server, and not again to the status it has', async () => {
    const setStatus = vi.fn(({ input }: { input: SetStatusInput }) =>
      Promise.resolve({ ...agentMonitoring(3), status: input.status }),
    );
    const { actor } = started({ setStatus: fromPromise(setStatus) });
    actor.send({ type: 'server.agentState', state: agentMonitoring(2) });
    actor.send({ type: 'agent.setStatus', status: 'available' });
    expect(setStatus).not.toHaveBeenCalled();
    actor.send({ type: 'agent.setStatus', status: 'away' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(actor.getSnapshot().context.agentState?.status).toBe('away');
  });

  it('a refused transfer is reported in its terms', async () => {
    const refusal = new ProtocolError('agent_away', 'That colleague is away or offline.');
    const { actor } = started({
      transferChat: fromPromise<AgentState, TransferChatInput>(() => Promise.reject(refusal)),
    });
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-1', 'cust-1', 2) });
    actor.send({ type: 'chat.transfer', toAgentId: 'agent-2', toName: 'Bo' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(actor.getSnapshot().context.error?.code).toBe('agent_away');
    expect(actor.getSnapshot().context.agentState?.conversationId).toBe('conv-1');
  });
});
