import { randomUUID } from 'node:crypto';
import type {
  AgentMessageSendPayload,
  CallHistoryEvent,
  CallState,
  ChatMessage,
  ChatNotice,
  CustomerMessageSendPayload,
  Role,
} from '@callcenter/shared';
import { LIMITS, ProtocolError, priorityForTier } from '@callcenter/shared';
import { SessionEndedError, type SessionIdentity } from '../auth/authService';
import type { ChatQueue } from '../live/chatQueue';
import type { MessageNumber, MessageSequence } from '../live/messageSequence';
import type { ReplayIndex } from '../live/replayIndex';
import { NO_COUNTS, type MessageCounts } from '../metrics/metrics';
import type { AccountsRepository } from '../store/accounts';
import { messageToView, type MessagesRepository } from '../store/messages';
import type { MessageDoc } from '../store/documents';
import type { MessagePages } from './messagePages';
import type { Broadcaster } from './broadcaster';
import type { AttachmentBinder } from './attachmentService';
import { NO_ALERTS, type CustomerAlerts } from './customerAlerts';

/** In-flight sequence marks older than this belong to a writer that died. */
const STALE_SEQ_MS = 30_000;
const PREVIEW_LENGTH = 80;
/** A sequence number found taken is replaced this many times at most (see store()). */
const MAX_SEQ_ATTEMPTS = 3;
/** Messages read from storage into the replay index when it is (re)built. */
const REPLAY_WARM_MESSAGES = 10_000;
/** Builds of the replay index started over when Redis lost it again meanwhile. */
const MAX_WARM_ATTEMPTS = 3;

const CALL_HISTORY_EVENT = {
  ringing: 'started',
  established: 'answered',
  ended: 'ended',
} as const satisfies Record<CallState['state'], CallHistoryEvent['event']>;

const CALL_END_WORDS: Record<NonNullable<CallHistoryEvent['reason']>, string> = {
  hangup: 'hung up',
  declined: 'declined',
  missed: 'not answered',
  failed: 'the connection failed',
  conversation_ended: 'the chat ended',
  disconnected: 'a connection was lost',
  no_microphone: 'no microphone',
};

/** A call event's plain wording, kept as the message's text (for exports and old clients). */
export function callHistoryText(callerName: string, event: CallHistoryEvent): string {
  if (event.event === 'started') return `Voice call from ${callerName}`;
  if (event.event === 'answered') return 'Voice call answered';
  const why = event.reason === null ? '' : ` (${CALL_END_WORDS[event.reason]})`;
  if (event.durationSeconds === null) {
    if (event.reason === 'missed') return 'Missed voice call';
    if (event.reason === 'declined') return 'Voice call declined';
    return `Voice call ended${why}`;
  }
  const minutes = Math.floor(event.durationSeconds / 60);
  const seconds = String(event.durationSeconds % 60).padStart(2, '0');
  return `Voice call ended after ${minutes}:${seconds}${why}`;
}

/** A notice's plain wording, kept as the message's text (for exports and old clients). */
export function noticeText(notice: ChatNotice): string {
  switch (notice.kind) {
    case 'transferred':
      return notice.to === null
        ? `${notice.from.displayName} put the chat back in the queue`
        : `${notice.from.displayName} transferred the chat to ${notice.to.displayName}`;
    case 'idleWarning':
      return 'This chat will close soon unless someone writes';
    case 'closed':
      return notice.reason === 'idle'
        ? 'The chat was closed after a time without messages'
        : 'The request was closed: the customer was offline too long';
  }
}

function senderKey(role: Role, id: string): string {
  return `${role}:${id}`;
}

type Numbered = Extract<MessageNumber, { seq: number }>;

/**
 * What an agent's message needs of the chat service (R9): the customer made the agent's first.
 * A port, so that this module does not import the chat service (which imports this one).
 */
export interface MessageAssigner {
  /** The conversation the agent's message to `customerId` belongs to. */
  assignForMessage(agent: SessionIdentity, customerId: string): Promise<string>;
}

/**
 * R8-R10: stores every message once (per sender and client message id), then delivers it.
 * A retried send returns the stored message and is not delivered a second time.
 */
