// Issue 14, point 7: a customer's message racing the idle close of its conversation, with two
// nodes sweeping. Either the message is in (and the close is called off: the conversation only
// closes after another warning) or the close is (and the message is refused); never both, never
// two closes. The close is made due at once in Redis so the message and the next sweep race.
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@callcenter/shared';
import { useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack({
  config: {
    idleClose: { warningSeconds: 1, closeSeconds: 1 },
    presence: { heartbeatMs: 100, deadAfterMs: 3_000 },
  },
});

const CONVERSATIONS = 12;

async function raceOne(index: number) {
  const agent = await suite.loginNew('agent');
  const customer = await suite.loginNew('customer');
  await customer.requestOk('chat.request');
  const { conversation } = await agent.requestOk('chat.start');
  await customer.waitFor('message.new', (m: ChatMessage) => m.notice?.kind === 'idleWarning');
  // The close is due now: the next sweep on either node closes it, unless the message is first.
  await suite.stack.server.redis.hset(`cc:conv:${conversation.id}`, 'idleClosesAt', '0');
  // Spread over part of a sweep period so that either side wins some races (this waits for
  // nothing: it only places the message at a random point of the sweeps' cycle).
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 100));
  const answer = await customer.request('message.send', {
    clientMsgId: `race-${index}`,
    text: 'Still here!',
  });
  // Whatever the race gave, the conversation ends in the end (warned again if the message won).
  await customer.waitFor('customer.state', (s) => s.state === 'conversationEnded');
  return {
    conversationId: conversation.id,
    accepted: answer.ok,
    // What the ack said was stored, to tell a failure apart (stored elsewhere, or not at all).
    stored: answer.ok
      ? { conversationId: answer.message.conversationId, seq: answer.message.seq }
      : null,
    clientMsgId: `race-${index}`,
  };
}

describe('a message racing the idle close', () => {
  it('gives one outcome: the message in and the close called off, or the close', async () => {
    await suite.stack.addNode();
    const outcomes = await Promise.all(Array.from({ length: CONVERSATIONS }, (_, i) => raceOne(i)));
    const messages = suite.stack.server.mongo.collections.messages;
    for (const { conversationId, accepted, stored, clientMsgId } of outcomes) {
      await expect
        .poll(() => messages.countDocuments({ conversationId, 'notice.kind': 'closed' }))
        .toBe(1);
      const history = await messages.find({ conversationId }).sort({ seq: 1 }).toArray();
      const kinds = history.map((m) => m.notice?.kind ?? 'message');
      const sent = await messages.findOne({ clientMsgId });
      const context = JSON.stringify({
        ack: stored,
        onRecord: sent && { conversationId: sent.conversationId, seq: sent.seq },
        history: history.map((m) => ({ seq: m.seq, kind: m.notice?.kind ?? 'message' })),
      });
      if (accepted) {
        // Warned, the message, warned again (a new idle spell), closed.
        expect(kinds, context).toEqual(['idleWarning', 'message', 'idleWarning', 'closed']);
      } else {
        expect(kinds, context).toEqual(['idleWarning', 'closed']);
      }
    }
    console.info(
      `message first in ${outcomes.filter((o) => o.accepted).length} of ${CONVERSATIONS} races`,
    );
  });
});
