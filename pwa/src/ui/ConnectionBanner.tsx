import { useOnline, useSessionView } from '../app/appContext';

/** Shown while the server cannot be reached; the chat keeps working from this device. */
export function ConnectionBanner() {
  const { browserOnline } = useOnline();
  const { connection } = useSessionView();
  if (browserOnline && connection !== 'offline') return null;
  return (
    <div className="connection-banner" role="status" aria-label="Connection">
      <p>
        <strong>{browserOnline ? "Can't reach the chat server." : "You're offline."}</strong>{' '}
        {browserOnline ? 'Reconnecting… ' : ''}
        Messages you write are kept and sent when the connection is back.
      </p>
    </div>
  );
}
