import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../protocol/index';
import type { CallState } from '../protocol/index';
import { callMachine, takesCallState, type CallEndRequest, type CallEvent } from './callMachine';

const me = { role: 'customer' as const, userId: 'cust-1' };

function call(
  state: CallState['state'],
  overrides: Partial<CallState> & { fromMe?: boolean } = {},
): CallState {
  const { fromMe = true, ...rest } = overrides;
  return {
    callId: 'call-1',
    conversationId: 'conv-1',
    state,
    direction: fromMe ? 'customer_to_agent' : 'agent_to_customer',
    from: fromMe
      ? { role: 'customer', id: 'cust-1', displayName: 'Carol' }
      : { role: 'agent', id: 'agent-1', displayName: 'Ada' },
    version: 1,
    startedAt: '2026-11-28T10:00:00.000Z',
    answeredAt: state === 'ringing' ? null : '2026-11-28T10:00:05.000Z',
    endedAt: state === 'ended' ? '2026-11-28T10:01:00.000Z' : null,
    reason: state === 'ended' ? 'hangup' : null,
    ...rest,
  };
}

interface Asked {
  start: string[];
  answer: string[];
  end: CallEndRequest[];
}

/** A call machine whose acks answer `answers` (or fail with `failWith`), recording what it asked. */
function start(
  answers: { start?: CallState; answer?: CallState; end?: CallState } = {},
  failWith?: ProtocolError,
) {
  const asked: Asked = { start: [], answer: [], end: [] };
  const reply = (answer: CallState | undefined) =>
    failWith ? Promise.reject(failWith) : Promise.resolve(answer ?? call('ringing'));
  const actor = createActor(
    callMachine.provide({
      actors: {
        startCall: fromPromise(({ input }) => {
          asked.start.push(input.conversationId);
          return reply(answers.start);
        }),
        answerCall: fromPromise(({ input }) => {
          asked.answer.push(input.answer);
          return reply(answers.answer);
        }),
        endCall: fromPromise(({ input }) => {
          asked.end.push(input.reason);
          return reply(answers.end);
        }),
      },
    }),
    { input: me },
  ).start();
  return { actor, asked };
}

const status = (actor: ReturnType<typeof start>['actor']) =>
  (actor.getSnapshot().value as { status: string }).status;
const idle = (actor: ReturnType<typeof start>['actor']) =>
  waitFor(actor, (s) => s.matches({ intent: 'idle' }));

