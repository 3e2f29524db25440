import { assign, fromPromise, setup } from 'xstate';
import type { Role } from '../domain';
import type { CallState, ErrorBody } from '../protocol/index';
import { notProvided, toErrorBody } from './sessionBasics';
import { serverStateRegion } from './serverStateRegion';

/** Who this call machine speaks for: the signed-in user. */
export interface CallInput {
  role: Role;
  userId: string;
}

/** Why this side ends a call itself (the server has the other reasons). */
export type CallEndRequest = 'hangup' | 'failed' | 'no_microphone';

/** What a call intent failed on, for the UI to word. */
export interface CallIntent {
  kind: 'start' | 'accept' | 'decline' | 'end';
}

export interface CallContext extends CallInput {
  /**
   * The server's last word on the current (or last) call; `null` when there is none to show.
   * A state older than the held one of the same call is ignored.
   */
  call: CallState | null;
  /** The intent running, or the last one (`error` says why, when it failed). */
  intent: CallIntent | null;
  error: ErrorBody | null;
}

export type CallEvent =
  | { type: 'server.callState'; call: CallState }
  | { type: 'call.start'; conversationId: string }
  | { type: 'call.accept' }
  | { type: 'call.decline' }
  | { type: 'call.end'; reason?: CallEndRequest }
  /** Back to the chat from Voice Call Ended. */
  | { type: 'call.dismiss' };

/**
 * Whether `incoming` replaces `held`. The same call: not older. Another call: unless it is an
 * ended one arriving while this one is live (a late push of an old call).
 */
export function takesCallState(held: CallState | null, incoming: CallState): boolean {
  if (held === null) return true;
  if (held.callId === incoming.callId) return incoming.version >= held.version;
  return incoming.state !== 'ended' || held.state === 'ended';
}

function placedByMe(context: CallContext): boolean {
  const from = context.call?.from;
  return from !== undefined && from.role === context.role && from.id === context.userId;
}

/** Where a call stands for this user, as the `status` region shows it. */
export type CallStatus = (typeof CALL_STATUSES)[number];
const CALL_STATUSES = [
  'idle',
  'outgoingRinging',
  'incomingRinging',
  'established',
  'ended',
] as const;

function callStatus(context: CallContext): CallStatus {
  const { call } = context;
  if (call === null) return 'idle';
  if (call.state === 'ringing') return placedByMe(context) ? 'outgoingRinging' : 'incomingRinging';
  return call.state;
}

const statusRegion = serverStateRegion(CALL_STATUSES);

const storeCall = {
  type: 'storeCall',
  params: ({ event }: { event: { output: CallState } }) => ({ call: event.output }),
} as const;

const failIntent = {
  type: 'failIntent',
  params: ({ event }: { event: { error: unknown } }) => ({ error: toErrorBody(event.error) }),
} as const;

/**
 * A voice call in the conversation (the requirements' Voice Call Established and Voice Call
 * Ended), the same for the customer and the agent: each session machine runs one while logged in.
 * `status` follows the server only (a projection of `context.call`): `idle`, `outgoingRinging`,
 * `incomingRinging`, `established`, `ended`; `intent` runs the user's asks one at a time. Provide
 * `startCall`, `answerCall` and `endCall` (the acks of `call.start`, `call.accept` /
 * `call.decline`, `call.end`).
 */
