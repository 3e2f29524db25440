import {
  MongoError,
  MongoErrorLabel,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

/** Socket-level failures of a connection to Redis or MongoDB. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * ioredis reports a missing or stuck connection with plain Errors; these are their messages
 * (node_modules/ioredis/built: Command.js, Redis.js, utils CONNECTION_CLOSED_ERROR_MSG).
 */
const REDIS_CONNECTION_MESSAGES = [
  'Command timed out',
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Connection is closed.',
];

/** Redis replies meaning "not now": loading its data after a restart, or a script still running. */
const REDIS_TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN) /;

/** Driver labels saying the operation failed for the connection's sake, not the request's. */
const MONGO_TRANSIENT_LABELS: string[] = [
  MongoErrorLabel.RetryableWriteError,
  MongoErrorLabel.ResetPool,
  MongoErrorLabel.PoolRequestedRetry,
  MongoErrorLabel.SystemOverloadedError,
];

// Errors the MongoDB driver keeps out of its exports: pool closed (shutting down), no pooled
// connection free in time, and a closed MongoClient.
const MONGO_UNEXPORTED_NAMES = new Set([
  'MongoPoolClosedError',
  'MongoWaitQueueTimeoutError',
  'MongoClientClosedError',
]);

function isConnectionFailure(error: Error): boolean {
  if (error instanceof MongoError) {
    return (
      error instanceof MongoNetworkError ||
      error instanceof MongoServerSelectionError ||
      error instanceof MongoNotConnectedError ||
      error instanceof MongoTopologyClosedError ||
      error instanceof MongoServerClosedError ||
      error instanceof MongoOperationTimeoutError ||
      MONGO_UNEXPORTED_NAMES.has(error.name) ||
      MONGO_TRANSIENT_LABELS.some((label) => error.hasErrorLabel(label))
    );
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    REDIS_CONNECTION_MESSAGES.includes(error.message) ||
    (error.name === 'ReplyError' && REDIS_TRANSIENT_REPLY.test(error.message))
  );
}

/**
 * Storage or Redis briefly out of reach: the client should retry, not give up. Looks through
 * `cause`, since a driver or a caller may wrap the socket's error in its own.
 */
export function isUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth += 1) {
    if (isConnectionFailure(current)) return true;
    current = current.cause;
  }
  return false;
}