export class MessagingService {
  constructor(
    private readonly sequence: MessageSequence,
    private readonly replay: ReplayIndex,
    private readonly queue: ChatQueue,
    private readonly accounts: AccountsRepository,
    private readonly messages: MessagesRepository,
    private readonly pages: MessagePages,
    private readonly chat: MessageAssigner,
    private readonly broadcaster: Broadcaster,
    /** Binds a message's file to it (once) and says what the message carries of it. */
    private readonly attachments: AttachmentBinder,
    private readonly options: { replayIndexSize: number },
    /** New messages from the parties, for the metrics. */
    private readonly counts: Pick<MessageCounts, 'messageReceived'> = NO_COUNTS,
    /** An agent's message, for a customer with no app open (Web Push). */
    private readonly alerts: CustomerAlerts = NO_ALERTS,
  ) {}

  private warming: Promise<void> | undefined;
  /**
   * Whether agents' syncs may read the replay index: not from the moment the Redis connection
   * drops until the index has been checked against the Redis process now answering.
   */
  private indexTrusted = false;

  /**
   * R8: a customer writes while queued or in conversation. The session check, the state and
   * the sequence number come in one Redis round trip (the busiest event of all).
   */
  async customerSend(
    customer: SessionIdentity,
    payload: CustomerMessageSendPayload,
  ): Promise<ChatMessage> {
    const key = senderKey('customer', customer.userId);
    // No lookup of the client message id first: the unique index refuses a retry's second
    // copy (store() then returns the first). Only a send that cannot be stored now (no chat)
    // looks for one stored earlier, so a late retry still gets its message back.
    const [begun, profile] = await Promise.allSettled([
      this.beginCustomerMessage(customer),
      this.accounts.customerProfile(customer.userId),
    ]);
    if (begun.status === 'rejected') throw begun.reason;
    const live = begun.value;
    if (!live.sessionOpen) throw new SessionEndedError();
    const { conversationId } = live;
    const number = live.number && 'seq' in live.number ? live.number : null;
    if (number === null || conversationId === null) {
      const existing = await this.messages.findBySender(key, payload.clientMsgId);
      if (existing) {
        const view = messageToView(existing);
        await this.index(view);
        return view;
      }
      throw new ProtocolError('not_in_chat', 'Ask for a chat before writing.');
    }
    const doc = profile.status === 'fulfilled' ? profile.value : null;
    if (!doc) {
      // Nothing will be stored under this sequence number: release it now.
      await this.sequence.settle(number.seq);
      if (profile.status === 'rejected') throw profile.reason;
      throw new ProtocolError('forbidden', 'This account cannot chat.');
    }
    let attached: Awaited<ReturnType<AttachmentBinder['bind']>> | undefined;
    if (payload.attachmentId !== undefined) {
      try {
        attached = await this.attachments.bind(
          { role: 'customer', userId: customer.userId },
          payload.attachmentId,
          payload.clientMsgId,
          { conversationId, customerId: customer.userId },
        );
      } catch (error) {
        await this.sequence.settle(number.seq);
        throw error;
      }
    }
    const { message, inserted } = await this.storeWith(attached, number, {
      clientMsgId: payload.clientMsgId,
      senderKey: key,
      sender: { role: 'customer', id: customer.userId, displayName: doc.displayName },
      customerId: customer.userId,
      conversationId,
      text: payload.text ?? '',
      priority: priorityForTier(doc.tier),
    });
    if (inserted) this.counts.messageReceived('customer');
    if (inserted && live.state === 'requestSent' && live.requestId) {
      const preview = (payload.text ?? attached?.attachment.name ?? '')
        .trim()
        .slice(0, PREVIEW_LENGTH);
      if (await this.queue.setPreview(live.requestId, preview)) this.broadcaster.queueChanged();
    }
    return message;
  }

