import { useSessionView } from '../app/appContext';
import { ChatScreen } from './ChatScreen';
import { LoginScreen } from './LoginScreen';
import { Notices } from './Notices';
import { UpdatePrompt } from './UpdatePrompt';
import { useUnreadBadge } from './useUnreadBadge';

export function App() {
  const { signedIn } = useSessionView();
  useUnreadBadge();
  return (
    <div className="app">
      {/* In the flow, above the screen: a toast must never cover the composer on a phone. */}
      <div className="app-messages">
        <UpdatePrompt />
        <Notices />
      </div>
      {signedIn ? <ChatScreen /> : <LoginScreen />}
    </div>
  );
}
