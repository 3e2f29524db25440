import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it, vi } from 'vitest';
import type { ErrorCode } from '../protocol/index';
import { agentMachine } from './agentMachine';
import {
  agentConversationEnded,
  agentSession,
  customerUser,
  loginResponse,
  protocolError,
} from './testFixtures';

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
    'stays in conversationEnded when chat.take fails with %s',
    async (code) => {
      const actor = createActor(
        agentMachine.provide({
          actors: { takeChat: fromPromise(() => Promise.reject(protocolError(code))) },
        }),
      ).start();
      actor.send({ type: 'auth.resume', session: agentSession });
      actor.send({ type: 'server.agentState', state: agentConversationEnded('conv-1') });
      actor.send({ type: 'chat.take', requestId: 'req-2' });
      await waitFor(actor, (snapshot) => !snapshot.context.busy);

      const snapshot = actor.getSnapshot();
      expect(snapshot.matches({ loggedIn: { conversation: 'conversationEnded' } })).toBe(true);
      expect(snapshot.context.error?.code).toBe(code);
      expect(snapshot.context.agentState).toEqual(agentConversationEnded('conv-1'));
    },
  );

  it('stays logged out with the error after a failed login', async () => {
    const actor = createActor(
      agentMachine.provide({
        actors: { login: fromPromise(() => Promise.reject(protocolError('invalid_credentials'))) },
      }),
    ).start();
    actor.send({ type: 'auth.login', login: 'bob', password: 'wrong' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(actor.getSnapshot().value).toEqual({ loggedOut: 'idle' });
    expect(actor.getSnapshot().context.error?.code).toBe('invalid_credentials');
  });

  it('refuses a customer account in the agent console', async () => {
    const actor = createActor(
      agentMachine.provide({
        actors: { login: fromPromise(() => Promise.resolve(loginResponse(customerUser))) },
      }),
    ).start();
    actor.send({ type: 'auth.login', login: 'ada', password: 'pw' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(actor.getSnapshot().value).toEqual({ loggedOut: 'idle' });
    expect(actor.getSnapshot().context.error?.code).toBe('forbidden');
    expect(actor.getSnapshot().context.session).toBeNull();
  });
});
