import { describe, expect, it } from 'vitest';
import type { AgentState, CustomerInfo } from '@callcenter/shared';
import { conversationViewOf, shownTab, tabsOf } from './conversationView';

function customer(id: string): CustomerInfo {
  return {
    id,
    displayName: `Customer ${id}`,
    profile: {
      tier: 'gold',
      email: null,
      phone: null,
      company: null,
      customerSince: '2030-01-01T00:00:00.000Z',
      notes: null,
    },
    pastConversations: 0,
  };
}

function holding(...conversationIds: string[]): AgentState {
  const at = '2030-01-01T10:00:00.000Z';
  return {
    version: 1,
    state: conversationIds.length > 0 ? 'inConversation' : 'monitoring',
    conversationId: conversationIds.at(-1) ?? null,
    customer: null,
    status: 'available',
    capacity: 3,
    conversations: conversationIds.map((id) => ({
      conversationId: id,
      customer: customer(`for-${id}`),
      startedAt: at,
      assignedAt: at,
      transferredFrom: null,
    })),
  };
}

describe('conversation tabs', () => {
  it('lists the conversations held, then the closed ones still shown', () => {
    const tabs = tabsOf(holding('c1', 'c2'), [
      { conversationId: 'c0', customer: customer('x') },
      // A closed tab for a conversation held again (handed back) is not listed twice.
      { conversationId: 'c2', customer: customer('for-c2') },
    ]);
    expect(tabs.map((tab) => `${tab.conversationId}${tab.closed ? ' closed' : ''}`)).toEqual([
      'c1',
      'c2',
      'c0 closed',
    ]);
  });

  it('shows the selected tab, else the newest held, else the newest closed, else the monitor', () => {
    const state = holding('c1', 'c2');
    const tabs = tabsOf(state, [{ conversationId: 'c0', customer: customer('x') }]);
    expect(shownTab(tabs, 'c1', state)?.conversationId).toBe('c1');
    expect(shownTab(tabs, 'gone', state)?.conversationId).toBe('c2');
    const idle = holding();
    const closedOnly = tabsOf(idle, [{ conversationId: 'c0', customer: customer('x') }]);
    expect(shownTab(closedOnly, null, idle)?.conversationId).toBe('c0');
    expect(conversationViewOf(shownTab(closedOnly, null, idle))).toBe('ended');
    expect(conversationViewOf(shownTab(tabs, null, state))).toBe('conversation');
    expect(conversationViewOf(shownTab([], null, idle))).toBe('monitor');
  });
});
