import { useTranslation } from 'react-i18next';
import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { createPortal } from 'react-dom';
import { useStore } from 'zustand';
import { CANNED_LIMITS, type CannedReply } from '@callcenter/shared';
import { toErrorBody } from '@callcenter/shared/machines';
import { CANNED_PLACEHOLDERS } from '@callcenter/client';
import { cannedDraftProblem, cannedFailureText } from '../agent/cannedProblems';
import { useAgentClient } from '../hooks/agentClientContext';
import { useDialogFocus } from '../hooks/useDialogFocus';

interface Draft {
  id?: string;
  shortcut: string;
  title: string;
  text: string;
}

const EMPTY: Draft = { shortcut: '', title: '', text: '' };

/**
 * The agent's own canned replies: add, edit, delete. Shared ones are listed by admins
 * (`npm run admin -- canned`) and only shown here.
 */
export function CannedRepliesDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const client = useAgentClient();
  const { replies } = useStore(client.canned.store);
  const own = replies.filter((reply) => reply.scope === 'own');
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [touched, setTouched] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  useDialogFocus(dialog);
  useEffect(() => {
    client.canned.ensureLoaded();
    first.current?.focus();
  }, [client]);

  const problem = touched ? cannedDraftProblem(draft, own, t) : null;
  const full = draft.id === undefined && own.length >= CANNED_LIMITS.repliesPerAgent;
  const edit = (reply: CannedReply): void => {
    setDraft({ id: reply.id, shortcut: reply.shortcut, title: reply.title, text: reply.text });
    setFailure(null);
    setTouched(false);
    first.current?.focus();
  };
  const save = async (event: SyntheticEvent): Promise<void> => {
    event.preventDefault();
    // Shown through a portal, but React still bubbles it to the composer's form.
    event.stopPropagation();
    setTouched(true);
    if (cannedDraftProblem(draft, own, t) !== null || full) return;
    setSaving(true);
    try {
      await client.canned.save(draft);
      setDraft(EMPTY);
      setTouched(false);
      setFailure(null);
    } catch (error) {
      setFailure(cannedFailureText(toErrorBody(error), t));
    } finally {
      setSaving(false);
    }
  };
  const remove = async (reply: CannedReply): Promise<void> => {
    try {
      await client.canned.remove(reply.id);
      if (draft.id === reply.id) setDraft(EMPTY);
    } catch (error) {
      setFailure(cannedFailureText(toErrorBody(error), t));
    }
  };

  // Outside the composer's form: a form may not hold another.
  return createPortal(
    <div
      ref={dialog}
      className="canned-dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby="canned-dialog-title"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <h3 id="canned-dialog-title">{t('canned.mineTitle')}</h3>
      {own.length === 0 ? (
        <p className="canned-status">{t('canned.noneOwn')}</p>
      ) : (
        <ul className="canned-own" aria-label={t('canned.mineTitle')}>
          {own.map((reply) => (
            <li key={reply.id}>
              <span className="canned-shortcut">/{reply.shortcut}</span>
              <span className="canned-title">{reply.title}</span>
              <button
                type="button"
                className="link"
                aria-label={t('canned.editShortcut', { shortcut: reply.shortcut })}
                onClick={() => {
                  edit(reply);
                }}
              >
                {t('canned.edit')}
              </button>
              <button
                type="button"
                className="link"
                aria-label={t('canned.deleteShortcut', { shortcut: reply.shortcut })}
                onClick={() => {
                  void remove(reply);
                }}
              >
                {t('canned.delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="canned-form" onSubmit={(event) => void save(event)}>
        <h4>
          {draft.id === undefined
            ? t('canned.newReply')
            : t('canned.editShortcut', { shortcut: draft.shortcut })}
        </h4>
        <label>
          {t('canned.shortcut')}
          <input
            ref={first}
            value={draft.shortcut}
            maxLength={CANNED_LIMITS.shortcutLength}
            placeholder="greeting"
            onChange={(event) => {
              setDraft({ ...draft, shortcut: event.target.value });
            }}
          />
        </label>
        <label>
          {t('canned.title')}
          <input
            value={draft.title}
            maxLength={CANNED_LIMITS.titleLength}
            onChange={(event) => {
              setDraft({ ...draft, title: event.target.value });
            }}
          />
        </label>
        <label>
          {t('canned.text')}
          <textarea
            value={draft.text}
            rows={4}
            maxLength={CANNED_LIMITS.textLength}
            onChange={(event) => {
              setDraft({ ...draft, text: event.target.value });
            }}
          />
        </label>
        <p className="canned-help">
          {t('canned.placeholders', { list: CANNED_PLACEHOLDERS.join(' ') })}
        </p>
        {(problem ?? failure) !== null && (
          <p className="canned-problem" role="alert">
            {problem ?? failure}
          </p>
        )}
        {full && (
          <p className="canned-problem" role="alert">
            {t('canned.full', { count: CANNED_LIMITS.repliesPerAgent })}
          </p>
        )}
        <div className="canned-actions">
          <button type="submit" className="primary" disabled={saving || full}>
            {draft.id === undefined ? t('canned.add') : t('canned.save')}
          </button>
          {draft.id !== undefined && (
            <button
              type="button"
              onClick={() => {
                setDraft(EMPTY);
                setTouched(false);
              }}
            >
              {t('canned.cancelEdit')}
            </button>
          )}
          <button type="button" onClick={onClose}>
            {t('canned.close')}
          </button>
        </div>
      </form>
    </div>,
    document.body,
  );
}
