import { useSessionView } from '../app/appContext';
import { ChatScreen } from './ChatScreen';
import { LoginScreen } from './LoginScreen';
import { Notices } from './Notices';
import { UpdatePrompt } from './UpdatePrompt';

export function App() {
  const { signedIn } = useSessionView();
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
