import { agentMachine, toErrorBody } from '@callcenter/shared/machines';
import type {
  AgentIntent,
  CallEvent,
  AgentSyncResult,
  ErrorNotice,
  OutboxCommand,
  OutboxInput,
  SetStatusInput,
  TakeChatInput,
  TransferChatInput,
} from '@callcenter/shared/machines';
import type {
  AgentState,
  AgentToServerEvents,
  AgentStatus,
  Attachment,
  CallState,
  ChatMessage,
  ChatStartResult,
  QueueEntry,
  QueueAlerts,
  QueueSnapshot,
  ReadCursor,
  TeamSnapshot,
} from '@callcenter/shared';
import { ProtocolError } from '@callcenter/shared';
import {
  ConversationActivity,
  DEFAULT_ATTACHMENT_MAX_BYTES,
  fetchAttachmentLimits,
  uploadedAttachmentId,
  type OutboxAttachment,
  type OutboxEntry,
  type OutboxStore,
  ReadReporter,
  StoredSession,
  TypingReporter,
  callMachineOver,
  connectAgainLater,
  postLogin,
  postLogout,
  request,
  syncPages,
} from '@callcenter/client';
import {
  AttachmentFiles,
  createUploadProgress,
  uploadAttachment,
  type UploadProgress,
} from '@callcenter/client/files';
import { createActor, fromCallback, fromPromise } from 'xstate';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ActorRefFrom, SnapshotFrom } from 'xstate';
import { playChime, unlockAudio } from '../platform/chime';
import type { ConsolePlatform } from '../platform/platform';
import { createConsoleStore, type ConsoleStore } from '../state/consoleStore';
import { createMessageStore, pendingOutbox, type MessageStore } from '../state/messageStore';
import { arrivalsBetween } from '../state/queueArrivals';
import {
  RepeatingAlert,
  checkRepeatPeriod,
  countWaitingLong,
  repeatPeriodSeconds,
  shouldRepeatAlert,
} from '../state/queueAlerts';
import { openAgentSocket, type AgentSocket } from './agentSocket';
import { CannedReplies } from './cannedReplies';
import { ConsoleCall } from './consoleCall';
import { t } from '../i18n/i18n';
import { describeError } from './errorText';
import { ReplyOutbox, type SendOutcome } from './replyOutbox';

export type AgentActor = ActorRefFrom<typeof agentMachine>;
export type AgentSnapshot = SnapshotFrom<typeof agentMachine>;

/**
 * The session lives in `sessionStorage`: a reload (or a trip to the desktop app's settings page
 * and back) continues the shift without a new sign-in; closing the window ends it.
 */
const SESSION_KEY = 'callcenter.agent.session';
/** A session this close to expiry is not worth resuming. */
const MIN_SESSION_REMAINING_MS = 60_000;
const RECONNECT_AFTER_SERVER_CLOSE_MS = 1_000;

function notSignedIn(clientMsgId = ''): SendOutcome {
  return { ok: false, clientMsgId, error: { code: 'unauthorized', message: 'Not signed in.' } };
}

/**
 * The console's session: the shared agent machine, provided with this client's socket, HTTP
 * calls, storage and view stores. The machine decides; this wires it to the world. Components
 * reach it through the hooks in `hooks/`.
 */
