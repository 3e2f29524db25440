import { fromPromise } from 'xstate';
import type { AckBody, CallEvents, CallState, EventPayload, IceConfig } from '@callcenter/shared';
import { callMachine } from '@callcenter/shared/machines';

/** Asks the server one call event and resolves with its ok answer (an app's typed request). */
export type CallAsk = <E extends keyof CallEvents>(
  event: E,
  payload: EventPayload<CallEvents, E>,
) => Promise<{ ok: true } & AckBody<CallEvents, E>>;

/** This device joined a call: placed it, or accepted it. */
export interface CallJoin {
  call: CallState;
  /** How its media connects, with fresh TURN credentials. */
  ice: IceConfig;
  /** It placed the call (it makes the WebRTC offer), rather than answered it. */
  placed: boolean;
}

export interface CallMachineOptions {
  /** This device joined a call: for the app's media part (`CallAudio.join`). */
  onJoin?: (join: CallJoin) => void;
}

/** The shared call machine, placing and answering calls through `ask`. */
export function callMachineOver(ask: CallAsk, options: CallMachineOptions = {}) {
  return callMachine.provide({
    actors: {
      startCall: fromPromise(async ({ input }) => {
        const { call, ice } = await ask('call.start', { conversationId: input.conversationId });
        // Both pressed Call at once: this start answered the other's call, which comes back
        // established; the other device placed it (and makes the offer).
        options.onJoin?.({ call, ice, placed: call.state === 'ringing' });
        return call;
      }),
      answerCall: fromPromise(async ({ input }) => {
        if (input.answer === 'decline') {
          return (await ask('call.decline', { callId: input.callId })).call;
        }
        const { call, ice } = await ask('call.accept', { callId: input.callId });
        options.onJoin?.({ call, ice, placed: false });
        return call;
      }),
      endCall: fromPromise(
        async ({ input }) =>
          (await ask('call.end', { callId: input.callId, reason: input.reason })).call,
      ),
    },
  });
}
