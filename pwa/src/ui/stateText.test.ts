import { describe, expect, it } from 'vitest';
import type { CustomerState } from '@callcenter/shared';
import { availableActions, describeState } from './stateText';
import { translatorFor } from '../i18n/i18n';

const t = translatorFor('en');

function state(overrides: Partial<CustomerState>): CustomerState {
  return {
    version: 1,
    state: 'notConnected',
    requestId: null,
    position: null,
    estimatedWait: null,
    conversationId: null,
    agent: null,
    ratingPending: false,
    ...overrides,
  };
}

const agent = { id: 'agent-1', displayName: 'Ada Agent' };

describe('describeState', () => {
  it('names each state as the spec does, with the queue position and the agent', () => {
    expect(describeState(null, t).title).toBe('Connecting…');
    expect(describeState(state({}), t).title).toBe('Not Connected');
    expect(describeState(state({ state: 'requestSent', position: 3 }), t)).toMatchObject({
      title: 'Request Sent',
      detail: expect.stringContaining('Position in queue: 3') as unknown,
      estimate: null,
    });
    const estimated = describeState(
      state({
        state: 'requestSent',
        position: 3,
        estimatedWait: { minSeconds: 120, maxSeconds: 300 },
      }),
      t,
    );
    expect(estimated.estimate).toBe('Estimated wait 2–5 min');
    expect(describeState(state({ state: 'inConversation', agent }), t)).toMatchObject({
      title: 'In Conversation',
      detail: 'You are chatting with \u2068Ada Agent\u2069.',
    });
    expect(describeState(state({ state: 'conversationEnded', agent }), t).detail).toContain(
      'Your chat with \u2068Ada Agent\u2069 has ended.',
    );
  });
});

describe('availableActions', () => {
  it.each([
    ['notConnected', { requestChat: true, endChat: false, exit: true, write: false }],
    ['requestSent', { requestChat: false, endChat: true, exit: true, write: true }],
    ['inConversation', { requestChat: false, endChat: true, exit: true, write: true }],
    ['conversationEnded', { requestChat: true, endChat: false, exit: true, write: false }],
  ] as const)('in %s', (name, expected) => {
    expect(availableActions(state({ state: name }), true)).toEqual(expected);
  });

  it('offline: no button that needs the server, but writing still works', () => {
    expect(availableActions(state({ state: 'inConversation' }), false)).toEqual({
      requestChat: false,
      endChat: false,
      exit: false,
      write: true,
    });
  });

  it('before the first answer from the server nothing can be done', () => {
    expect(availableActions(null, true)).toEqual({
      requestChat: false,
      endChat: false,
      exit: false,
      write: false,
    });
  });
});