export class AgentClient {
  readonly actor: AgentActor;
  readonly messages: MessageStore = createMessageStore();
  readonly view: ConsoleStore = createConsoleStore();
  /** The voice call: the agent's asks, its audio, the ring (see `hooks/useCall`). */
  readonly call: ConsoleCall;
  /** Every colleague's status and load (who a transfer can go to); newest version kept. */
  readonly team: StoreApi<{ snapshot: TeamSnapshot | null }> = createStore(() => ({
    snapshot: null as TeamSnapshot | null,
  }));
  /** The shared canned replies and the agent's own (see `console/CannedPicker`). */
  readonly canned = new CannedReplies(() => this.requireSocket());
  /** The uploads under way, by the pending reply's client message id (Discard stops one). */
  private readonly uploading = new Map<string, AbortController>();
  /** Files on their way up: bytes sent, by the pending reply's client message id. */
  readonly uploads: UploadProgress = createUploadProgress();
  /** Attachments fetched with the session's token, shown through object URLs. */
  readonly files: AttachmentFiles;
  /** The server's attachment size limit, to refuse a file before it is uploaded. */
  readonly limits: StoreApi<{ maxBytes: number }> = createStore(() => ({
    maxBytes: DEFAULT_ATTACHMENT_MAX_BYTES,
  }));
  /** The customers' typing, and how far each side has read each conversation. */
  readonly activity = new ConversationActivity('agent');
  /** This agent's typing and reading, reported per conversation. */
  private readonly typingReporters = new Map<string, TypingReporter>();
  private readonly readReporters = new Map<string, ReadReporter>();
  /** How the server wants agents alerted to waiting customers (from the sync). */
  readonly alerts: StoreApi<{
    settings: QueueAlerts | null;
    /** This agent's own repeat period, kept in this console (0: off); null: the server's. */
    ownRepeatSeconds: number | null;
  }> = createStore(() => ({
    settings: null as QueueAlerts | null,
    ownRepeatSeconds: null as number | null,
  }));
  /** Customers past their tier's waiting threshold, as last told to the platform (tray, badge). */
  private reportedWaitingLong = 0;
  /** Re-counts them every second while anyone waits: waiting long is a matter of time. */
  private waitingLongTicker: ReturnType<typeof setInterval> | undefined;
  /** The queue sound that repeats while customers wait and this agent can take one. */
  private readonly repeatingAlert = new RepeatingAlert(() => {
    playChime();
  });
  private shownState: AgentState | null = null;
  /** The conversation the last message notification was about: focusing the window shows it. */
  private notifiedConversation: string | null = null;
  private socket: AgentSocket | null = null;
  private readonly storedSession: StoredSession<'agent'>;
  private announcedQueue: QueueSnapshot | null = null;
  /** The session's outbox (the machine's `outbox` child); null while signed out. */
  private outbox: ReplyOutbox | null = null;

