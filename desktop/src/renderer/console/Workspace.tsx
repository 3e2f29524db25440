import type { ConnectionStatus } from '@callcenter/shared/machines';
import { useAgent, useAgentClient, useConsoleView } from '../hooks/agentClientContext';
import { AlertRepeatControl } from './AlertRepeatControl';
import { BrandMark } from './BrandMark';
import { CallAudioOutput, CallBar } from './CallControls';
import { ChatPanel } from './ChatPanel';
import { useAgentState, useCanAct, useConversationView } from './consoleSelectors';
import { ConversationTabs } from './ConversationTabs';
import { CustomerInfoPanel } from './CustomerInfoPanel';
import { InboxPanel } from './InboxPanel';
import { IsolatedText } from './IsolatedText';
import { MonitorPanel } from './MonitorPanel';
import { TeamPanel } from './TeamPanel';
import { WaitingCustomersPanel } from './WaitingCustomersPanel';

const CONNECTION_TEXT: Record<ConnectionStatus, string> = {
  online: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline, reconnecting…',
};

/** Available or Away, kept on the server for every window of this agent. */
function StatusControl() {
  const client = useAgentClient();
  const status = useAgentState()?.status ?? 'available';
  const canAct = useCanAct();
  return (
    <label className={`status-control status-${status}`}>
      <span className="status-dot" aria-hidden="true" />
      <span className="visually-hidden">Your status</span>
      <select
        value={status}
        disabled={!canAct}
        onChange={(event) => {
          client.setStatus(event.target.value === 'away' ? 'away' : 'available');
        }}
      >
        <option value="available">Available</option>
        <option value="away">Away</option>
      </select>
    </label>
  );
}

function Header() {
  const client = useAgentClient();
  const agentName = useAgent((snapshot) => snapshot.context.session?.user.displayName ?? '');
  const connection = useAgent((snapshot) => snapshot.context.connection);
  const soundEnabled = useConsoleView((view) => view.soundEnabled);
  const openServerSettings = client.platform.openServerSettings;
  return (
    <header className="top-bar">
      <div className="brand">
        <BrandMark size={28} />
        <span>Agent Console</span>
      </div>
      <div className="top-bar-right">
        <StatusControl />
        <span className={`connection connection-${connection}`} role="status" aria-live="polite">
          <span className="dot" aria-hidden="true" />
          {CONNECTION_TEXT[connection]}
        </span>
        <button
          type="button"
          className="top-button"
          aria-pressed={soundEnabled}
          title="Play a sound when a customer joins the queue"
          onClick={() => {
            client.setSoundEnabled(!soundEnabled);
          }}
        >
          {soundEnabled ? 'Sound on' : 'Sound off'}
        </button>
        <AlertRepeatControl />
        {openServerSettings && (
          <button type="button" className="top-button" onClick={openServerSettings}>
            Server settings
          </button>
        )}
        <span className="agent-name" title="Signed in as">
          <bdi>{agentName}</bdi>
        </span>
        <button
          type="button"
          className="top-button"
          onClick={() => {
            client.logout();
          }}
        >
          Sign out
        </button>
      </div>
    </header>
  );
}

function ConnectionBanner() {
  const offline = useAgent((snapshot) => snapshot.context.connection === 'offline');
  if (!offline) return null;
  return (
    <div className="connection-banner">
      Connection to the server lost. Reconnecting… The queue and messages catch up once it is back.
    </div>
  );
}

function Notices() {
  const notices = useConsoleView((view) => view.notices);
  const dismiss = useConsoleView((view) => view.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((notice) => (
        <div key={notice.id} role="alert" className={`notice notice-${notice.tone}`}>
          <span>
            <IsolatedText text={notice.text} />
          </span>
          <button
            type="button"
            className="notice-close"
            aria-label="Dismiss"
            onClick={() => {
              dismiss(notice.id);
            }}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/** The signed-in console: Inbox, the conversation (or monitor view), the queue and the customer. */
export function Workspace() {
  const view = useConversationView();
  const agentState = useAgentState();
  const capacity = agentState?.capacity ?? 1;
  // With room for another chat, the queue stays open beside the conversation.
  const hasRoom = (agentState?.conversations.length ?? 0) < capacity;
  return (
    <div className="workspace">
      <Header />
      <ConnectionBanner />
      <div className={`columns view-${view}`}>
        <InboxPanel />
        <main className="center">
          <Notices />
          <CallBar />
          <ConversationTabs capacity={capacity} />
          {view === 'monitor' ? <MonitorPanel /> : <ChatPanel ended={view === 'ended'} />}
        </main>
        <aside className="side">
          <WaitingCustomersPanel collapsed={view === 'conversation' && !hasRoom} />
          {view !== 'monitor' && <CustomerInfoPanel />}
          <TeamPanel />
        </aside>
      </div>
      <CallAudioOutput />
    </div>
  );
}
