import { createContext, useContext } from 'react';
import { useSelector } from '@xstate/react';
import { useStore } from 'zustand';
import type { AgentClient, AgentSnapshot } from '../agent/agentClient';
import type { ConsoleViewActions, ConsoleViewState } from '../state/consoleStore';
import type { MessageActions, MessageState } from '../state/messageStore';

export const AgentClientContext = createContext<AgentClient | null>(null);

/** The console's client: its commands (start, take, end, send...) and stores. */
export function useAgentClient(): AgentClient {
  const client = useContext(AgentClientContext);
  if (client === null) throw new Error('useAgentClient needs an AgentClientContext provider');
  return client;
}

/** A slice of the agent machine's snapshot (session, server state, queue, connection). */
export function useAgent<T>(
  selector: (snapshot: AgentSnapshot) => T,
  compare?: (a: T, b: T) => boolean,
): T {
  return useSelector(useAgentClient().actor, selector, compare);
}

/** A slice of the message store. */
export function useMessages<T>(selector: (state: MessageState & MessageActions) => T): T {
  return useStore(useAgentClient().messages, selector);
}

/** A slice of the console's view state. */
export function useConsoleView<T>(
  selector: (state: ConsoleViewState & ConsoleViewActions) => T,
): T {
  return useStore(useAgentClient().view, selector);
}
