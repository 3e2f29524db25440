import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSessionView } from '../app/appContext';
import { CallButton, CallLayer, CallScreen, useCallOnScreen } from '../call/CallScreens';
import { PushOffer, usePushOpened } from '../push/PushControls';
import { ChatActions } from './ChatActions';
import { Composer } from './Composer';
import { ConnectionBanner } from './ConnectionBanner';
import { IdleWarning, MessageList, TypingIndicator } from './MessageList';
import { RatingCard } from './RatingCard';
import { StateBanner } from './StateBanner';
import { YourInfoPanel } from './YourInfoPanel';

const YOUR_INFO_ID = 'your-info';

export function ChatScreen() {
  const { t } = useTranslation();
  const { session } = useSessionView();
  const [infoOpen, setInfoOpen] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const infoToggleRef = useRef<HTMLButtonElement>(null);
  const callNoteActionRef = useRef<HTMLButtonElement>(null);
  const callOnScreen = useCallOnScreen();
  const callWasOnScreen = useRef(callOnScreen);

  // Arriving from the login form: start reading (and tabbing) at the top of the chat.
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement === null) {
      headingRef.current?.focus();
    }
  }, []);

  // The full-screen call closed: the keyboard goes on from its note (or the chat's top),
  // not from the page's start.
  useEffect(() => {
    if (callWasOnScreen.current && !callOnScreen) {
      (callNoteActionRef.current ?? headingRef.current)?.focus();
    }
    callWasOnScreen.current = callOnScreen;
  }, [callOnScreen]);

  // A notification clicked: the conversation is what the customer came for.
  usePushOpened(() => {
    setInfoOpen(false);
    headingRef.current?.focus();
  });

  const closeInfo = () => {
    setInfoOpen(false);
    infoToggleRef.current?.focus();
  };

  return (
    <>
      {/* While the call is full screen, the chat behind it is out of reach (a modal). */}
      <div className="chat-screen" inert={callOnScreen}>
        <header className="app-header">
          <img className="app-logo" src="/icons/favicon.svg" alt="" width="32" height="32" />
          <div className="app-title">
            <h1 ref={headingRef} tabIndex={-1}>
              {t('header.title')}
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
            {t('header.yourInfo')}
          </button>
        </header>
        <ConnectionBanner />
        <StateBanner />
        <CallLayer noteAction={callNoteActionRef} />
        <ChatActions />
        <RatingCard />
        <PushOffer />
        <div className={`chat-body${infoOpen ? ' info-open' : ''}`}>
          <section className="conversation" aria-label={t('chat.conversation')}>
            <MessageList />
            <TypingIndicator />
            <IdleWarning />
            <Composer />
          </section>
          <YourInfoPanel id={YOUR_INFO_ID} open={infoOpen} onClose={closeInfo} />
        </div>
      </div>
      {callOnScreen && <CallScreen />}
    </>
  );
}