  constructor(
    readonly platform: ConsolePlatform,
    storage: Storage,
  ) {
    this.storedSession = new StoredSession(storage, {
      key: SESSION_KEY,
      role: 'agent',
      minRemainingMs: MIN_SESSION_REMAINING_MS,
    });
    const serverUrl = platform.serverUrl;
    this.files = new AttachmentFiles({ serverUrl, token: () => this.token() });
    this.call = new ConsoleCall({
      sendSignal: async (push) => {
        await request(this.requireSocket(), 'call.signal', push);
      },
      tell: (event) => {
        this.tellCall(event);
      },
      notifyIncoming: platform.notifyIncomingCall,
    });
    const machine = agentMachine.provide({
      actors: {
        login: fromPromise(({ input }) => postLogin(serverUrl, input)),
        // Signing out must work even when the server is unreachable: the token then simply
        // expires on its own.
        logout: fromPromise(async ({ input }) => {
          await postLogout(serverUrl, input.token).catch((error: unknown) => {
            if (toErrorBody(error).code !== 'unavailable') throw error;
          });
        }),
        startChat: fromPromise<ChatStartResult>(() =>
          request(this.requireSocket(), 'chat.start', {}),
        ),
        takeChat: fromPromise<ChatStartResult, TakeChatInput>(({ input }) =>
          request(this.requireSocket(), 'chat.take', { requestId: input.requestId }),
        ),
        endChat: fromPromise(
          async ({ input }) => (await request(this.requireSocket(), 'chat.end', input)).state,
        ),
        setStatus: fromPromise<AgentState, SetStatusInput>(
          async ({ input }) => (await request(this.requireSocket(), 'agent.status', input)).state,
        ),
        transferChat: fromPromise<AgentState, TransferChatInput>(
          async ({ input }) => (await request(this.requireSocket(), 'chat.transfer', input)).state,
        ),
        syncSession: fromPromise(() => this.sync()),
        call: callMachineOver(
          (event, payload) =>
            request<AgentToServerEvents, typeof event>(this.requireSocket(), event, payload),
          {
            onJoin: (join) => {
              this.call.join(join);
            },
          },
        ),
        // Replies wait in the message store until the machine says connected and synced
        // (`outbox.ready`), and hold while the link is down (`outbox.hold`). The session's end
        // stops this child: what still waits hears so.
        outbox: fromCallback<OutboxCommand, OutboxInput>(({ receive, input }) => {
          const store = pendingOutbox(this.messages);
          const outbox = new ReplyOutbox({
            store,
            userId: input.userId,
            send: async (entry) => {
              const attachmentId = await this.uploadedAttachmentId(entry, store);
              const { to, clientMsgId, text } = entry;
              const payload =
                attachmentId === undefined
                  ? { customerId: to, clientMsgId, text }
                  : {
                      customerId: to,
                      clientMsgId,
                      attachmentId,
                      ...(text === '' ? {} : { text }),
                    };
              return (await request(this.requireSocket(), 'message.send', payload)).message;
            },
          });
          this.outbox = outbox;
          receive((command) => {
            outbox.setReady(command.type === 'outbox.ready');
          });
          return () => {
            outbox.close();
            if (this.outbox === outbox) this.outbox = null;
          };
        }),
      },
      actions: {
        persistSession: ({ context }) => {
          if (context.session) this.storedSession.save(context.session);
          else this.storedSession.clear();
        },
        clearSession: () => {
          this.storedSession.clear();
        },
        openConnection: ({ context }) => {
          if (context.session) this.connect(context.session.token);
        },
        closeConnection: () => {
          this.disconnect();
        },
        notifyError: (_, notice) => {
          this.notifyError(notice);
        },
        clearChatPanel: () => {
          this.view.getState().clearChatPanel();
        },
        showConversation: (_, { conversationId, messages, taken }) => {
          this.messages.getState().add(messages);
          // The agent's own Start Chat or Take brings its conversation to the front; one that
          // arrives otherwise (a transfer, a message) waits in its tab.
          if (taken) this.view.getState().selectTab(conversationId);
        },
      },
    });
    this.actor = createActor(machine);
    this.actor.subscribe((snapshot) => {
      this.announceQueue(snapshot);
      this.keepClosedTabs(snapshot.context.agentState);
      this.updateRepeatingAlert();
    });
    this.view.subscribe(() => {
      this.updateRepeatingAlert();
    });
  }

  /** Starts the machine and continues a stored session (after a reload). */
  start(): void {
    this.actor.start();
    // A click on a message's notification brings the window up: with it, that conversation's
    // tab (the notification said who wrote; the tab is where to answer).
    window.addEventListener('focus', this.showNotifiedConversation);
    this.platform
      .loadSoundPreference()
      .then((enabled) => {
        this.view.getState().setSoundEnabled(enabled);
      })
      .catch(() => undefined);
    this.platform
      .loadAlertRepeat()
      .then((seconds) => {
        this.alerts.setState({ ownRepeatSeconds: seconds });
        this.updateRepeatingAlert();
      })
      .catch(() => undefined);
    const session = this.storedSession.load();
    if (session) this.actor.send({ type: 'auth.resume', session });
    else this.platform.reportQueue({ total: null, arrivals: [] });
  }

  stop(): void {
    window.removeEventListener('focus', this.showNotifiedConversation);
    this.actor.stop();
    this.disconnect();
  }

  login(login: string, password: string): void {
    unlockAudio();
    this.platform.prepareNotifications();
    this.view.getState().clearNotices();
    this.actor.send({ type: 'auth.login', login, password });
  }

  logout(): void {
    this.view.getState().clearNotices();
    this.actor.send({ type: 'auth.logout' });
  }

  /** R4: take the top of the queue. */
  startChat(): void {
    this.view.getState().clearNotices();
    this.actor.send({ type: 'chat.start' });
  }

  /** R4/R5: take one waiting customer. */
  takeChat(entry: QueueEntry): void {
    this.view.getState().clearNotices();
    this.actor.send({ type: 'chat.take', requestId: entry.requestId });
  }

