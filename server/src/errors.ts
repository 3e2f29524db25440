/** Storage or Redis briefly out of reach: the client should retry, not give up. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    /^Mongo(Network|ServerSelection|NotConnected|Topology)/.test(error.name) ||
    error.message.includes('Connection is closed') ||
    error.message.includes('max retries per request')
  );
}
