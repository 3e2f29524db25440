import { useEffect, useRef } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { Translate } from '@callcenter/client';
import type { TeamMember } from '@callcenter/shared';
import { useAgent, useAgentClient } from '../hooks/agentClientContext';
import { useDialogFocus } from '../hooks/useDialogFocus';

/** Why a colleague cannot take the conversation now, or null when they can. */
export function transferBlocker(member: TeamMember, t: Translate): string | null {
  if (!member.online) return t('team.offline');
  if (member.status === 'away') return t('team.away');
  if (member.active >= member.capacity) {
    return t('transfer.full', { active: member.active, capacity: member.capacity });
  }
  return null;
}

/** Colleagues as the team list shows them (the signed-in agent left out). */
export function useColleagues(): TeamMember[] {
  const client = useAgentClient();
  const ownId = useAgent((snapshot) => snapshot.context.session?.user.id);
  const snapshot = useStore(client.team, (state) => state.snapshot);
  return (snapshot?.agents ?? []).filter((member) => member.id !== ownId);
}

/**
 * Hands the conversation to a colleague who is online, available and has room, or back to the
 * front of the queue. A colleague who cannot take it is listed, disabled, with why; the server
 * decides in the end (a colleague may go away meanwhile: the refusal then shows as a notice).
 */
export function TransferDialog({
  conversationId,
  customerName,
  onClose,
}: {
  conversationId: string;
  customerName: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const client = useAgentClient();
  const colleagues = useColleagues();
  const dialog = useRef<HTMLDivElement>(null);
  useDialogFocus(dialog);
  useEffect(() => {
    const first = dialog.current?.querySelector<HTMLButtonElement>('button:not(:disabled)');
    first?.focus();
  }, []);
  const choose = (to?: { id: string; displayName: string }): void => {
    client.transferChat(conversationId, to);
    onClose();
  };
  return (
    <div
      className="transfer-dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby="transfer-title"
      ref={dialog}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <h3 id="transfer-title">
        <Trans
          i18nKey="transfer.title"
          values={{ name: customerName }}
          components={{ name: <bdi /> }}
        />
      </h3>
      {colleagues.length === 0 ? (
        <p className="transfer-empty">{t('transfer.noColleagues')}</p>
      ) : (
        <ul className="transfer-list" aria-label={t('transfer.colleagues')}>
          {colleagues.map((member) => {
            const blocker = transferBlocker(member, t);
            return (
              <li key={member.id}>
                <button
                  type="button"
                  disabled={blocker !== null}
                  onClick={() => {
                    choose({ id: member.id, displayName: member.displayName });
                  }}
                >
                  <span
                    className={`status-dot status-${member.online ? member.status : 'offline'}`}
                  />
                  <bdi>{member.displayName}</bdi>
                  <span className="transfer-load">
                    {blocker ??
                      t('transfer.load', { active: member.active, capacity: member.capacity })}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="transfer-actions">
        <button
          type="button"
          onClick={() => {
            choose();
          }}
        >
          {t('transfer.toQueue')}
        </button>
        <button type="button" onClick={onClose}>
          {t('transfer.cancel')}
        </button>
      </div>
    </div>
  );
}
