import { describe, expect, it } from 'vitest';
import type { CannedReply } from '@callcenter/shared';
import { cannedQueryOf, fillCannedReply, firstNameOf, matchCannedReplies } from './cannedReplies';

const context = {
  customer: { displayName: 'Dana Scully', tier: 'platinum' as const },
  agent: { displayName: 'Fox Mulder' },
};

describe('fillCannedReply', () => {
  it('fills every placeholder', () => {
    expect(
      fillCannedReply(
        'Hi {customer.firstName} ({customer.name}, {customer.tier}), {agent.firstName} here. — {agent.name}',
        context,
      ),
    ).toBe('Hi Dana (Dana Scully, Platinum), Fox here. — Fox Mulder');
  });

  it('fills a placeholder each time it appears, across lines', () => {
    expect(fillCannedReply('{customer.firstName}\n{customer.firstName}!', context)).toBe(
      'Dana\nDana!',
    );
  });

  it('leaves unknown placeholders and other braces as written', () => {
    expect(
      fillCannedReply(
        '{customer.email} {order.id} {customer} {{agent.name}} {Customer.name}',
        context,
      ),
    ).toBe('{customer.email} {order.id} {customer} {Fox Mulder} {Customer.name}');
  });

  it('leaves a missing party’s placeholders as written', () => {
    expect(fillCannedReply('Hi {customer.name}, {agent.firstName} here', { agent: null })).toBe(
      'Hi {customer.name}, {agent.firstName} here',
    );
    expect(fillCannedReply('{customer.tier}', { customer: { displayName: 'Dana' } })).toBe(
      '{customer.tier}',
    );
  });

  it('does not fill again what a name brought in', () => {
    expect(
      fillCannedReply('Hi {customer.name}', {
        ...context,
        customer: { displayName: '{agent.name}' },
      }),
    ).toBe('Hi {agent.name}');
  });

  it('takes the first word of a name as the first name, whatever the script', () => {
    expect(firstNameOf('  Dana   Scully ')).toBe('Dana');
    expect(firstNameOf('دانة')).toBe('دانة');
    expect(fillCannedReply('{customer.firstName}', { customer: { displayName: 'Ada' } })).toBe(
      'Ada',
    );
  });
});

describe('cannedQueryOf', () => {
  it('is the text after a leading / on one line', () => {
    expect(cannedQueryOf('/')).toBe('');
    expect(cannedQueryOf('/gre')).toBe('gre');
    expect(cannedQueryOf('/order status')).toBe('order status');
  });

  it('is null for a message', () => {
    expect(cannedQueryOf('')).toBeNull();
    expect(cannedQueryOf('hello /gre')).toBeNull();
    expect(cannedQueryOf(' /gre')).toBeNull();
    expect(cannedQueryOf('/gre\nmore')).toBeNull();
  });
});

describe('matchCannedReplies', () => {
  const reply = (shortcut: string, title: string, scope: CannedReply['scope'] = 'shared') => ({
    id: shortcut,
    scope,
    shortcut,
    title,
    text: '',
    updatedAt: '2030-01-01T00:00:00.000Z',
  });
  const replies = [
    reply('greeting', 'Say hello'),
    reply('refund', 'Refund policy'),
    reply('bye', 'Goodbye and thanks'),
    reply('gr', 'Mine', 'own'),
  ];

  it('lists everything for an empty query', () => {
    expect(matchCannedReplies(replies, '').map((r) => r.id)).toEqual([
      'greeting',
      'refund',
      'bye',
      'gr',
    ]);
  });

  it('puts shortcuts starting with the query first, then shortcut or title matches', () => {
    expect(matchCannedReplies(replies, 'GR').map((r) => r.id)).toEqual(['greeting', 'gr']);
    expect(matchCannedReplies(replies, 'e').map((r) => r.id)).toEqual([
      'greeting',
      'refund',
      'bye',
      'gr',
    ]);
    expect(matchCannedReplies(replies, 'policy').map((r) => r.id)).toEqual(['refund']);
    expect(matchCannedReplies(replies, 'und').map((r) => r.id)).toEqual(['refund']);
    expect(matchCannedReplies(replies, 'nothing')).toEqual([]);
  });
});
