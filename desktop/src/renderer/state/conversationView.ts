import type { AgentState } from '@callcenter/shared';

/** What the middle of the console shows. */
export type ConversationView = 'monitor' | 'conversation' | 'ended';

/**
 * From the server-confirmed agent state and the agent's "Back to queue": monitoring until a
 * conversation starts, the conversation while it runs, then the ended conversation until the
 * agent puts it away (the server still says `conversationEnded`; see the console store).
 */
export function conversationViewOf(
  agentState: AgentState | null,
  dismissedConversationId: string | null,
): ConversationView {
  if (agentState === null || agentState.conversationId === null) return 'monitor';
  switch (agentState.state) {
    case 'monitoring':
      return 'monitor';
    case 'inConversation':
      return 'conversation';
    case 'conversationEnded':
      return agentState.conversationId === dismissedConversationId ? 'monitor' : 'ended';
  }
}
