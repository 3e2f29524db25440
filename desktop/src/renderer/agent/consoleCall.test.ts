import { describe, expect, it } from 'vitest';
import type { CallState } from '@callcenter/shared';
import type { CallEvent } from '@callcenter/shared/machines';
import { ConsoleCall } from './consoleCall';

function callState(overrides: Partial<CallState> = {}): CallState {
  return {
    callId: 'call-1',
    conversationId: 'conv-1',
    state: 'ringing',
    direction: 'customer_to_agent',
    from: { role: 'customer', id: 'cust-1', displayName: 'Carol' },
    version: 1,
    startedAt: '2030-01-01T10:00:00.000Z',
    answeredAt: null,
    endedAt: null,
    reason: null,
    ...overrides,
  };
}

function consoleCall(focused: boolean) {
  const told: CallEvent[] = [];
  const notified: string[] = [];
  const rings = { started: 0, stopped: 0 };
  const call = new ConsoleCall({
    sendSignal: () => Promise.resolve(),
    tell: (event) => told.push(event),
    notifyIncoming: ({ customerName }) => notified.push(customerName),
    isFocused: () => focused,
    ring: () => {
      rings.started += 1;
      return () => {
        rings.stopped += 1;
      };
    },
  });
  return { call, told, notified, rings };
}

describe('the console call', () => {
  it('announces an incoming call once, rings while unfocused, and stops ringing when it ends', () => {
    const { call, notified, rings } = consoleCall(false);
    call.heard(callState());
    call.heard(callState()); // the same state again (a re-sync)
    expect(notified).toEqual(['Carol']);
    expect(rings).toEqual({ started: 1, stopped: 0 });
    call.heard(callState({ state: 'ended', reason: 'missed', version: 2 }));
    expect(rings).toEqual({ started: 1, stopped: 1 });
    // A late push of the ringing state does not ring again.
    call.heard(callState());
    expect(rings.started).toBe(1);
  });

  it('stops ringing as soon as the agent answers or declines', () => {
    const { call, told, rings } = consoleCall(false);
    call.heard(callState());
    call.accept();
    expect(rings).toEqual({ started: 1, stopped: 1 });
    expect(told).toEqual([{ type: 'call.accept' }]);
    call.heard(callState({ callId: 'call-2' }));
    call.decline();
    expect(rings).toEqual({ started: 2, stopped: 2 });
    expect(told.at(-1)).toEqual({ type: 'call.decline' });
  });

  it('does not ring while the console is focused, nor for a call the agent placed', () => {
    const focused = consoleCall(true);
    focused.call.heard(callState());
    expect(focused.notified).toEqual(['Carol']); // the platform skips it when focused
    expect(focused.rings.started).toBe(0);

    const placed = consoleCall(false);
    placed.call.heard(
      callState({
        direction: 'agent_to_customer',
        from: { role: 'agent', id: 'agent-1', displayName: 'Ada' },
      }),
    );
    expect(placed.notified).toEqual([]);
    expect(placed.rings.started).toBe(0);
  });

  it('asks the call machine for what the agent presses', () => {
    const { call, told } = consoleCall(true);
    call.start('conv-1');
    call.hangUp('call-1');
    call.dismiss();
    expect(told).toEqual([
      { type: 'call.start', conversationId: 'conv-1' },
      { type: 'call.end' },
      { type: 'call.dismiss' },
    ]);
  });

  it('stops the ring and forgets the call media at the end of the session', () => {
    const { call, rings } = consoleCall(false);
    call.heard(callState());
    call.stop();
    expect(rings.stopped).toBe(1);
    expect(call.media.getState()).toEqual({
      remoteStream: null,
      muted: false,
      joinedCallId: null,
      noMicrophoneCallId: null,
      hungUpCallId: null,
    });
  });
});
