import { createActor, fromCallback, fromPromise, type Actor } from 'xstate';
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  callMachineOver,
  ConversationActivity,
  DEFAULT_ATTACHMENT_MAX_BYTES,
  fetchAttachmentLimits,
  postLogin,
  postLogout,
  ReadReporter,
  TypingReporter,
} from '@callcenter/client';
import {
  AttachmentFiles,
  createUploadProgress,
  uploadAttachment,
  type UploadProgress,
} from '@callcenter/client/files';
import { customerMachine } from '@callcenter/shared/machines';
import type {
  CallEvent,
  CustomerEvent,
  CustomerIntent,
  ErrorNotice,
  OutboxCommand,
  OutboxInput,
} from '@callcenter/shared/machines';
import { ProtocolError, type CallState } from '@callcenter/shared';
import { CustomerCall } from '../call/customerCall';
import { createConversationStore } from '../conversation/conversationStore';
import { CustomerConversation } from '../conversation/customerConversation';
import { LocalArchive } from '../conversation/localArchive';
import { OutboxSender } from '../conversation/outboxSender';
import { PushNotifications } from '../push/pushNotifications';
import { RatingSurvey } from '../rating/ratingSurvey';
import { ChatConnection, type ConnectionListener } from '../connection/chatConnection';
import { SessionPersistence } from '../session/sessionPersistence';
import { actionErrorText } from '../ui/errorText';
import { i18n, t } from '../i18n/i18n';
import { createNetworkStore, type NetworkStore } from './networkStore';
import { createNoticeStore, pushNotice, type NoticeStore } from './noticeStore';

export type CustomerActor = Actor<typeof customerMachine>;

/** Everything the UI reaches through the app's hooks. */
export interface CustomerApp {
  /** The session workflow (login, request, end, exit, re-sync): the shared customer machine. */
  actor: CustomerActor;
  conversation: CustomerConversation;
  outbox: OutboxSender;
  notices: NoticeStore;
  network: NetworkStore;
  /** Voice calls: the asks, the media, the ring. */
  call: CustomerCall;
  /** The agent's typing, and how far each side has read. */
  activity: ConversationActivity;
  /** This customer's typing, reported to the agent (throttled). */
  typing: TypingReporter;
  /** How far this customer has read, reported to the agent. */
  reading: ReadReporter;
  /** The satisfaction survey of an ended conversation. */
  rating: RatingSurvey;
  /** Files on their way up: bytes sent, by client message id (the pending bubbles' bars). */
  uploads: UploadProgress;
  /** Attachments fetched with the session's token, shown through object URLs. */
  files: AttachmentFiles;
  /** The server's attachment size limit (its default until it has said). */
  limits: StoreApi<{ maxBytes: number }>;
  /** Web Push on this device: offered after sign-in, turned on and off by the customer. */
  push: PushNotifications;
}

export interface CustomerAppOptions {
  /** Origin of the chat server; the PWA is served by it, so normally the page's own. */
  serverUrl: string;
  storage: Storage;
}

// Failures the login screen or the banners already explain; a toast would only repeat them. A
// failed re-sync (no intent) is retried by the machine; the offline banner covers `unavailable`.
function isShownElsewhere({ error, intent }: ErrorNotice<CustomerIntent>): boolean {
  if (intent === null) return error.code === 'unavailable';
  return intent.kind === 'login';
}

