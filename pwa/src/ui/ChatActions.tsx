import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useCustomerApp, useOnline, useSessionView } from '../app/appContext';
import { availableActions } from './stateText';

export function ChatActions() {
  const { t } = useTranslation();
  const { actor } = useCustomerApp();
  const { customerState, busy } = useSessionView();
  const { online } = useOnline();
  const actions = availableActions(customerState, online);
  const groupRef = useRef<HTMLDivElement>(null);
  const hadFocus = useRef(false);

  // A pressed button that the new state disables drops keyboard focus to the page; keep it here.
  useLayoutEffect(() => {
    const group = groupRef.current;
    if (group === null) return;
    const active = document.activeElement;
    if (group.contains(active)) {
      hadFocus.current = true;
    } else if (hadFocus.current && (active === null || active === document.body)) {
      // While every button is disabled (an intent in flight) this waits for the next render.
      group.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    } else {
      hadFocus.current = false;
    }
  });

  return (
    <div
      ref={groupRef}
      className="chat-actions"
      role="group"
      aria-label={t('actions.label')}
      // The machine ignores a second intent while one is in flight, so the buttons stay
      // enabled (and focusable) until the server's answer changes what is possible.
      aria-busy={busy}
      onFocus={() => {
        hadFocus.current = true;
      }}
    >
      <button
        type="button"
        className="button primary"
        disabled={!actions.requestChat}
        onClick={() => {
          actor.send({ type: 'chat.request' });
        }}
      >
        {t('actions.requestChat')}
      </button>
      <button
        type="button"
        className="button"
        disabled={!actions.endChat}
        onClick={() => {
          actor.send({ type: 'chat.end' });
        }}
      >
        {t('actions.endChat')}
      </button>
      <button
        type="button"
        className="button"
        disabled={!actions.exit}
        onClick={() => {
          actor.send({ type: 'session.exit' });
        }}
      >
        {t('actions.exit')}
      </button>
    </div>
  );
}
