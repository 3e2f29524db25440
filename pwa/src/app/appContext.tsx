import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { AttachmentSourcesProvider, type AttachmentSources } from '@callcenter/client/react';
import { useTranslation } from 'react-i18next';
import { useSelector } from '@xstate/react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { CustomerState, ErrorBody } from '@callcenter/shared';
import type { ConnectionStatus, CustomerSession } from '@callcenter/shared/machines';
import { chatLines, type ChatLine } from '../conversation/messageLog';
import type { CustomerApp } from './customerApp';
import { pushNotice, type Notice } from './noticeStore';

const AppContext = createContext<CustomerApp | null>(null);

export function CustomerAppProvider({ app, children }: { app: CustomerApp; children: ReactNode }) {
  // Messages' files come through the app's session; a failed download is one of its notices.
  const attachmentSources = useMemo<AttachmentSources>(
    () => ({
      files: app.files,
      uploads: app.uploads,
      downloadFailed: (name) => {
        pushNotice(app.notices, { key: 'attachment.downloadFailed', values: { name } });
      },
      buttonClassName: 'button small',
    }),
    [app],
  );
  return (
    <AppContext value={app}>
      <AttachmentSourcesProvider sources={attachmentSources}>{children}</AttachmentSourcesProvider>
    </AppContext>
  );
}

export function useCustomerApp(): CustomerApp {
  const app = useContext(AppContext);
  if (app === null) throw new Error('useCustomerApp needs a CustomerAppProvider');
  return app;
}

export interface SessionView {
  signedIn: boolean;
  session: CustomerSession | null;
  customerState: CustomerState | null;
  connection: ConnectionStatus;
  busy: boolean;
  error: ErrorBody | null;
}

/** The session as the screens show it: the machine's state and context. */
export function useSessionView(): SessionView {
  const { actor } = useCustomerApp();
  return useSelector(
    actor,
    (snapshot) => ({
      signedIn: snapshot.matches('loggedIn'),
      session: snapshot.context.session,
      customerState: snapshot.context.customerState,
      connection: snapshot.context.connection,
      busy: snapshot.context.busy,
      error: snapshot.context.error,
    }),
    (a, b) =>
      a.signedIn === b.signedIn &&
      a.session === b.session &&
      a.customerState === b.customerState &&
      a.connection === b.connection &&
      a.busy === b.busy &&
      a.error === b.error,
  );
}

/** The link is up and synced; the browser's own flag alone would miss a server that is down. */
export function useOnline(): { online: boolean; browserOnline: boolean } {
  const { network } = useCustomerApp();
  const browserOnline = useStore(network, (view) => view.browserOnline);
  const { connection } = useSessionView();
  return { online: browserOnline && connection === 'online', browserOnline };
}

/** The lines of the chat screen: the current conversation, then the unsent messages. */
export function useChatLines(): ChatLine[] {
  const { conversation, activity } = useCustomerApp();
  const { t } = useTranslation();
  const { customerState } = useSessionView();
  const { online } = useOnline();
  const { messages, outbox } = useStore(
    conversation.store,
    useShallow((view) => ({ messages: view.messages, outbox: view.outbox })),
  );
  const conversationId = customerState?.conversationId ?? null;
  const agentReadSeq = useStore(activity.store, (view) =>
    conversationId === null ? 0 : (view.reads.get(conversationId)?.agent?.seq ?? 0),
  );
  return useMemo(
    () => chatLines({ messages, outbox, conversationId, online, agentReadSeq, t }),
    [messages, outbox, conversationId, online, agentReadSeq, t],
  );
}

/** The agent is typing in the customer's conversation now. */
export function useAgentTyping(): boolean {
  const { activity } = useCustomerApp();
  const { customerState } = useSessionView();
  const conversationId = customerState?.conversationId ?? null;
  return useStore(
    activity.store,
    (view) => conversationId !== null && view.typing.has(conversationId),
  );
}

export function useNotices(): Notice[] {
  const { notices } = useCustomerApp();
  return useStore(notices, (view) => view.notices);
}
