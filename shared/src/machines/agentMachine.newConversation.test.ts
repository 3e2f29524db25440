import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it, vi } from 'vitest';
import type { AgentState, ChatStartResult } from '../protocol/index';
import { agentMachine } from './agentMachine';
import type { AgentEndChatInput, AgentSyncResult, TakeChatInput } from './agentMachine';
import {
  agentConversationEnded,
  agentInConversation,
  agentSession,
  chatStartResult,
  deferred,
  queueSnapshot,
  panelRecorder,
} from './testFixtures';

// R4/R9: entering a new conversation clears the chat panel of the previous one, then shows the
// new one; the machine gets there only on the server's word.

function inConversation(actor: { getSnapshot: () => { matches: (value: object) => boolean } }) {
  return actor.getSnapshot().matches({ loggedIn: { conversation: 'inConversation' } });
}

describe('agentMachine entering a conversation', () => {
  it('starts the top of the queue on the ack: clear, then show with the queued messages', async () => {
    const answer = deferred<ChatStartResult>();
    const panel = panelRecorder();
    const actor = createActor(
      agentMachine.provide({
        actors: { startChat: fromPromise(() => answer.promise) },
        actions: panel.actions,
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'chat.start' });
    expect(inConversation(actor)).toBe(false);
    expect(panel.calls).toEqual([]);

    const result = chatStartResult('conv-1', 'cust-7');
    answer.resolve(result);
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(inConversation(actor)).toBe(true);
    expect(panel.calls).toEqual(['clear', 'show conv-1']);
    expect(panel.shown[0]).toEqual({
      conversationId: 'conv-1',
      customer: result.customer,
      messages: result.messages,
      taken: true,
    });
    expect(actor.getSnapshot().context.agentState).toEqual(result.state);
  });

  it('adds the queued messages without clearing when the push beat the ack', async () => {
    const answer = deferred<ChatStartResult>();
    const panel = panelRecorder();
    const actor = createActor(
      agentMachine.provide({
        actors: { startChat: fromPromise(() => answer.promise) },
        actions: panel.actions,
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'chat.start' });
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-1') });
    const result = chatStartResult('conv-1');
    answer.resolve(result);
    await waitFor(actor, (snapshot) => !snapshot.context.busy);

    expect(panel.calls).toEqual(['clear', 'show conv-1', 'show conv-1']);
    expect(panel.shown.map((shown) => shown.messages)).toEqual([[], result.messages]);
  });

  it('takes a specific request by id', async () => {
    const takeChat = vi.fn<(args: { input: TakeChatInput }) => Promise<ChatStartResult>>(() =>
      Promise.resolve(chatStartResult('conv-4')),
    );
    const panel = panelRecorder();
    const actor = createActor(
      agentMachine.provide({ actors: { takeChat: fromPromise(takeChat) }, actions: panel.actions }),
    ).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'server.queueSnapshot', snapshot: queueSnapshot(1, 2) });
    actor.send({ type: 'chat.take', requestId: 'req-1-1' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(takeChat.mock.calls[0]?.[0].input).toEqual({ requestId: 'req-1-1' });
    expect(panel.calls).toEqual(['clear', 'show conv-4']);
  });

  it('follows a conversation opened by messaging a customer (R9 push)', () => {
    const panel = panelRecorder();
    const actor = createActor(agentMachine.provide({ actions: panel.actions })).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-9', 'cust-3') });
    expect(inConversation(actor)).toBe(true);
    expect(panel.calls).toEqual(['clear', 'show conv-9']);
    expect(panel.shown[0]?.customer?.id).toBe('cust-3');
    expect(panel.shown[0]?.messages).toEqual([]);
  });

  it('clears again for the next conversation after one ended, and not when it ends', async () => {
    const endChat = vi.fn<(args: { input: AgentEndChatInput }) => Promise<AgentState>>(() =>
      Promise.resolve(agentConversationEnded('conv-1')),
    );
    const panel = panelRecorder();
    const actor = createActor(
      agentMachine.provide({
        actors: {
          startChat: fromPromise(() => Promise.resolve(chatStartResult('conv-2'))),
          endChat: fromPromise(endChat),
        },
        actions: panel.actions,
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-1') });
    actor.send({ type: 'chat.end' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(endChat.mock.calls[0]?.[0].input).toEqual({ conversationId: 'conv-1' });
    expect(actor.getSnapshot().matches({ loggedIn: { conversation: 'conversationEnded' } })).toBe(
      true,
    );
    expect(panel.calls).toEqual(['clear', 'show conv-1']);

    actor.send({ type: 'chat.start' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(panel.calls).toEqual(['clear', 'show conv-1', 'clear', 'show conv-2']);
  });

  it('keeps the panel when a re-sync confirms the same conversation', async () => {
    const syncSession = vi
      .fn<() => Promise<AgentSyncResult>>()
      .mockResolvedValueOnce({ state: agentInConversation('conv-1'), queue: queueSnapshot(1) })
      .mockResolvedValueOnce({ state: agentInConversation('conv-5'), queue: queueSnapshot(2) });
    const panel = panelRecorder();
    const actor = createActor(
      agentMachine.provide({
        actors: { syncSession: fromPromise(syncSession) },
        actions: panel.actions,
      }),
    ).start();
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-1') });
    actor.send({ type: 'connection.up' });
    await waitFor(actor, (snapshot) => snapshot.context.connection === 'online');
    expect(panel.calls).toEqual(['clear', 'show conv-1']);

    // Missed the end of conv-1 and the start of conv-5 while offline: the re-sync says so.
    actor.send({ type: 'connection.down' });
    actor.send({ type: 'connection.up' });
    await waitFor(actor, (snapshot) => snapshot.context.connection === 'online');
    expect(panel.calls).toEqual(['clear', 'show conv-1', 'clear', 'show conv-5']);
  });
});
