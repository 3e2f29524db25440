import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '@callcenter/client/react';
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

/** Available or Away, kept on the server for every window of this agent. */
function StatusControl() {
  const { t } = useTranslation();
  const client = useAgentClient();
  const status = useAgentState()?.status ?? 'available';
  const canAct = useCanAct();
  return (
    <label className={`status-control status-${status}`}>
      <span className="status-dot" aria-hidden="true" />
      <span className="visually-hidden">{t('header.yourStatus')}</span>
      <select
        value={status}
        disabled={!canAct}
        onChange={(event) => {
          client.setStatus(event.target.value === 'away' ? 'away' : 'available');
        }}
      >
        <option value="available">{t('header.available')}</option>
        <option value="away">{t('header.away')}</option>
      </select>
    </label>
  );
}

function Header() {
  const { t } = useTranslation();
  const client = useAgentClient();
  const agentName = useAgent((snapshot) => snapshot.context.session?.user.displayName ?? '');
  const connection = useAgent((snapshot) => snapshot.context.connection);
  const soundEnabled = useConsoleView((view) => view.soundEnabled);
  const openServerSettings = client.platform.openServerSettings;
  return (
    <header className="top-bar">
      <div className="brand">
        <BrandMark size={28} />
        <span>{t('app.title')}</span>
      </div>
      <div className="top-bar-right">
        <StatusControl />
        <span className={`connection connection-${connection}`} role="status" aria-live="polite">
          <span className="dot" aria-hidden="true" />
          {t(`header.connection.${connection}`)}
        </span>
        <button
          type="button"
          className="top-button"
          aria-pressed={soundEnabled}
          title={t('header.soundTitle')}
          onClick={() => {
            client.setSoundEnabled(!soundEnabled);
          }}
        >
          {soundEnabled ? t('header.soundOn') : t('header.soundOff')}
        </button>
        <AlertRepeatControl />
        <LanguageSwitch labelHidden />
        {openServerSettings && (
          <button type="button" className="top-button" onClick={openServerSettings}>
            {t('header.serverSettings')}
          </button>
        )}
        <span className="agent-name" title={t('header.signedInAs')}>
          <bdi>{agentName}</bdi>
        </span>
        <button
          type="button"
          className="top-button"
          onClick={() => {
            client.logout();
          }}
        >
          {t('header.signOut')}
        </button>
      </div>
    </header>
  );
}

function ConnectionBanner() {
  const { t } = useTranslation();
  const offline = useAgent((snapshot) => snapshot.context.connection === 'offline');
  if (!offline) return null;
  return <div className="connection-banner">{t('connectionLost')}</div>;
}

function Notices() {
  const { t } = useTranslation();
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
            aria-label={t('dismiss')}
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
