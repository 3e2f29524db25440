// The console's side of attachments: its Attach button sends the file as a reply of its own, and
// the shared pieces (`@callcenter/client/react`) read files through the agent client.
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { AttachButton, AttachmentSourcesProvider } from '@callcenter/client/react';
import type { AgentClient } from '../agent/agentClient';
import { useAgentClient } from '../hooks/agentClientContext';
import { t as translate } from '../i18n/i18n';

/**
 * The composer's Attach button: a file too large (or of a kind the server never keeps) is refused
 * here with the limit named; the rest is sent as a reply of its own, pending with its progress.
 */
export function ConsoleAttachButton({
  customerId,
  customerName,
  onProblem,
}: {
  customerId: string;
  customerName: string;
  onProblem: (problem: string | null) => void;
}) {
  const { t } = useTranslation();
  const client = useAgentClient();
  const maxBytes = useStore(client.limits, (view) => view.maxBytes);
  return (
    <AttachButton
      label={t('attachment.attachFor', { name: customerName })}
      text={t('attachment.attachButton')}
      maxBytes={maxBytes}
      className="attach-button"
      iconSize={18}
      onProblem={onProblem}
      onFile={(file) => {
        void client.sendAttachment(customerId, file);
      }}
    />
  );
}

/** Messages' files come through the agent client; a failed download is an error notice. */
export function ConsoleAttachmentSources({
  client,
  children,
}: {
  client: AgentClient;
  children: ReactNode;
}) {
  const sources = useMemo(
    () => ({
      files: client.files,
      uploads: client.uploads,
      downloadFailed: (name: string) => {
        client.view.getState().notify('error', translate('attachment.downloadFailed', { name }));
      },
    }),
    [client],
  );
  return <AttachmentSourcesProvider sources={sources}>{children}</AttachmentSourcesProvider>;
}