  /** R6: ends one of the agent's conversations (the newest when none is named). */
  endChat(conversationId?: string): void {
    const id = conversationId ?? this.actor.getSnapshot().context.agentState?.conversationId;
    if (!id) return;
    this.view.getState().requestEnd(id);
    this.view.getState().clearNotices();
    this.actor.send({ type: 'chat.end', conversationId: id });
  }

  /** Hands a conversation to a colleague, or (no colleague) back to the front of the queue. */
  transferChat(conversationId: string, to?: { id: string; displayName: string }): void {
    this.view.getState().clearNotices();
    this.actor.send(
      to === undefined
        ? { type: 'chat.transfer', conversationId }
        : { type: 'chat.transfer', conversationId, toAgentId: to.id, toName: to.displayName },
    );
  }

  /** Available or away, for every session of this agent. */
  setStatus(status: AgentStatus): void {
    this.view.getState().clearNotices();
    this.actor.send({ type: 'agent.setStatus', status });
  }

  /**
   * Puts a closed conversation tab away; with none left, the monitor view shows. Client-side
   * only: the server has no way back to `monitoring`, and `conversationEnded` may take chats
   * just the same.
   */
  backToQueue(conversationId?: string): void {
    const state = this.actor.getSnapshot().context.agentState;
    const id =
      conversationId ?? (state?.state === 'conversationEnded' ? state.conversationId : null);
    if (id) this.view.getState().backToQueue(id);
  }

  setSoundEnabled(enabled: boolean): void {
    if (enabled) unlockAudio();
    this.view.getState().setSoundEnabled(enabled);
    this.platform.saveSoundPreference(enabled);
  }

  /**
   * R9: writes to a customer. Kept as pending until the server stores it; retried with the same
   * client id after server trouble or a reconnect; a refusal (e.g. `assigned_to_other`) is final.
   */
  sendMessage(customerId: string, text: string): Promise<SendOutcome> {
    if (!this.outbox) return Promise.resolve(notSignedIn());
    return this.outbox.write(customerId, text);
  }

  /** The composer of a conversation changed (typing is reported to its customer, throttled). */
  typingChanged(conversationId: string, text: string): void {
    this.typingIn(conversationId).changed(text);
  }

  /** The agent sent, or left the composer: no longer typing there. */
  typingStopped(conversationId: string): void {
    this.typingReporters.get(conversationId)?.stop();
  }

  /** The newest customer message of a conversation is on screen, in a focused window. */
  shown(conversationId: string, seq: number): void {
    let reporter = this.readReporters.get(conversationId);
    if (!reporter) {
      reporter = new ReadReporter(async (read) => {
        const answer = await request(this.requireSocket(), 'chat.read', {
          conversationId,
          seq: read,
        });
        this.activity.heardReads([answer.read]);
      });
      this.readReporters.set(conversationId, reporter);
    }
    reporter.shown(seq);
  }

  private typingIn(conversationId: string): TypingReporter {
    let reporter = this.typingReporters.get(conversationId);
    if (!reporter) {
      // Best effort: a lost "typing" expires on the customer's side by itself.
      reporter = new TypingReporter((typing) => {
        if (!this.socket?.connected) return;
        request(this.socket, 'chat.typing', { conversationId, typing }).catch(() => undefined);
      });
      this.typingReporters.set(conversationId, reporter);
    }
    return reporter;
  }

  /**
   * Sends a file to a customer as a reply of its own: pending (with its upload's progress) until
   * the server stores it, like text. Too large or unsupported files are refused before this.
   */
  sendAttachment(customerId: string, file: File): Promise<SendOutcome> {
    if (!this.outbox) return Promise.resolve(notSignedIn());
    return this.outbox.write(customerId, '', { file, name: file.name, size: file.size });
  }

  /** Asks the server for its attachment size limit (kept in `limits`); the default until then. */
  async loadAttachmentLimits(): Promise<void> {
    const limits = await fetchAttachmentLimits(this.platform.serverUrl);
    if (limits !== null) this.limits.setState({ maxBytes: limits.maxBytes });
  }

  private token(): string | null {
    return this.actor.getSnapshot().context.session?.token ?? null;
  }

