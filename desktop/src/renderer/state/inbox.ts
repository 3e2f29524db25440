import { compareInboxOrder } from '@callcenter/shared';
import type { ChatMessage } from '@callcenter/shared';

/** A customer's message, or how a call the customer placed ended (not its ring or answer). */
function listedInInbox(message: ChatMessage): boolean {
  if (message.sender.role !== 'customer' || message.notice !== undefined) return false;
  return message.call === undefined || message.call.event === 'ended';
}

/**
 * The agent's inbox (R10): customer messages, by priority, then server time, then sequence,
 * with the end of each call the customer placed.
 */
export function inboxOrder(messages: Iterable<ChatMessage>): ChatMessage[] {
  return [...messages].filter(listedInInbox).sort(compareInboxOrder);
}

/**
 * Customer messages no agent has answered yet: written after the last agent message to that
 * customer. Same order as the inbox. A call's events are neither: they await no reply, and a
 * call is no reply either.
 */
export function awaitingReply(messages: Iterable<ChatMessage>): ChatMessage[] {
  const all = [...messages];
  const lastAgentSeq = new Map<string, number>();
  for (const message of all) {
    // A server notice (written in the agent's name) answers nobody either.
    if (message.sender.role !== 'agent' || message.call !== undefined) continue;
    if (message.notice !== undefined) continue;
    const seen = lastAgentSeq.get(message.customerId) ?? 0;
    if (message.seq > seen) lastAgentSeq.set(message.customerId, message.seq);
  }
  return inboxOrder(all).filter(
    (message) =>
      message.call === undefined && message.seq > (lastAgentSeq.get(message.customerId) ?? 0),
  );
}

/** One conversation's messages as the chat panel shows them: oldest first (R10). */
export function conversationMessages(
  messages: Iterable<ChatMessage>,
  conversationId: string,
): ChatMessage[] {
  return [...messages]
    .filter((message) => message.conversationId === conversationId)
    .sort((a, b) => a.seq - b.seq);
}
