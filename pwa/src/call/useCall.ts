import { useSelector } from '@xstate/react';
import { useStore } from 'zustand';
import type { ActorRefFrom } from 'xstate';
import type { CallContext, callMachine } from '@callcenter/shared/machines';
import { useCustomerApp } from '../app/appContext';
import type { CallMediaState } from './customerCall';

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
  const { actor } = useCustomerApp();
  // The session machine types its children as a union of every child actor's ref.
  const callActor = useSelector(
    actor,
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

/** A slice of this device's call media (mute, the agent's audio). */
export function useCallMedia<T>(selector: (state: CallMediaState) => T): T {
  return useStore(useCustomerApp().call.media, selector);
}
