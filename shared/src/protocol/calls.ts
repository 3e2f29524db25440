import { z } from 'zod';
import { CALL_DIRECTIONS, CALL_END_REASONS, CALL_STATES } from '../domain';
import { idSchema, isoDateSchema, roleSchema } from './schemas';

// Voice calls inside an active conversation (the requirements' "Voice Call Established" and
// "Voice Call Ended"). The server is the authority on every call's state; the media goes peer to
// peer (WebRTC), and the server only relays its signalling between the two parties.

export const callEndReasonSchema = z.enum(CALL_END_REASONS);
export type CallEndReason = z.infer<typeof callEndReasonSchema>;

/** Who placed the call, seen from the conversation: the agent or the customer. */
export const callDirectionSchema = z.enum(CALL_DIRECTIONS);
export type CallDirection = z.infer<typeof callDirectionSchema>;

/** A call as both parties see it, pushed as `call.state` to every session of each. */
export const callStateSchema = z.object({
  callId: idSchema,
  conversationId: idSchema,
  state: z.enum(CALL_STATES),
  direction: callDirectionSchema,
  /** The caller. */
  from: z.object({ role: roleSchema, id: idSchema, displayName: z.string() }),
  /** Grows with every change of this call; a client ignores an older state than it shows. */
  version: z.number().int().nonnegative(),
  startedAt: isoDateSchema,
  answeredAt: isoDateSchema.nullable(),
  endedAt: isoDateSchema.nullable(),
  reason: callEndReasonSchema.nullable(),
});
export type CallState = z.infer<typeof callStateSchema>;

/**
 * What WebRTC needs relayed: a session description (offer or answer, an ICE restart's offer
 * too) or an ICE candidate (`null` candidate: gathering is complete). Bounded: an SDP is a few
 * kilobytes.
 */
export const callSignalSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('description'),
    type: z.enum(['offer', 'answer']),
    sdp: z.string().max(20_000),
  }),
  z.strictObject({
    kind: z.literal('candidate'),
    candidate: z
      .strictObject({
        candidate: z.string().max(1_000),
        sdpMid: z.string().max(64).nullable(),
        sdpMLineIndex: z.number().int().nonnegative().max(64).nullable(),
        usernameFragment: z.string().max(256).nullable().optional(),
      })
      .nullable(),
  }),
]);
export type CallSignal = z.infer<typeof callSignalSchema>;

// ---- Client -> server payloads ----

export const callStartPayloadSchema = z.strictObject({ conversationId: idSchema });
export const callIdPayloadSchema = z.strictObject({ callId: idSchema });
export const callEndPayloadSchema = z.strictObject({
  callId: idSchema,
  /** Why the client ends it: `hangup` by default; `failed` or `no_microphone` when media could not start. */
  reason: z.enum(['hangup', 'failed', 'no_microphone']).optional(),
});
export const callSignalPayloadSchema = z.strictObject({
  callId: idSchema,
  signal: callSignalSchema,
});
export type CallStartPayload = z.infer<typeof callStartPayloadSchema>;
export type CallIdPayload = z.infer<typeof callIdPayloadSchema>;
export type CallEndPayload = z.infer<typeof callEndPayloadSchema>;
export type CallSignalPayload = z.infer<typeof callSignalPayloadSchema>;

// ---- Acks and pushes ----

/**
 * What a device's RTCPeerConnection is configured with (`iceServers`, `iceTransportPolicy`),
 * given to the two devices of a call: TURN credentials are short-lived, issued for this user.
 */
export const iceConfigSchema = z.object({
  iceServers: z.array(
    z.object({
      urls: z.array(z.string()),
      username: z.string().optional(),
      credential: z.string().optional(),
    }),
  ),
  iceTransportPolicy: z.enum(['all', 'relay']),
});
export type IceConfig = z.infer<typeof iceConfigSchema>;

export const callAckSchema = z.object({ call: callStateSchema });
/** The ack of `call.start` and `call.accept`: the call, and how this device connects its media. */
export const callJoinAckSchema = callAckSchema.extend({ ice: iceConfigSchema });
export const callSignalPushSchema = z.object({ callId: idSchema, signal: callSignalSchema });
export type CallSignalPush = z.infer<typeof callSignalPushSchema>;
