import { z } from 'zod';

/** Every error code a client can receive, over HTTP or in a Socket.IO ack. */
export const ERROR_CODES = [
  'invalid_payload',
  'invalid_credentials',
  'unauthorized',
  'forbidden',
  'not_found',
  'already_claimed',
  'assigned_to_other',
  'agent_busy',
  'agent_away',
  'not_in_chat',
  'not_ended',
  'already_rated',
  'rate_limited',
  'too_large',
  'unsupported_type',
  'account_disabled',
  'unavailable',
  'internal',
] as const;

export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorBodySchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** An error that carries a protocol error code; thrown by services, turned into acks at the edge. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
