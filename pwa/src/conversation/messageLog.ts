import { compareConversationOrder } from '@callcenter/shared';
import type { Attachment, ChatMessage, ErrorBody } from '@callcenter/shared';
import {
  callEventText,
  compareOutboxOrder,
  noticeText,
  type OutboxEntry,
  type Translate,
} from '@callcenter/client';

/** What the customer sees under one of their own messages. */
export type DeliveryState = 'seen' | 'sent' | 'sending' | 'waiting' | 'failed';

export interface ChatLine {
  key: string;
  own: boolean;
  authorName: string;
  text: string;
  /** ISO time: the server's for stored messages, the device's for unsent ones. */
  time: string;
  /** `null` for the agent's messages. */
  delivery: DeliveryState | null;
  /** For unsent messages, so the UI can retry or discard them. */
  clientMsgId: string | null;
  failure: ErrorBody | null;
  /** A voice call's event (its words in `text`), shown as an event rather than a message. */
  callEvent: boolean;
  /** A server notice (a transfer, the idle warning, a close), shown as an event line too. */
  notice: boolean;
  /** The server's sequence number; null for unsent messages. */
  seq: number | null;
  /** The server's warning that the chat closes soon for want of messages. */
  idleWarning: boolean;
  /** A stored message's file (a thumbnail or a file card). */
  attachment: Attachment | null;
  /** An unsent message's file: its name and size, and the bytes for a local preview. */
  pendingFile: { name: string; size: number; file: unknown } | null;
}

/** Adds `incoming` to `held`, once per id, oldest to newest by server sequence (R10). */
export function mergeMessages(
  held: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): ChatMessage[] {
  if (incoming.length === 0) return held as ChatMessage[];
  const byId = new Map(held.map((message) => [message.id, message]));
  let changed = false;
  for (const message of incoming) {
    if (!byId.has(message.id)) {
      byId.set(message.id, message);
      changed = true;
    }
  }
  if (!changed) return held as ChatMessage[];
  return [...byId.values()].sort(compareConversationOrder);
}

/** The client message ids the server has stored for this customer (and so are not pending). */
export function storedClientIds(messages: readonly ChatMessage[]): Set<string> {
  return new Set(
    messages.filter((message) => message.sender.role === 'customer').map((m) => m.clientMsgId),
  );
}

export interface ChatLinesInput {
  messages: readonly ChatMessage[];
  outbox: readonly OutboxEntry[];
  /** The conversation the server says is current; `null` shows no stored messages. */
  conversationId: string | null;
  /** The link to the server is up: unsent messages are being sent rather than waiting. */
  online: boolean;
  /** How far the agent has read this conversation (its read cursor); 0 when it has not. */
  agentReadSeq?: number;
  /** Words for call events, notices and the customer's own name ("You"). */
  t: Translate;
}

/**
 * The chat as the customer sees it: the current conversation's stored messages in server order,
 * then what is still in the outbox, in the order it was written.
 */
export function chatLines({
  messages,
  outbox,
  conversationId,
  online,
  agentReadSeq = 0,
  t,
}: ChatLinesInput): ChatLine[] {
  const stored = storedClientIds(messages);
  const lines: ChatLine[] = messages
    .filter((message) => conversationId !== null && message.conversationId === conversationId)
    .map((message) => {
      const callEvent = callEventText(message, t);
      const notice = noticeText(message, 'customer', t);
      const own = message.sender.role === 'customer' && callEvent === null && notice === null;
      return {
        key: message.id,
        own,
        authorName: own ? t('common.you') : message.sender.displayName,
        text: callEvent ?? notice ?? message.text,
        time: message.createdAt,
        delivery: own ? (message.seq <= agentReadSeq ? 'seen' : 'sent') : null,
        clientMsgId: null,
        failure: null,
        callEvent: callEvent !== null,
        notice: notice !== null,
        seq: message.seq,
        idleWarning: message.notice?.kind === 'idleWarning',
        attachment: message.attachment ?? null,
        pendingFile: null,
      };
    });
  const pending = outbox
    .filter((entry) => !stored.has(entry.clientMsgId))
    .sort(compareOutboxOrder)
    .map((entry): ChatLine => ({
      key: `outbox-${entry.clientMsgId}`,
      own: true,
      authorName: t('common.you'),
      text: entry.text,
      time: new Date(entry.queuedAt).toISOString(),
      delivery: entry.failure !== null ? 'failed' : online ? 'sending' : 'waiting',
      clientMsgId: entry.clientMsgId,
      failure: entry.failure,
      callEvent: false,
      notice: false,
      seq: null,
      idleWarning: false,
      attachment: null,
      pendingFile:
        entry.attachment === undefined
          ? null
          : {
              name: entry.attachment.name,
              size: entry.attachment.size,
              file: entry.attachment.file,
            },
    }));
  return [...lines, ...pending];
}

/** Words under an own message. */
export function deliveryLabel(delivery: DeliveryState, t: Translate): string {
  return t(`chat.delivery.${delivery}`);
}