  /** A pending reply's file on the server (uploaded first if need be); Discard stops it. */
  private async uploadedAttachmentId(
    entry: OutboxEntry,
    store: OutboxStore,
  ): Promise<string | undefined> {
    const controller = new AbortController();
    this.uploading.set(entry.clientMsgId, controller);
    try {
      return await uploadedAttachmentId(entry, store, (withFile) =>
        this.upload(withFile, controller.signal),
      );
    } finally {
      this.uploading.delete(entry.clientMsgId);
    }
  }

  /** Uploads a pending reply's file, its progress in `uploads` while it goes. */
  private async upload(
    { clientMsgId, attachment }: OutboxEntry & { attachment: OutboxAttachment },
    signal: AbortSignal,
  ): Promise<Attachment> {
    const token = this.token();
    if (token === null) throw new ProtocolError('unauthorized', 'Not signed in.');
    if (!(attachment.file instanceof Blob)) {
      throw new ProtocolError('invalid_payload', 'The file is no longer here.');
    }
    this.uploads.report(clientMsgId, 0, attachment.size);
    try {
      return await uploadAttachment({
        serverUrl: this.platform.serverUrl,
        token,
        file: attachment.file,
        name: attachment.name,
        uploadId: clientMsgId,
        onProgress: (sent, total) => {
          this.uploads.report(clientMsgId, sent, total);
        },
        signal,
      });
    } finally {
      this.uploads.forget(clientMsgId);
    }
  }

  retryMessage(clientMsgId: string): Promise<SendOutcome> {
    if (!this.outbox) return Promise.resolve(notSignedIn(clientMsgId));
    return this.outbox.retry(clientMsgId);
  }

  discardMessage(clientMsgId: string): void {
    void this.outbox?.discard(clientMsgId);
    this.uploading.get(clientMsgId)?.abort();
  }

  private requireSocket(): AgentSocket {
    if (!this.socket) throw new ProtocolError('unavailable', 'Not connected to the server.');
    return this.socket;
  }

  /** `session.sync` after each (re)connection: state, queue, and the messages missed meanwhile. */
  private async sync(): Promise<AgentSyncResult> {
    const last = await syncPages({
      ask: (payload) => request(this.requireSocket(), 'session.sync', payload),
      since: this.messages.getState().cursor,
      onPage: (page) => {
        this.messages.getState().add(page.messages);
        this.messages.getState().setCursor(page.cursor);
        return true;
      },
    });
    if (last.call !== null) this.heardCall(last.call);
    this.heardTeam(last.team);
    this.heardReads(last.reads);
    this.alerts.setState({ settings: last.alerts });
    this.updateRepeatingAlert();
    return { state: last.state, queue: last.queue };
  }

  /** The call machine runs while signed in (`snapshot.children.call`). */
  private tellCall(event: CallEvent): void {
    this.actor.getSnapshot().children.call?.send(event);
  }

  private heardCall(call: CallState): void {
    this.tellCall({ type: 'server.callState', call });
    this.call.heard(call);
  }