/** Wires the shared customer machine to this browser: HTTP, socket, storage and the views. */
export function createCustomerApp({ serverUrl, storage }: CustomerAppOptions): CustomerApp {
  const connection = new ChatConnection(serverUrl);
  const persistence = new SessionPersistence(storage);
  const archive = new LocalArchive();
  const conversation = new CustomerConversation(archive, createConversationStore());
  const notices = createNoticeStore();
  const activity = new ConversationActivity('customer');
  // Best effort both: a lost "typing" expires by itself, a lost read is reported again.
  const typing = new TypingReporter((isTyping) => {
    if (actor.getSnapshot().context.customerState?.state !== 'inConversation') return;
    connection.request('chat.typing', { typing: isTyping }).catch(() => undefined);
  });
  const reading = new ReadReporter(async (seq) => {
    activity.heardReads([(await connection.request('chat.read', { seq })).read]);
  });
  const rating = new RatingSurvey((payload) => connection.request('chat.rate', payload));

  // These callbacks, like the machine's actions, only run once `actor` (below) exists.
  const send = (event: CustomerEvent): void => {
    actor.send(event);
  };
  // The call machine runs while signed in (`snapshot.children.call`).
  const tellCall = (event: CallEvent): void => {
    actor.getSnapshot().children.call?.send(event);
  };

  const call = new CustomerCall({
    sendSignal: async (push) => {
      await connection.request('call.signal', push);
    },
    tell: tellCall,
  });
  const heardCall = (state: CallState): void => {
    tellCall({ type: 'server.callState', call: state });
    call.heard(state);
  };

  // The agent sees the customer's language in Customer Info: said on each connect (it may have
  // changed while offline) and on each switch. Best effort: the next connect says it again.
  const tellLanguage = (): void => {
    if (!connection.connected) return;
    connection.request('customer.language', { language: i18n.language }).catch(() => undefined);
  };
  i18n.on('languageChanged', tellLanguage);

  const listener: ConnectionListener = {
    connected: () => {
      send({ type: 'connection.up' });
      tellLanguage();
    },
    disconnected: () => {
      send({ type: 'connection.down' });
    },
    tokenRefused: () => {
      send({ type: 'server.revoked', reason: 'expired' });
    },
    customerState: (state) => {
      send({ type: 'server.customerState', state });
    },
    callState: heardCall,
    callSignal: (push) => {
      call.receive(push);
    },
    message: (message) => {
      conversation.receive([message]);
      activity.heardMessage(message);
    },
    typing: (push) => {
      activity.heardTyping(push);
    },
    read: (cursor) => {
      activity.heardReads([cursor]);
      if (cursor.role === 'customer') reading.known(cursor.seq);
    },
    revoked: ({ reason }) => {
      send({ type: 'server.revoked', reason });
    },
  };

  const token = (): string | null => actor.getSnapshot().context.session?.token ?? null;
  // A push while the app is on screen: the server found it offline, so it reconnects now.
  const push = new PushNotifications(serverUrl, storage, () => {
    connection.reconnectNow();
  });
  const uploads = createUploadProgress();
  const files = new AttachmentFiles({ serverUrl, token });
  const limits = createStore(() => ({ maxBytes: DEFAULT_ATTACHMENT_MAX_BYTES }));
  const outbox = new OutboxSender({
    archive,
    conversation,
    connection,
    isReady: () => actor.getSnapshot().context.connection === 'online',
    upload: async ({ clientMsgId, attachment }, signal) => {
      const current = token();
      if (current === null) throw new ProtocolError('unauthorized', 'Not signed in.');
      if (!(attachment.file instanceof Blob)) {
        throw new ProtocolError('invalid_payload', 'The file is no longer on this device.');
      }
      uploads.report(clientMsgId, 0, attachment.size);
      try {
        return await uploadAttachment({
          serverUrl,
          token: current,
          file: attachment.file,
          name: attachment.name,
          uploadId: clientMsgId,
          onProgress: (sent, total) => {
            uploads.report(clientMsgId, sent, total);
          },
          signal,
        });
      } finally {
        uploads.forget(clientMsgId);
      }
    },
  });

  const machine = customerMachine.provide({
    actors: {
      login: fromPromise(({ input }) => postLogin(serverUrl, input)),
      logout: fromPromise(async ({ input }) => {
        // Before the token goes: the device's subscription is removed with it.
        await push.signingOut(input.token);
        await postLogout(serverUrl, input.token);
        await outbox.discardAll();
      }),
      requestChat: fromPromise(async () => (await connection.request('chat.request', {})).state),
      endChat: fromPromise(async () => (await connection.request('chat.end', {})).state),
      exitSession: fromPromise(async () => {
        await connection.request('session.exit', {});
        await outbox.discardAll();
      }),
      syncSession: fromPromise(async () => {
        const synced = await conversation.sync(connection);
        if (synced.call !== null) heardCall(synced.call);
        activity.heardReads(synced.reads);
        for (const read of synced.reads) if (read.role === 'customer') reading.known(read.seq);
        return synced.state;
      }),
      call: callMachineOver((event, payload) => connection.request(event, payload), {
        onJoin: (join) => {
          call.join(join);
        },
      }),
      // Once synced, what was written meanwhile (offline, or in another tab) goes out.
      outbox: fromCallback<OutboxCommand, OutboxInput>(({ receive }) => {
        receive((command) => {
          if (command.type === 'outbox.ready') outbox.kick();
        });
      }),
    },
    actions: {
      persistSession: ({ context }) => {
        if (context.session !== null) persistence.save(context.session);
      },
      clearSession: () => {
        void push.signingOut(null);
        persistence.clear();
        files.clear();
        conversation.forget();
        activity.reset();
        reading.reset();
      },
      openConnection: ({ context }) => {
        const session = context.session;
        if (session === null) return;
        void conversation.open(session.user.id);
        connection.open(session.token, listener);
        void push.signedIn(session.token);
        void fetchAttachmentLimits(serverUrl).then((answer) => {
          if (answer !== null) limits.setState({ maxBytes: answer.maxBytes });
        });
      },
      closeConnection: () => {
        connection.close();
        call.stop();
      },
      notifyError: (_, notice) => {
        if (!isShownElsewhere(notice)) pushNotice(notices, actionErrorText(notice.error, t));
      },
    },
  });

  const actor: CustomerActor = createActor(machine);

  const network = createNetworkStore(() => {
    connection.reconnectNow();
  });

  // Keep the last confirmed state for an offline start.
  let lastSaved: unknown = null;
  actor.subscribe((snapshot) => {
    const { session, customerState } = snapshot.context;
    if (session !== null && customerState !== null && customerState !== lastSaved) {
      lastSaved = customerState;
      persistence.saveState(session.user.id, customerState);
    }
  });

  actor.start();
  resume(actor, persistence);
  persistence.onOtherTabChange((session) => {
    const snapshot = actor.getSnapshot();
    if (session !== null && snapshot.matches({ loggedOut: 'idle' })) resume(actor, persistence);
    // Signed out in another tab: that session's token is gone for this tab as well.
    if (session === null && snapshot.matches('loggedIn')) {
      actor.send({ type: 'server.revoked', reason: 'logout' });
    }
  });

  return {
    actor,
    conversation,
    outbox,
    notices,
    network,
    call,
    activity,
    typing,
    reading,
    rating,
    uploads,
    files,
    limits,
    push,
  };
}

/** Continues a stored session (reload, second tab), showing its last known state at once. */
function resume(actor: CustomerActor, persistence: SessionPersistence): void {
  const session = persistence.load();
  if (session === null) return;
  actor.send({ type: 'auth.resume', session });
  const lastState = persistence.loadState(session.user.id);
  if (lastState !== null) actor.send({ type: 'server.customerState', state: lastState });
}