describe('the call machine', () => {
  it('places a call: ringing out, established, ended with its reason, then back to the chat', async () => {
    const { actor, asked } = start({ start: call('ringing'), end: call('ended', { version: 3 }) });
    actor.send({ type: 'call.start', conversationId: 'conv-1' });
    expect(actor.getSnapshot().context.intent).toEqual({ kind: 'start' });
    await idle(actor);
    expect(asked.start).toEqual(['conv-1']);
    expect(status(actor)).toBe('outgoingRinging');

    actor.send({ type: 'server.callState', call: call('established', { version: 2 }) });
    expect(status(actor)).toBe('established');
    actor.send({ type: 'call.end' });
    await idle(actor);
    expect(asked.end).toEqual(['hangup']);
    expect(status(actor)).toBe('ended');
    expect(actor.getSnapshot().context.call?.reason).toBe('hangup');

    actor.send({ type: 'call.dismiss' });
    expect(status(actor)).toBe('idle');
    expect(actor.getSnapshot().context.call).toBeNull();
  });

  it('rings in, and accepts or declines through the server', async () => {
    const accepted = start({ answer: call('established', { fromMe: false, version: 2 }) });
    accepted.actor.send({ type: 'server.callState', call: call('ringing', { fromMe: false }) });
    expect(status(accepted.actor)).toBe('incomingRinging');
    accepted.actor.send({ type: 'call.accept' });
    await idle(accepted.actor);
    expect(accepted.asked.answer).toEqual(['accept']);
    expect(status(accepted.actor)).toBe('established');

    const declined = start({
      answer: call('ended', { fromMe: false, version: 2, reason: 'declined' }),
    });
    declined.actor.send({ type: 'server.callState', call: call('ringing', { fromMe: false }) });
    declined.actor.send({ type: 'call.decline' });
    await idle(declined.actor);
    expect(declined.asked.answer).toEqual(['decline']);
    expect(status(declined.actor)).toBe('ended');
  });

  it('answers a call ringing in when Call is pressed at that moment', async () => {
    const { actor, asked } = start({ answer: call('established', { fromMe: false, version: 2 }) });
    actor.send({ type: 'server.callState', call: call('ringing', { fromMe: false }) });
    actor.send({ type: 'call.start', conversationId: 'conv-1' });
    await idle(actor);
    expect(asked).toEqual({ start: [], answer: ['accept'], end: [] });
    expect(status(actor)).toBe('established');
  });

  it('says why a call it ends could not go on (no microphone)', async () => {
    const { actor, asked } = start({ start: call('ringing') });
    actor.send({ type: 'call.start', conversationId: 'conv-1' });
    await idle(actor);
    actor.send({ type: 'call.end', reason: 'no_microphone' });
    await idle(actor);
    expect(asked.end).toEqual(['no_microphone']);
  });

  it('hangs up a call heard of while its own ask is still unanswered', async () => {
    let answerStart: (call: CallState) => void = () => undefined;
    const asked: CallEndRequest[] = [];
    const actor = createActor(
      callMachine.provide({
        actors: {
          startCall: fromPromise(
            () =>
              new Promise<CallState>((resolve) => {
                answerStart = resolve;
              }),
          ),
          endCall: fromPromise(({ input }) => {
            asked.push(input.reason);
            return Promise.resolve(call('ended', { version: 3 }));
          }),
        },
      }),
      { input: me },
    ).start();
    actor.send({ type: 'call.end' }); // no call yet: nothing to hang up
    actor.send({ type: 'call.start', conversationId: 'conv-1' });
    actor.send({ type: 'call.end' }); // still unheard of
    expect(actor.getSnapshot().matches({ intent: 'starting' })).toBe(true);
    // The push comes before the ack: Hang up works at once.
    actor.send({ type: 'server.callState', call: call('established', { version: 2 }) });
    actor.send({ type: 'call.end' });
    await idle(actor);
    expect(asked).toEqual(['hangup']);
    answerStart(call('ringing')); // the late ack changes nothing
    expect(status(actor)).toBe('ended');
  });

  it('answers each ask only where it makes sense, whatever state it is in', () => {
    // Per status: which asks start an intent there (the others are ignored).
    const allowed: Record<string, CallEvent['type'][]> = {
      idle: ['call.start'],
      outgoingRinging: ['call.end'],
      incomingRinging: ['call.start', 'call.accept', 'call.decline', 'call.end'],
      established: ['call.end'],
      ended: ['call.start'],
    };
    const reach: Record<string, CallState | null> = {
      idle: null,
      outgoingRinging: call('ringing'),
      incomingRinging: call('ringing', { fromMe: false }),
      established: call('established'),
      ended: call('ended'),
    };
    const asks: CallEvent[] = [
      { type: 'call.start', conversationId: 'conv-1' },
      { type: 'call.accept' },
      { type: 'call.decline' },
      { type: 'call.end' },
    ];
    for (const [name, held] of Object.entries(reach)) {
      for (const ask of asks) {
        // Acks that never come: an intent that starts stays visible.
        const pending = createActor(
          callMachine.provide({
            actors: {
              startCall: fromPromise(() => new Promise<CallState>(() => undefined)),
              answerCall: fromPromise(() => new Promise<CallState>(() => undefined)),
              endCall: fromPromise(() => new Promise<CallState>(() => undefined)),
            },
          }),
          { input: me },
        ).start();
        if (held) pending.send({ type: 'server.callState', call: held });
        expect((pending.getSnapshot().value as { status: string }).status).toBe(name);
        pending.send(ask);
        const started = !pending.getSnapshot().matches({ intent: 'idle' });
        expect([name, ask.type, started]).toEqual([
          name,
          ask.type,
          (allowed[name] ?? []).includes(ask.type),
        ]);
        // Nothing but the server moves the status.
        expect((pending.getSnapshot().value as { status: string }).status).toBe(name);
        pending.stop();
      }
    }
  });

  it('keeps the newest state of a call, and a new call over an ended one, never a late end over a live call', () => {
    expect(takesCallState(null, call('ringing'))).toBe(true);
    expect(
      takesCallState(call('established', { version: 3 }), call('ringing', { version: 2 })),
    ).toBe(false);
    expect(takesCallState(call('ringing', { version: 2 }), call('ringing', { version: 2 }))).toBe(
      true,
    );
    const next = call('ringing', { callId: 'call-2' });
    expect(takesCallState(call('ended'), next)).toBe(true);
    expect(takesCallState(next, call('ended'))).toBe(false);

    const { actor } = start();
    actor.send({ type: 'server.callState', call: call('established', { version: 3 }) });
    actor.send({ type: 'server.callState', call: call('ringing', { version: 2 }) });
    expect(status(actor)).toBe('established');
  });

  it('keeps a refused ask with its reason, and the status where the server left it', async () => {
    const { actor } = start({}, new ProtocolError('not_in_chat', 'The conversation has ended.'));
    actor.send({ type: 'call.start', conversationId: 'conv-1' });
    await idle(actor);
    expect(actor.getSnapshot().context).toMatchObject({
      intent: { kind: 'start' },
      error: { code: 'not_in_chat' },
      call: null,
    });
    expect(status(actor)).toBe('idle');
  });
});