  private connect(token: string): void {
    this.disconnect();
    const socket = openAgentSocket(this.platform.serverUrl, token);
    this.socket = socket;
    void this.loadAttachmentLimits();
    const send = (event: Parameters<AgentActor['send']>[0]): void => {
      if (this.socket === socket) this.actor.send(event);
    };
    socket.on('connect', () => {
      send({ type: 'connection.up' });
    });
    socket.on('disconnect', (reason) => {
      send({ type: 'connection.down' });
      // The server closed this socket without revoking the session (e.g. it is shutting
      // down): Socket.IO does not retry that by itself.
      if (reason === 'io server disconnect') {
        connectAgainLater(socket, () => this.socket === socket, RECONNECT_AFTER_SERVER_CLOSE_MS);
      }
    });
    socket.on('connect_error', (error) => {
      if (error.message === 'unauthorized') {
        send({ type: 'server.revoked', reason: 'expired' });
        return;
      }
      send({ type: 'connection.down' });
      // Refused by the server for now (`unavailable`, `rate_limited`).
      connectAgainLater(socket, () => this.socket === socket, RECONNECT_AFTER_SERVER_CLOSE_MS);
    });
    socket.on('agent.state', (state) => {
      send({ type: 'server.agentState', state });
    });
    socket.on('queue.snapshot', (snapshot) => {
      send({ type: 'server.queueSnapshot', snapshot });
    });
    socket.on('team.snapshot', (snapshot) => {
      if (this.socket === socket) this.heardTeam(snapshot);
    });
    socket.on('chat.typing', (push) => {
      if (this.socket === socket) this.activity.heardTyping(push);
    });
    socket.on('chat.read', (cursor) => {
      if (this.socket === socket) this.heardReads([cursor]);
    });
    socket.on('message.new', (message) => {
      if (this.socket !== socket) return;
      this.messages.getState().add([message]);
      this.activity.heardMessage(message);
      this.announceMessage(message);
    });
    socket.on('session.revoked', ({ reason }) => {
      send({ type: 'server.revoked', reason });
    });
    socket.on('call.state', (call) => {
      if (this.socket === socket) this.heardCall(call);
    });
    socket.on('call.signal', (push) => {
      if (this.socket === socket) this.call.receive(push);
    });
    // Listed again after a change, and after a reconnection (a change may have been missed).
    socket.on('canned.changed', () => {
      if (this.socket === socket) this.canned.changed();
    });
    socket.on('connect', () => {
      if (this.socket === socket) this.canned.changed();
    });
  }

