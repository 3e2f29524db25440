/**
 * A batched write that failed as a whole, not document by document: the driver reports a
 * lost connection inside a bulk write this way, without the original error's name.
 */
export class StoreBatchFailedError extends Error {
  override readonly name = 'StoreBatchFailedError';
}

/** Storage or Redis briefly out of reach: the client should retry, not give up. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof StoreBatchFailedError) return true;
  return (
    /^Mongo(Network|ServerSelection|NotConnected|Topology)/.test(error.name) ||
    error.message.includes('Connection is closed') ||
    error.message.includes('max retries per request')
  );
}
