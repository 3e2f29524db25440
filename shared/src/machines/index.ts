export { customerMachine } from './customerMachine';
export type { CustomerContext, CustomerEvent, CustomerSession } from './customerMachine';
export { agentMachine } from './agentMachine';
export type {
  AgentContext,
  AgentEndChatInput,
  AgentEvent,
  AgentSession,
  AgentSyncResult,
  ShowConversationParams,
  TakeChatInput,
} from './agentMachine';
export { toErrorBody } from './session';
export type { ConnectionStatus, LogoutInput, Session } from './session';
