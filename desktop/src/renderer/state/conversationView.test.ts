import { describe, expect, it } from 'vitest';
import type { AgentState } from '@callcenter/shared';
import { conversationViewOf } from './conversationView';

function agent(state: AgentState['state'], conversationId: string | null): AgentState {
  return {
    version: 1,
    state,
    conversationId,
    customer: null,
    status: 'available',
    capacity: 1,
    conversations: [],
  };
}

describe('conversation view', () => {
  it('follows the server state, with "Back to queue" putting away only that ended conversation', () => {
    expect(conversationViewOf(null, null)).toBe('monitor');
    expect(conversationViewOf(agent('monitoring', null), null)).toBe('monitor');
    expect(conversationViewOf(agent('inConversation', 'c1'), null)).toBe('conversation');
    expect(conversationViewOf(agent('inConversation', 'c1'), 'c1')).toBe('conversation');
    expect(conversationViewOf(agent('conversationEnded', 'c1'), null)).toBe('ended');
    expect(conversationViewOf(agent('conversationEnded', 'c1'), 'c1')).toBe('monitor');
    expect(conversationViewOf(agent('conversationEnded', 'c2'), 'c1')).toBe('ended');
  });
});
