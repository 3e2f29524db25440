import { fromPromise } from 'xstate';
import type { AckBody, CallEvents, EventPayload } from '@callcenter/shared';
import { callMachine } from '@callcenter/shared/machines';

/** Asks the server one call event and resolves with its ok answer (an app's typed request). */
export type CallAsk = <E extends keyof CallEvents>(
  event: E,
  payload: EventPayload<CallEvents, E>,
) => Promise<{ ok: true } & AckBody<CallEvents, E>>;

/** The shared call machine, placing and answering calls through `ask`. */
export function callMachineOver(ask: CallAsk) {
  return callMachine.provide({
    actors: {
      startCall: fromPromise(
        async ({ input }) =>
          (await ask('call.start', { conversationId: input.conversationId })).call,
      ),
      answerCall: fromPromise(
        async ({ input }) =>
          (
            await ask(input.answer === 'accept' ? 'call.accept' : 'call.decline', {
              callId: input.callId,
            })
          ).call,
      ),
      endCall: fromPromise(
        async ({ input }) =>
          (await ask('call.end', { callId: input.callId, reason: input.reason })).call,
      ),
    },
  });
}
