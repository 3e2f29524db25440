import type { AgentState, CustomerInfo, QueueSnapshot } from '@callcenter/shared';
import { useAgent, useConsoleView } from '../hooks/agentClientContext';
import { conversationViewOf, type ConversationView } from '../state/conversationView';

const NO_QUEUE: QueueSnapshot = { version: 0, total: 0, entries: [] };

export function useAgentState(): AgentState | null {
  return useAgent((snapshot) => snapshot.context.agentState);
}

export function useQueue(): QueueSnapshot {
  return useAgent((snapshot) => snapshot.context.queue) ?? NO_QUEUE;
}

export function useConversationView(): ConversationView {
  const agentState = useAgentState();
  const dismissed = useConsoleView((view) => view.dismissedConversationId);
  return conversationViewOf(agentState, dismissed);
}

/** The customer of the conversation on screen (running or ended). */
export function useShownCustomer(): CustomerInfo | null {
  return useAgentState()?.customer ?? null;
}

/** The agent can act when online and no other intent is in flight. */
export function useCanAct(): boolean {
  return useAgent((snapshot) => snapshot.context.connection === 'online' && !snapshot.context.busy);
}

/** R4: Start Chat and Take work from monitoring and from an ended conversation. */
export function useCanTakeChat(): boolean {
  const canAct = useCanAct();
  const state = useAgentState()?.state ?? 'monitoring';
  return canAct && state !== 'inConversation';
}