  /** R9: an agent writes to a specified customer, who becomes its customer if unassigned. */
  async agentSend(agent: SessionIdentity, payload: AgentMessageSendPayload): Promise<ChatMessage> {
    const key = senderKey('agent', agent.userId);
    const existing = await this.messages.findBySender(key, payload.clientMsgId);
    if (existing) {
      if (existing.customerId !== payload.customerId) {
        throw new ProtocolError(
          'invalid_payload',
          'This clientMsgId was already used for a message to another customer; use a new id per message.',
        );
      }
      // A retry of a send whose writer stored it and then died: index it now.
      const view = messageToView(existing);
      await this.index(view);
      return view;
    }

    // A file it cannot send is refused before the customer is assigned to it.
    if (payload.attachmentId !== undefined) {
      await this.attachments.checkSendable(
        { role: 'agent', userId: agent.userId },
        payload.attachmentId,
        payload.clientMsgId,
      );
    }
    const conversationId = await this.chat.assignForMessage(agent, payload.customerId);
    const customer = await this.accounts.customerProfile(payload.customerId);
    if (!customer) throw new ProtocolError('not_found', 'No such customer.');
    const attached =
      payload.attachmentId === undefined
        ? undefined
        : await this.attachments.bind(
            { role: 'agent', userId: agent.userId },
            payload.attachmentId,
            payload.clientMsgId,
            { conversationId, customerId: payload.customerId },
          );
    const { message, inserted } = await this.storeWith(attached, await this.numberMessage(), {
      clientMsgId: payload.clientMsgId,
      senderKey: key,
      sender: { role: 'agent', id: agent.userId, displayName: agent.displayName },
      customerId: payload.customerId,
      conversationId,
      text: payload.text ?? '',
      priority: priorityForTier(customer.tier),
    });
    if (inserted) {
      this.counts.messageReceived('agent');
      this.alerts.alert({
        kind: 'message',
        customerId: message.customerId,
        conversationId: message.conversationId,
        agentName: agent.displayName,
        text: message.text,
      });
    }
    return message;
  }

  /**
   * A call's event in its conversation's history (placed, answered, ended), stored and delivered
   * like a message: both transcripts show it and a re-sync replays it. Stored once per call and
   * event, whichever node records it (the call's id is the idempotency key).
   */
  async recordCall(call: CallState, customerId: string): Promise<ChatMessage> {
    const event = CALL_HISTORY_EVENT[call.state];
    const clientMsgId = `${call.callId}-${event}`;
    const key = `call:${call.callId}`;
    // No lookup first: storage's unique index refuses a second record of the same event.
    const customer = await this.accounts.customerProfile(customerId);
    const answered = call.answeredAt === null ? null : Date.parse(call.answeredAt);
    const ended = call.endedAt === null ? null : Date.parse(call.endedAt);
    const history: CallHistoryEvent = {
      callId: call.callId,
      event,
      direction: call.direction,
      reason: event === 'ended' ? call.reason : null,
      durationSeconds:
        event === 'ended' && answered !== null && ended !== null
          ? Math.max(0, Math.round((ended - answered) / 1000))
          : null,
    };
    const { message } = await this.store(await this.numberMessage(), {
      clientMsgId,
      senderKey: key,
      sender: call.from,
      customerId,
      conversationId: call.conversationId,
      text: callHistoryText(call.from.displayName, history),
      priority: priorityForTier(customer?.tier ?? 'standard'),
      call: history,
    });
    return message;
  }

  /**
   * Stores a server notice in a conversation's history and delivers it like a message. `key`
   * names the occurrence (a transfer's id, say): recording the same one again stores nothing
   * new, whichever node does it.
   */
  async recordNotice(
    input: {
      key: string;
      conversationId: string;
      customerId: string;
      notice: ChatNotice;
    } & (
      | {
          /** The agent the conversation was with when it happened. */
          agent: { id: string; displayName: string };
        }
      | {
          /** Who it is about, when no agent was there (a queued request). */
          sender: { role: Role; id: string; displayName: string };
        }
    ),
  ): Promise<ChatMessage> {
    const customer = await this.accounts.customerProfile(input.customerId);
    const { message } = await this.store(await this.numberMessage(), {
      clientMsgId: input.key,
      senderKey: `notice:${input.conversationId}`,
      sender:
        'agent' in input
          ? { role: 'agent', id: input.agent.id, displayName: input.agent.displayName }
          : input.sender,
      customerId: input.customerId,
      conversationId: input.conversationId,
      text: noticeText(input.notice),
      priority: priorityForTier(customer?.tier ?? 'standard'),
      notice: input.notice,
    });
    return message;
  }

