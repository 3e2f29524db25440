import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { AgentState, ChatStartResult } from '../protocol/index';
import { agentMachine } from './agentMachine';
import type { AgentSyncResult } from './agentMachine';
import {
  agentConversationEnded,
  agentInConversation,
  agentMonitoring,
  agentSession,
  chatStartResult,
  deferred,
  queueSnapshot,
  panelRecorder,
} from './testFixtures';

// State versions: a push and an ack can arrive in either order, so a server-confirmed state
// older than the one held is ignored (panel actions included); the same version is applied.

function conversationOf(actor: { getSnapshot: () => { value: unknown } }): unknown {
  const value = actor.getSnapshot().value as { loggedIn?: { conversation: string } };
  return value.loggedIn?.conversation;
}

function loggedIn(
  panel: ReturnType<typeof panelRecorder>,
  actors: Parameters<typeof agentMachine.provide>[0]['actors'] = {},
) {
  const actor = createActor(agentMachine.provide({ actors, actions: panel.actions })).start();
  actor.send({ type: 'auth.resume', session: agentSession });
  return actor;
}

describe('agentMachine state versions', () => {
  it('ignores an older push after a newer ack', async () => {
    const panel = panelRecorder();
    const result = chatStartResult('conv-1', 'cust-1', 5);
    const actor = loggedIn(panel, { startChat: fromPromise(() => Promise.resolve(result)) });
    actor.send({ type: 'chat.start' });
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(panel.calls).toEqual(['clear', 'show conv-1']);

    // Sent before the take (e.g. a previous conversation's end), delivered after its ack.
    const stale = {
      type: 'server.agentState' as const,
      state: agentConversationEnded('conv-0', 'cust-0', 4),
    };
    const before = actor.getSnapshot();
    expect(before.can(stale)).toBe(false);
    actor.send(stale);
    expect(actor.getSnapshot()).toBe(before);
    expect(actor.getSnapshot().context.agentState).toBe(result.state);
    expect(panel.calls).toEqual(['clear', 'show conv-1']);
  });

  it('ignores an older take ack after newer pushes: no second showConversation', async () => {
    const answer = deferred<ChatStartResult>();
    const panel = panelRecorder();
    const actor = loggedIn(panel, { startChat: fromPromise(() => answer.promise) });
    actor.send({ type: 'chat.start' });
    // The take's push, then the customer ended at once; both beat the take's ack.
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-1', 'cust-1', 5) });
    const ended = agentConversationEnded('conv-1', 'cust-1', 6);
    actor.send({ type: 'server.agentState', state: ended });

    answer.resolve(chatStartResult('conv-1', 'cust-1', 5));
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(conversationOf(actor)).toBe('conversationEnded');
    expect(actor.getSnapshot().context.agentState).toBe(ended);
    expect(panel.calls).toEqual(['clear', 'show conv-1']);
    expect(actor.getSnapshot().context.error).toBeNull();
  });

  it('ignores an older take ack when a newer conversation is already shown', async () => {
    const answer = deferred<ChatStartResult>();
    const panel = panelRecorder();
    const actor = loggedIn(panel, { takeChat: fromPromise(() => answer.promise) });
    actor.send({ type: 'chat.take', requestId: 'req-1' });
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-1', 'cust-1', 5) });
    actor.send({ type: 'server.agentState', state: agentConversationEnded('conv-1', 'cust-1', 6) });
    // Another console of this agent messaged a customer (R9).
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-2', 'cust-2', 7) });

    answer.resolve(chatStartResult('conv-1', 'cust-1', 5));
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(actor.getSnapshot().context.agentState?.conversationId).toBe('conv-2');
    expect(panel.calls).toEqual(['clear', 'show conv-1', 'clear', 'show conv-2']);
  });

  it('still adds the queued messages from an equal-version ack after its push', async () => {
    const answer = deferred<ChatStartResult>();
    const panel = panelRecorder();
    const actor = loggedIn(panel, { startChat: fromPromise(() => answer.promise) });
    actor.send({ type: 'chat.start' });
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-1', 'cust-1', 5) });
    const result = chatStartResult('conv-1', 'cust-1', 5);
    answer.resolve(result);
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(panel.calls).toEqual(['clear', 'show conv-1', 'show conv-1']);
    expect(panel.shown[1]?.messages).toEqual(result.messages);
    expect(actor.getSnapshot().context.agentState).toBe(result.state);
  });

  it('applies an equal-version push again without touching the panel (idempotent)', () => {
    const panel = panelRecorder();
    const actor = loggedIn(panel);
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-9', 'cust-3', 4) });
    const again = agentInConversation('conv-9', 'cust-3', 4);
    actor.send({ type: 'server.agentState', state: again });
    expect(conversationOf(actor)).toBe('inConversation');
    expect(actor.getSnapshot().context.agentState).toBe(again);
    expect(panel.calls).toEqual(['clear', 'show conv-9']);
  });

  it('ignores an older end ack after a newer push', async () => {
    const answer = deferred<AgentState>();
    const panel = panelRecorder();
    const actor = loggedIn(panel, { endChat: fromPromise(() => answer.promise) });
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-1', 'cust-1', 2) });
    actor.send({ type: 'chat.end' });
    actor.send({ type: 'server.agentState', state: agentConversationEnded('conv-1', 'cust-1', 3) });
    const next = agentInConversation('conv-2', 'cust-2', 4);
    actor.send({ type: 'server.agentState', state: next });

    answer.resolve(agentConversationEnded('conv-1', 'cust-1', 3));
    await waitFor(actor, (snapshot) => !snapshot.context.busy);
    expect(conversationOf(actor)).toBe('inConversation');
    expect(actor.getSnapshot().context.agentState).toBe(next);
    expect(panel.calls).toEqual(['clear', 'show conv-1', 'clear', 'show conv-2']);
  });

  it('ignores an older sync state after a newer push but still takes its queue', async () => {
    const answer = deferred<AgentSyncResult>();
    const panel = panelRecorder();
    const actor = loggedIn(panel, { syncSession: fromPromise(() => answer.promise) });
    actor.send({ type: 'connection.up' });
    const pushed = agentInConversation('conv-2', 'cust-2', 8);
    actor.send({ type: 'server.agentState', state: pushed });

    answer.resolve({ state: agentMonitoring(7), queue: queueSnapshot(3, 2) });
    await waitFor(actor, (snapshot) => snapshot.context.connection === 'online');
    expect(conversationOf(actor)).toBe('inConversation');
    expect(actor.getSnapshot().context.agentState).toBe(pushed);
    expect(actor.getSnapshot().context.queue?.version).toBe(3);
    expect(panel.calls).toEqual(['clear', 'show conv-2']);
  });

  it('forgets the held version with the session: the next login starts afresh', () => {
    const panel = panelRecorder();
    const actor = loggedIn(panel);
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-1', 'cust-1', 40) });
    actor.send({ type: 'server.revoked', reason: 'disabled' });
    actor.send({ type: 'auth.resume', session: agentSession });
    actor.send({ type: 'server.agentState', state: agentInConversation('conv-3', 'cust-3', 0) });
    expect(actor.getSnapshot().context.agentState?.conversationId).toBe('conv-3');
  });
});
