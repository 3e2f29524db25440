import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it, vi } from 'vitest';
import type { ErrorCode } from '../protocol/index';
import { agentMachine } from './agentMachine';
import type { AgentIntent } from './agentMachine';
import { agentConversationEnded, agentSession, protocolError, queueSnapshot } from './testFixtures';

// R5: a lost race or a refused take leaves the agent where it was, with the server's error.

describe('agentMachine errors', () => {
  it.each<ErrorCode>(['not_found', 'agent_busy'])(
    'stays in monitoring when chat.start fails with %s',
    async (code) => {
      const clearChatPanel = vi.fn();
      const notifyError = vi.fn();
      const actor = createActor(
        agentMachine.provide({
          actors: { startChat: fromPromise(() => Promise.reject(protocolError(code))) },
          actions: {
            clearChatPanel,
            notifyError: (_, params) => {
              notifyError(params.error.code);
            },
          },
        }),
      ).start();
      actor.send({ type: 'auth.resume', session: agentSession });
      actor.send({ type: 'chat.start' });
      await waitFor(actor, (snapshot) => !snapshot.context.busy);

      const snapshot = actor.getSnapshot();
      expect(snapshot.matches({ loggedIn: { conversation: 'monitoring', intent: 'idle' } })).toBe(
        true,
      );
      expect(snapshot.context.error).toEqual({ code, message: `server said ${code}` });
      expect(notifyError).toHaveBeenCalledWith(code);
      expect(clearChatPanel).not.toHaveBeenCalled();
    },
  );

  it.each<ErrorCode>(['already_claimed', 'not_found'])(
    'stays in conversationEnded when chat.take fails with %s, naming whom it tried to take',
    async (code) => {
      const failedIntents: (AgentIntent | null)[] = [];
      const actor = createActor(
        agentMachine.provide({
          actors: { takeChat: fromPromise(() => Promise.reject(protocolError(code))) },
          actions: {
            notifyError: (_, params) => {
              failedIntents.push(params.intent);
            },
          },
        }),
      ).start();
      actor.send({ type: 'auth.resume', session: agentSession });
      actor.send({ type: 'server.agentState', state: agentConversationEnded('conv-1') });
      actor.send({ type: 'server.queueSnapshot', snapshot: queueSnapshot(4, 2) });
      actor.send({ type: 'chat.take', requestId: 'req-4-1' });
      // The refused customer may have left the queue before the refusal arrives.
      actor.send({ type: 'server.queueSnapshot', snapshot: queueSnapshot(5, 0) });
      await waitFor(actor, (snapshot) => !snapshot.context.busy);

      const snapshot = actor.getSnapshot();
      expect(snapshot.matches({ loggedIn: { conversation: 'conversationEnded' } })).toBe(true);
      expect(snapshot.context.error?.code).toBe(code);
      expect(snapshot.context.agentState).toEqual(agentConversationEnded('conv-1'));
      const intent = { kind: 'take', requestId: 'req-4-1', displayName: 'Customer 1' };
      expect(snapshot.context.intent).toEqual(intent);
      expect(failedIntents).toEqual([intent]);
    },
  );
});
