import { compareInboxOrder } from '@callcenter/shared';
import type { ChatMessage } from '@callcenter/shared';

/** The agent's inbox (R10): customer messages, by priority, then server time, then sequence. */
export function inboxOrder(messages: Iterable<ChatMessage>): ChatMessage[] {
  return [...messages]
    .filter((message) => message.sender.role === 'customer')
    .sort(compareInboxOrder);
}

/**
 * Customer messages no agent has answered yet: written after the last agent message to that
 * customer. Same order as the inbox.
 */
export function awaitingReply(messages: Iterable<ChatMessage>): ChatMessage[] {
  const all = [...messages];
  const lastAgentSeq = new Map<string, number>();
  for (const message of all) {
    if (message.sender.role !== 'agent') continue;
    const seen = lastAgentSeq.get(message.customerId) ?? 0;
    if (message.seq > seen) lastAgentSeq.set(message.customerId, message.seq);
  }
  return inboxOrder(all).filter(
    (message) => message.seq > (lastAgentSeq.get(message.customerId) ?? 0),
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
