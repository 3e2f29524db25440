import { useEffect, useMemo, useRef, useState } from 'react';
import type { ChatMessage, WallboardSnapshot, WatchView } from '@callcenter/shared';
import { englishTranslate, noticeText } from '@callcenter/client';
import { send, unwatch, useLive, watch } from '../app/connection';
import { errorText } from '../app/api';
import { TIER_LABEL } from './format';
import { ErrorAlert } from './ErrorAlert';
import { AttachmentLink } from './AttachmentLink';

const NO_MESSAGES: Record<number, ChatMessage> = {};

/**
 * One conversation, read-only and live, in a dialog: its messages as they come, who has it, and
 * the supervisor's two actions, End chat and Transfer. The wallboard tells when it ended or
 * changed hands (within a second).
 */
export function WatchPanel(props: {
  conversationId: string;
  snapshot: WallboardSnapshot;
  onClose: () => void;
}) {
  const { conversationId, snapshot, onClose } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const [view, setView] = useState<WatchView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [target, setTarget] = useState('');
  const byId = useLive((state) => state.watched[conversationId] ?? NO_MESSAGES);
  const messages = useMemo(() => Object.values(byId).sort((a, b) => a.seq - b.seq), [byId]);

  useEffect(() => {
    dialog.current?.showModal();
    let stale = false;
    watch(conversationId)
      .then((answer) => {
        if (!stale) setView(answer.view);
      })
      .catch((reason: unknown) => {
        if (!stale) setError(errorText(reason));
      });
    return () => {
      stale = true;
      unwatch(conversationId);
    };
  }, [conversationId]);

  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages.length]);

  // Who has it now, from the live wallboard (a transfer or an end shows within a second).
  const holder = snapshot.agents.find((agent) =>
    agent.conversations.some((conv) => conv.conversationId === conversationId),
  );
  const live = holder !== undefined;
  const targets = snapshot.agents.filter(
    (agent) =>
      agent.id !== holder?.id &&
      agent.online &&
      agent.status === 'available' &&
      agent.conversations.length < agent.capacity,
  );

  const act = async (work: () => Promise<{ view: WatchView }>) => {
    setBusy(true);
    setError(null);
    try {
      setView((await work()).view);
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
      setConfirmEnd(false);
    }
  };

  const customer = view?.customer;
  return (
    <dialog
      ref={dialog}
      className="watch"
      aria-labelledby="watch-title"
      onClose={onClose}
      onCancel={onClose}
    >
      <header className="watch-header">
        <h2 id="watch-title">
          {customer
            ? `${customer.displayName} (${TIER_LABEL[customer.profile.tier]})`
            : 'Conversation'}
        </h2>
        <p role="status" className="watch-state">
          {view === null
            ? 'Opening…'
            : live
              ? `With ${holder.displayName} · read-only, live`
              : 'This conversation is not with an agent now (ended or back in the queue).'}
        </p>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </header>
      <ol ref={list} className="watch-messages" aria-label="Messages" aria-live="polite">
        {messages.map((message) => (
          <li
            key={message.seq}
            className={`message from-${message.notice ? 'server' : message.sender.role}`}
          >
            {message.notice ? (
              <p className="notice">{noticeText(message, 'agent', englishTranslate)}</p>
            ) : (
              <>
                <p className="message-meta">
                  {message.sender.displayName} · {new Date(message.createdAt).toLocaleTimeString()}
                </p>
                <p className="message-text">{message.call ? 'Voice call event' : message.text}</p>
                {message.attachment && <AttachmentLink attachment={message.attachment} />}
              </>
            )}
          </li>
        ))}
        {view !== null && messages.length === 0 && <li className="muted">No messages yet.</li>}
      </ol>
      <ErrorAlert message={error} />
      {live && (
        <footer className="watch-actions">
          <label>
            Transfer to
            <select
              value={target}
              disabled={busy}
              onChange={(event) => {
                setTarget(event.target.value);
              }}
            >
              <option value="">Choose…</option>
              <option value="queue">The queue (front)</option>
              {targets.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.displayName} ({agent.conversations.length} of {agent.capacity})
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={busy || target === ''}
            onClick={() => {
              void act(() =>
                send('supervisor.transfer', {
                  conversationId,
                  ...(target !== 'queue' && { toAgentId: target }),
                }),
              ).then(() => {
                setTarget('');
              });
            }}
          >
            Transfer
          </button>
          {confirmEnd ? (
            <>
              <span>End this chat for both sides?</span>
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => {
                  void act(() => send('supervisor.end', { conversationId }));
                }}
              >
                Yes, end chat
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setConfirmEnd(false);
                }}
              >
                Keep it
              </button>
            </>
          ) : (
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => {
                setConfirmEnd(true);
              }}
            >
              End chat
            </button>
          )}
        </footer>
      )}
    </dialog>
  );
}
