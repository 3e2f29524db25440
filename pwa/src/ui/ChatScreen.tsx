import { useEffect, useRef, useState } from 'react';
import { useSessionView } from '../app/appContext';
import { CallButton, CallLayer } from '../call/CallScreens';
import { ChatActions } from './ChatActions';
import { Composer } from './Composer';
import { ConnectionBanner } from './ConnectionBanner';
import { MessageList } from './MessageList';
import { StateBanner } from './StateBanner';
import { YourInfoPanel } from './YourInfoPanel';

const YOUR_INFO_ID = 'your-info';

export function ChatScreen() {
  const { session } = useSessionView();
  const [infoOpen, setInfoOpen] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const infoToggleRef = useRef<HTMLButtonElement>(null);

  // Arriving from the login form: start reading (and tabbing) at the top of the chat.
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement === null) {
      headingRef.current?.focus();
    }
  }, []);

  const closeInfo = () => {
    setInfoOpen(false);
    infoToggleRef.current?.focus();
  };

  return (
    <div className="chat-screen">
      <header className="app-header">
        <img className="app-logo" src="/icons/favicon.svg" alt="" width="32" height="32" />
        <div className="app-title">
          <h1 ref={headingRef} tabIndex={-1}>
            Support chat
          </h1>
          <p className="signed-in-as" dir="auto">
            {session?.user.displayName}
          </p>
        </div>
        <CallButton />
        <button
          ref={infoToggleRef}
          type="button"
          className="button subtle info-toggle"
          aria-expanded={infoOpen}
          aria-controls={YOUR_INFO_ID}
          onClick={() => {
            setInfoOpen((open) => !open);
          }}
        >
          Your Info
        </button>
      </header>
      <ConnectionBanner />
      <StateBanner />
      <CallLayer />
      <ChatActions />
      <div className={`chat-body${infoOpen ? ' info-open' : ''}`}>
        <section className="conversation" aria-label="Conversation">
          <MessageList />
          <Composer />
        </section>
        <YourInfoPanel id={YOUR_INFO_ID} open={infoOpen} onClose={closeInfo} />
      </div>
    </div>
  );
}