export const callMachine = setup({
  types: {
    context: {} as CallContext,
    events: {} as CallEvent,
    input: {} as CallInput,
  },
  actors: {
    startCall: fromPromise<CallState, { conversationId: string }>(notProvided('startCall')),
    answerCall: fromPromise<CallState, { callId: string; answer: 'accept' | 'decline' }>(
      notProvided('answerCall'),
    ),
    endCall: fromPromise<CallState, { callId: string; reason: CallEndRequest }>(
      notProvided('endCall'),
    ),
  },
  actions: {
    storeCall: assign(({ context }, params: { call: CallState }) => ({
      call: takesCallState(context.call, params.call) ? params.call : context.call,
    })),
    startIntent: assign((_, params: { intent: CallIntent }) => ({
      intent: params.intent,
      error: null,
    })),
    failIntent: assign((_, params: { error: ErrorBody }) => ({ error: params.error })),
    forgetCall: assign({ call: null, error: null, intent: null }),
  },
  guards: {
    serverSays: ({ context }, params: { state: CallStatus }) =>
      callStatus(context) === params.state,
    canStart: ({ context }) => context.call === null || context.call.state === 'ended',
    canAnswer: ({ context }) => context.call?.state === 'ringing' && !placedByMe(context),
    canEnd: ({ context }) =>
      context.call?.state === 'ringing' || context.call?.state === 'established',
  },
}).createMachine({
  id: 'call',
  type: 'parallel',
  context: ({ input }) => ({ ...input, call: null, intent: null, error: null }),
  on: {
    'server.callState': { actions: { type: 'storeCall', params: ({ event }) => event } },
  },
  states: {
    // Each state leaves for whichever one the held call says: nothing moves it but the server.
    status: {
      ...statusRegion,
      states: {
        ...statusRegion.states,
        // Voice Call Ended: shown (with its reason) until dismissed or another call comes.
        ended: { ...statusRegion.states.ended, on: { 'call.dismiss': { actions: 'forgetCall' } } },
      },
    },
    intent: {
      initial: 'idle',
      states: {
        idle: {
          on: {
            'call.start': [
              { guard: 'canStart', target: 'starting' },
              // Call pressed as the other's call rang in (before the screen showed it): the
              // server would answer it for a start just the same.
              { guard: 'canAnswer', target: 'accepting' },
            ],
            'call.accept': { guard: 'canAnswer', target: 'accepting' },
            'call.decline': { guard: 'canAnswer', target: 'declining' },
            'call.end': { guard: 'canEnd', target: 'ending' },
          },
        },
        starting: {
          entry: { type: 'startIntent', params: { intent: { kind: 'start' } } },
          // Hang up works as soon as the call is heard of, even before this ask's answer.
          on: { 'call.end': { guard: 'canEnd', target: 'ending' } },
          invoke: {
            src: 'startCall',
            input: ({ event }) => ({
              conversationId: event.type === 'call.start' ? event.conversationId : '',
            }),
            onDone: { target: 'idle', actions: storeCall },
            onError: { target: 'idle', actions: failIntent },
          },
        },
        accepting: {
          entry: { type: 'startIntent', params: { intent: { kind: 'accept' } } },
          // Hang up works as soon as the call is heard of, even before this ask's answer.
          on: { 'call.end': { guard: 'canEnd', target: 'ending' } },
          invoke: {
            src: 'answerCall',
            input: ({ context }) => ({ callId: context.call?.callId ?? '', answer: 'accept' }),
            onDone: { target: 'idle', actions: storeCall },
            onError: { target: 'idle', actions: failIntent },
          },
        },
        declining: {
          entry: { type: 'startIntent', params: { intent: { kind: 'decline' } } },
          invoke: {
            src: 'answerCall',
            input: ({ context }) => ({ callId: context.call?.callId ?? '', answer: 'decline' }),
            onDone: { target: 'idle', actions: storeCall },
            onError: { target: 'idle', actions: failIntent },
          },
        },
        ending: {
          entry: { type: 'startIntent', params: { intent: { kind: 'end' } } },
          invoke: {
            src: 'endCall',
            input: ({ context, event }) => ({
              callId: context.call?.callId ?? '',
              reason: event.type === 'call.end' ? (event.reason ?? 'hangup') : 'hangup',
            }),
            onDone: { target: 'idle', actions: storeCall },
            onError: { target: 'idle', actions: failIntent },
          },
        },
      },
    },
  },
});
