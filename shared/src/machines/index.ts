export { customerMachine } from './customerMachine';
export type {
  CustomerContext,
  CustomerEvent,
  CustomerIntent,
  CustomerSession,
} from './customerMachine';
export { agentMachine } from './agentMachine';
export type {
  AgentContext,
  AgentEndChatInput,
  AgentEvent,
  AgentIntent,
  AgentSession,
  AgentSyncResult,
  ShowConversationParams,
  SetStatusInput,
  TakeChatInput,
  TransferChatInput,
} from './agentMachine';
export { toErrorBody } from './sessionBasics';
export type { ConnectionStatus, LogoutInput, Session } from './sessionBasics';
export { sessionDelays } from './sessionMachine';
export { callMachine, takesCallState } from './callMachine';
export type { CallContext, CallEndRequest, CallEvent, CallInput, CallIntent } from './callMachine';
export type {
  ErrorNotice,
  OutboxCommand,
  OutboxInput,
  SessionContext,
  SessionEvent,
  SessionIntent,
} from './sessionMachine';