  /** The session check, state and message number, retried while the page is put on record. */
  private beginCustomerMessage(customer: SessionIdentity) {
    return this.pages.number(
      (pageSize) =>
        this.sequence.beginCustomerMessage(
          customer.sessionId,
          customer.userId,
          Date.now(),
          pageSize,
        ),
      (begun) => (begun.sessionOpen ? begun.number : null),
    );
  }

  /** A sequence number (marked in flight) and page for a new message. */
  private async numberMessage(): Promise<Numbered> {
    const number = await this.pages.number(
      (pageSize) => this.sequence.allocate(Date.now(), pageSize),
      (answer) => answer,
    );
    // number() returns only an answer that holds a number; this narrows the type.
    if ('need' in number) throw new Error(`message page ${number.page} not opened`);
    return number;
  }

  /**
   * Replay after `since` for a reconnecting client; without `since`, the latest page. The
   * returned cursor never passes a message still being written, so nothing is skipped.
   * Agents read across every customer: from the replay index in Redis (a range read), and from
   * storage only for a cursor older than the index. A customer reads its own messages.
   */
  async sync(
    identity: SessionIdentity,
    since: number | undefined,
  ): Promise<{ messages: ChatMessage[]; cursor: number; hasMore: boolean }> {
    const limit = LIMITS.syncPageSize;
    const staleBefore = Date.now() - STALE_SEQ_MS;
    let watermark: number;
    let page: ChatMessage[];
    if (identity.role === 'agent' && this.indexTrusted) {
      let indexed = await this.replay.page(since ?? null, limit, staleBefore);
      if (!indexed.covered && (indexed.missing || this.warming)) {
        // The index is being (re)built: wait for that one read of storage rather than each
        // agent reading it again (on FerretDB, a read across customers scans every message).
        // A failed build leaves the index uncovered: storage answers below.
        await this.warmReplayIndex().catch(() => undefined);
        indexed = await this.replay.page(since ?? null, limit, staleBefore);
      }
      watermark = indexed.watermark;
      page = indexed.covered ? indexed.messages : await this.readStored(null, since, limit);
    } else {
      watermark = await this.replay.watermark(staleBefore);
      const customerId = identity.role === 'customer' ? identity.userId : null;
      page = await this.readStored(customerId, since, limit);
    }
    if (since === undefined) return { messages: page, cursor: watermark, hasMore: false };
    const hasMore = page.length === limit;
    const last = page.at(-1)?.seq ?? since;
    const cursor = Math.max(since, hasMore ? Math.min(last, watermark) : watermark);
    return { messages: page, cursor, hasMore };
  }

  /** From storage: a customer's own messages, or (null) every customer's, page by page. */
  private async readStored(
    customerId: string | null,
    since: number | undefined,
    limit: number,
  ): Promise<ChatMessage[]> {
    let docs: MessageDoc[];
    if (customerId !== null) {
      docs =
        since === undefined
          ? await this.messages.listLatest(customerId, limit)
          : await this.messages.listAfter(customerId, since, limit);
    } else {
      docs =
        since === undefined
          ? (await this.pages.latest(limit)).messages
          : await this.pages.after(since, limit);
    }
    return docs.map(messageToView);
  }

  /**
   * Settles the in-flight marks whose writers died or lost Redis before settling: a message
   * storage has is put in the replay index, so the index never misses a stored message.
   */
  async settleAbandoned(): Promise<number> {
    const stale = await this.sequence.staleInFlight(Date.now() - STALE_SEQ_MS, 100);
    for (const seq of stale) {
      const stored = await this.messages.findBySeq(seq);
      if (stored) await this.index(messageToView(stored));
      else await this.sequence.settle(seq);
    }
    return stale.length;
  }

  private async index(message: ChatMessage): Promise<void> {
    const { indexed } = await this.replay.settleMessage(message, this.options.replayIndexSize);
    if (!indexed) this.rebuildReplayIndex();
  }

