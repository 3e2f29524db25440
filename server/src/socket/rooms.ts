/** Socket.IO room names, in one place. */
export const rooms = {
  agents: 'agents',
  customers: 'customers',
  agent: (agentId: string) => `agent:${agentId}`,
  customer: (customerId: string) => `customer:${customerId}`,
} as const;