  /** Leaving `loggedIn`: close the socket and forget everything the previous session showed. */
  private disconnect(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
    }
    this.call.stop();
    this.files.clear();
    this.messages.getState().reset();
    this.view.getState().reset();
    this.team.setState({ snapshot: null });
    this.alerts.setState({ settings: null });
    this.repeatingAlert.stop();
    clearInterval(this.waitingLongTicker);
    this.waitingLongTicker = undefined;
    this.reportedWaitingLong = 0;
    this.canned.reset();
    this.shownState = null;
    this.activity.reset();
    for (const reporter of this.typingReporters.values()) reporter.stop();
    this.typingReporters.clear();
    for (const reporter of this.readReporters.values()) reporter.reset();
    this.readReporters.clear();
  }

  private heardReads(cursors: readonly ReadCursor[]): void {
    this.activity.heardReads(cursors);
    // Read on another of this agent's windows: nothing to report again from this one.
    for (const cursor of cursors) {
      if (cursor.role === 'agent') this.readReporters.get(cursor.conversationId)?.known(cursor.seq);
    }
  }

  private readonly showNotifiedConversation = (): void => {
    const conversationId = this.notifiedConversation;
    this.notifiedConversation = null;
    const held = this.actor.getSnapshot().context.agentState?.conversations ?? [];
    if (conversationId && held.some((c) => c.conversationId === conversationId)) {
      this.view.getState().selectTab(conversationId);
    }
  };

  /** This agent's repeat period for the queue sound (one of REPEAT_CHOICES; 0: no repeat). */
  setAlertRepeat(seconds: number): void {
    checkRepeatPeriod(seconds);
    this.platform.saveAlertRepeat(seconds);
    this.alerts.setState({ ownRepeatSeconds: seconds });
    this.updateRepeatingAlert();
  }

  private updateRepeatingAlert(): void {
    const snapshot = this.actor.getSnapshot();
    const { settings, ownRepeatSeconds } = this.alerts.getState();
    const repeatSeconds = repeatPeriodSeconds(ownRepeatSeconds, settings);
    const loggedIn = snapshot.matches('loggedIn');
    const on =
      loggedIn &&
      shouldRepeatAlert({
        queue: snapshot.context.queue,
        agentState: snapshot.context.agentState,
        soundEnabled: this.view.getState().soundEnabled,
        alerts: settings,
        repeatSeconds,
      });
    this.repeatingAlert.set(on, repeatSeconds * 1000);
    const watch = loggedIn && settings !== null && (snapshot.context.queue?.total ?? 0) > 0;
    if (watch && this.waitingLongTicker === undefined) {
      this.waitingLongTicker = setInterval(this.reportWaitingLong, 1000);
    } else if (!watch && this.waitingLongTicker !== undefined) {
      clearInterval(this.waitingLongTicker);
      this.waitingLongTicker = undefined;
    }
    this.reportWaitingLong();
  }

  /** Tells the platform (tray, badge) how many wait too long, when that changed. */
  private readonly reportWaitingLong = (): void => {
    const snapshot = this.actor.getSnapshot();
    const queue = snapshot.context.queue;
    if (!snapshot.matches('loggedIn') || queue === null) return;
    const count = countWaitingLong(queue, this.alerts.getState().settings, Date.now());
    if (count === this.reportedWaitingLong) return;
    this.reportedWaitingLong = count;
    this.platform.reportQueue({ total: queue.total, arrivals: [], waitingLong: count });
  };

  /** Keeps the newest team snapshot (a push and a sync answer may cross). */
  private heardTeam(snapshot: TeamSnapshot): void {
    const held = this.team.getState().snapshot;
    if (held === null || snapshot.version >= held.version) this.team.setState({ snapshot });
  }

  /**
   * A conversation that left the agent (ended, or handed over) stays as a read-only tab; so does
   * the ended one a fresh sign-in finds (R6: the agent puts it away with "Back to queue").
   */
  private keepClosedTabs(state: AgentState | null): void {
    const previous = this.shownState;
    if (state === previous) return;
    this.shownState = state;
    if (state === null) return;
    const held = new Set(state.conversations.map((c) => c.conversationId));
    for (const left of previous?.conversations ?? []) {
      if (!held.has(left.conversationId)) {
        this.view.getState().keepClosedTab({
          conversationId: left.conversationId,
          customer: left.customer,
        });
      }
    }
    if (
      previous === null &&
      state.state === 'conversationEnded' &&
      state.conversationId !== null &&
      state.customer !== null
    ) {
      this.view
        .getState()
        .keepClosedTab({ conversationId: state.conversationId, customer: state.customer });
    }
  }

  private notifyError({ error, intent }: ErrorNotice<AgentIntent>): void {
    // A failed re-sync shows as the connection status; the machine asks again by itself.
    if (intent === null) return;
    // Sign-in failures are shown by the sign-in form itself, from the machine's context.
    if (intent.kind === 'login') return;
    this.view.getState().notify('error', describeError(error, intent, t));
  }

  /** A live message from the customer in the conversation: worth a notification if unfocused. */
  private announceMessage(message: ChatMessage): void {
    const state = this.actor.getSnapshot().context.agentState;
    // A call's event is no news: the call bar (and the ring) already told.
    if (message.call !== undefined) return;
    if (message.sender.role !== 'customer' || message.notice !== undefined) return;
    // News in any conversation this agent holds (the notification names the customer).
    const held = state?.conversations.find((c) => c.conversationId === message.conversationId);
    if (held === undefined) return;
    if (!document.hasFocus()) this.notifiedConversation = message.conversationId;
    this.platform.notifyCustomerMessage({
      customerName: message.sender.displayName,
      text: message.text,
      tier: held.customer.profile.tier,
    });
    if (this.view.getState().soundEnabled && !document.hasFocus()) playChime();
  }

  /** R12: tell the platform the count, and who is new since the last snapshot. */
  private announceQueue(snapshot: AgentSnapshot): void {
    if (!snapshot.matches('loggedIn')) {
      if (this.announcedQueue !== null) {
        this.announcedQueue = null;
        this.platform.reportQueue({ total: null, arrivals: [] });
      }
      return;
    }
    const queue = snapshot.context.queue;
    if (queue === null || queue === this.announcedQueue) return;
    // An away agent sees the count but is not called by arrivals: no notification, no sound.
    const away = snapshot.context.agentState?.status === 'away';
    const arrivals = away ? [] : arrivalsBetween(this.announcedQueue, queue);
    this.announcedQueue = queue;
    this.reportedWaitingLong = countWaitingLong(queue, this.alerts.getState().settings, Date.now());
    this.platform.reportQueue({
      total: queue.total,
      arrivals,
      waitingLong: this.reportedWaitingLong,
    });
    if (arrivals.length > 0 && this.view.getState().soundEnabled) playChime();
  }
}