  /** The Redis connection dropped: the Redis that answers next may have lost recent writes. */
  distrustReplayIndex(): void {
    this.indexTrusted = false;
  }

  /**
   * Checks the replay index against the Redis process answering now (at start-up and after
   * every reconnect): one built by another process is dropped and rebuilt from storage.
   */
  async checkReplayIndex(): Promise<void> {
    this.indexTrusted = false;
    const dropped = await this.replay.dropIfFromOtherRedis(await this.replay.redisRunId());
    this.indexTrusted = true;
    if (dropped) this.rebuildReplayIndex();
  }

  /** Builds the replay index in the background; agents' syncs read storage meanwhile. */
  private rebuildReplayIndex(): void {
    this.warmReplayIndex().catch(() => {
      // Redis or storage out of reach: the next sync or message that finds no index retries.
    });
  }

  /**
   * Fills the replay index from storage with the newest messages: at start-up, and when Redis
   * has lost it. One at a time per node; agents' syncs read storage meanwhile.
   */
  warmReplayIndex(): Promise<void> {
    this.warming ??= (async () => {
      // Redis may lose the index again while it is read from storage (a flush, a restart):
      // the build then starts over, so syncs waiting for it do not each read storage.
      for (let attempt = 1; attempt <= MAX_WARM_ATTEMPTS; attempt += 1) {
        await this.replay.init();
        const newest = await this.pages.latest(REPLAY_WARM_MESSAGES);
        const from = await this.replay.warm(newest.messages.map(messageToView), newest.all);
        if (from !== -1) return;
      }
    })().finally(() => {
      this.warming = undefined;
    });
    return this.warming;
  }

  /**
   * Stores a message with its file (bound by the caller); a message that could not be stored
   * gives its file back, so that it may be sent again.
   */
  private async storeWith(
    attached: Awaited<ReturnType<AttachmentBinder['bind']>> | undefined,
    number: Numbered,
    fields: Omit<MessageDoc, '_id' | 'seq' | 'page' | 'createdAt' | 'attachment'>,
  ): Promise<{ message: ChatMessage; inserted: boolean }> {
    if (attached === undefined) return this.store(number, fields);
    try {
      return await this.store(number, { ...fields, attachment: attached.attachment });
    } catch (error) {
      await attached.release().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Stores and delivers, then settles `seq` (allocated in flight by the caller); a concurrent
   * retry that stored it first is returned, not redelivered. A sequence number some other
   * message already holds (Redis lost or rolled back its counter) is replaced by a new one
   * above everything stored.
   */
  private async store(
    number: Numbered,
    fields: Omit<MessageDoc, '_id' | 'seq' | 'page' | 'createdAt'>,
  ): Promise<{ message: ChatMessage; inserted: boolean }> {
    const doc: MessageDoc = {
      _id: randomUUID(),
      seq: number.seq,
      page: number.page,
      createdAt: new Date(),
      ...fields,
    };
    for (let attempt = 1; ; attempt += 1) {
      let result: Awaited<ReturnType<MessagesRepository['insertOnce']>>;
      try {
        result = await this.messages.insertOnce(doc);
      } catch (error) {
        await this.sequence.settle(doc.seq);
        throw error;
      }
      if (result.outcome !== 'seqTaken') {
        const view = messageToView(result.message);
        // A retry's stored message goes into the replay index again: harmless, and it mends an
        // earlier attempt that stored it but failed to index it.
        await this.index(view);
        if (doc.seq !== view.seq) await this.sequence.settle(doc.seq);
        const inserted = result.outcome === 'inserted';
        if (inserted) this.broadcaster.messageCreated(view);
        return { message: view, inserted };
      }
      await this.sequence.settle(doc.seq);
      if (attempt === MAX_SEQ_ATTEMPTS) {
        throw new Error(`message sequence ${doc.seq} still taken after ${attempt} attempts`);
      }
      const [newest] = (await this.pages.latest(1)).messages;
      await this.sequence.raiseTo(newest?.seq ?? 0);
      const renumbered = await this.numberMessage();
      doc.seq = renumbered.seq;
      doc.page = renumbered.page;
    }
  }
}
