import { useSelector } from '@xstate/react';
import { useStore } from 'zustand';
import type { ActorRefFrom } from 'xstate';
import type { CallContext, callMachine } from '@callcenter/shared/machines';
import type { CallMediaState } from '../agent/consoleCall';
import { useAgent, useAgentClient } from './agentClientContext';

/** Where the call stands for this agent: the call machine's `status` region. */
export type CallStatus = 'idle' | 'outgoingRinging' | 'incomingRinging' | 'established' | 'ended';

export interface CallView {
  status: CallStatus;
  /** An ask (call, accept, decline, hang up) is waiting for the server's answer. */
  busy: boolean;
  context: CallContext | null;
}

const NO_CALL: CallView = { status: 'idle', busy: false, context: null };

/** The session's call machine (none while signed out), as status and context. */
export function useCallView(): CallView {
  // The session machine types its children as a union of every child actor's ref.
  const callActor = useAgent(
    (snapshot) => snapshot.children.call as ActorRefFrom<typeof callMachine> | undefined,
  );
  return useSelector(
    callActor,
    (snapshot) =>
      snapshot === undefined
        ? NO_CALL
        : {
            status: snapshot.value.status,
            busy: snapshot.value.intent !== 'idle',
            context: snapshot.context,
          },
    (a, b) => a.status === b.status && a.busy === b.busy && a.context === b.context,
  );
}

/** A slice of this window's call media (mute, the customer's audio). */
export function useCallMedia<T>(selector: (state: CallMediaState) => T): T {
  return useStore(useAgentClient().call.media, selector);
}
