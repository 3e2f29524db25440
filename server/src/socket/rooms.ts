import type { AccountRole } from '@callcenter/shared';

/** Socket.IO room names, in one place. */
export const rooms = {
  agents: 'agents',
  customers: 'customers',
  supervisors: 'supervisors',
  agent: (agentId: string) => `agent:${agentId}`,
  customer: (customerId: string) => `customer:${customerId}`,
  supervisor: (supervisorId: string) => `supervisor:${supervisorId}`,
  /** Every session of one account. */
  user: (role: AccountRole, userId: string) => `${role}:${userId}`,
  /** Supervisors watching one conversation. */
  watch: (conversationId: string) => `watch:${conversationId}`,
} as const;
