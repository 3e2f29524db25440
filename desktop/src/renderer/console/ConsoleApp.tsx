import { useEffect } from 'react';
import { useAgent } from '../hooks/agentClientContext';
import { LoginScreen } from './LoginScreen';
import { Workspace } from './Workspace';

const TITLE = 'Agent Console';

/** The window title carries the queue count, so a minimised window or a tab still shows it. */
function useQueueInTitle(): void {
  const total = useAgent((snapshot) =>
    snapshot.matches('loggedIn') ? (snapshot.context.queue?.total ?? 0) : 0,
  );
  useEffect(() => {
    document.title = total > 0 ? `(${total}) ${TITLE}` : TITLE;
  }, [total]);
}

export function ConsoleApp() {
  const signedIn = useAgent((snapshot) => snapshot.matches('loggedIn'));
  useQueueInTitle();
  return signedIn ? <Workspace /> : <LoginScreen />;
}
