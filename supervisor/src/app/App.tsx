import { useEffect, useState, type ReactNode } from 'react';
import { LoginScreen } from '../ui/LoginScreen';
import { WallboardPage } from '../pages/WallboardPage';
import { AdminPage } from '../pages/AdminPage';
import { AuditPage } from '../pages/AuditPage';
import { TranscriptsPage } from '../pages/TranscriptsPage';
import { RetentionPage } from '../pages/RetentionPage';
import { connect, disconnect, useLive } from './connection';
import { useSession } from './session';

/** A page of the console; `admin`: only for supervisors with the administration right. */
interface Page {
  id: string;
  label: string;
  admin: boolean;
  render: () => ReactNode;
}

// Each page is a file in src/pages; the order here is the navigation's.
const PAGES: Page[] = [
  { id: 'wallboard', label: 'Wallboard', admin: false, render: () => <WallboardPage /> },
  { id: 'transcripts', label: 'Transcripts', admin: false, render: () => <TranscriptsPage /> },
  { id: 'admin', label: 'Administration', admin: true, render: () => <AdminPage /> },
  { id: 'audit', label: 'Audit log', admin: true, render: () => <AuditPage /> },
  { id: 'retention', label: 'Retention', admin: true, render: () => <RetentionPage /> },
];

const CONNECTION_TEXT = {
  online: 'Live',
  connecting: 'Reconnecting…',
  offline: 'Offline',
} as const;

export function App() {
  const session = useSession((state) => state.session);
  const logout = useSession((state) => state.logout);
  const connection = useLive((state) => state.connection);
  const [pageId, setPageId] = useState(PAGES[0]?.id ?? '');

  useEffect(() => {
    if (!session) return undefined;
    connect(session.token);
    return () => {
      disconnect();
    };
  }, [session]);

  if (!session) return <LoginScreen />;
  const pages = PAGES.filter((page) => !page.admin || session.user.profile.admin);
  const page = pages.find((candidate) => candidate.id === pageId) ?? pages[0];

  return (
    <div className="console">
      <header className="topbar">
        <h1>Supervisor Console</h1>
        <nav aria-label="Sections">
          <ul className="tabs">
            {pages.map((candidate) => (
              <li key={candidate.id}>
                <button
                  type="button"
                  className="tab"
                  aria-current={candidate.id === page?.id ? 'page' : undefined}
                  onClick={() => {
                    setPageId(candidate.id);
                  }}
                >
                  {candidate.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <p className={`connection connection-${connection}`} role="status">
          {CONNECTION_TEXT[connection]}
        </p>
        <p className="who">
          {session.user.displayName}
          {session.user.profile.admin ? ' (admin)' : ''}
        </p>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            void logout();
          }}
        >
          Sign out
        </button>
      </header>
      <main className="page">{page?.render()}</main>
    </div>
  );
}
