// Message text over a real socket (issue 10, item 8): ill-formed, control, bidi-control and
// invisible-only text is refused with invalid_payload and a message that says what is wrong,
// and nothing is stored or relayed. Text that is merely unusual (RTL, emoji, lines) goes through.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { TestClient, TestStack } from '@callcenter/devstack/testing';

let stack: TestStack;
let agent: TestClient;
let customer: TestClient;

beforeAll(async () => {
  stack = await TestStack.start({ mongodbUrl: inject('mongodbUrl') });
  agent = await TestClient.login(stack, await stack.createAgent());
  customer = await TestClient.login(stack, await stack.createCustomer());
  await customer.requestOk('chat.request');
  await agent.requestOk('chat.start');
});

afterAll(async () => {
  agent.close();
  customer.close();
  await stack.stop();
});

async function storedTexts(): Promise<string[]> {
  const messages = await stack.server.mongo.collections.messages.find({}).toArray();
  return messages.map((message) => message.text);
}

describe('message text rules over the socket', () => {
  it.each([
    ['a lone surrogate', 'x\ud800y', 'text: contains an invalid character (a lone surrogate)'],
    ['NUL', 'a\u0000b', 'text: contains control characters'],
    ['BEL', 'ring\u0007', 'text: contains control characters'],
    ['RIGHT-TO-LEFT OVERRIDE', 'abc\u202Edef', 'text: contains bidirectional control characters'],
    ['only zero-width spaces', '\u200B\u200B\u200B', 'text: has no visible characters'],
    ['only whitespace', ' \n\t ', 'text: has no visible characters'],
  ])(
    'a customer message with %s answers invalid_payload and stores nothing',
    async (_name, text, message) => {
      const before = await storedTexts();
      const agentMark = agent.mark();
      const result = await customer.request('message.send', {
        clientMsgId: `bad-${before.length}-${text.length}`,
        text,
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      if (!result.ok) expect(result.error.message).toContain(message);
      expect(await storedTexts()).toEqual(before);
      expect(agent.received('message.new', agentMark)).toEqual([]);
    },
  );

  it('an agent message with a lone surrogate is refused the same way', async () => {
    const before = await storedTexts();
    const result = await agent.request('message.send', {
      customerId: customer.account!.id,
      clientMsgId: 'agent-bad-1',
      text: '\udfffhello',
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_payload',
        message: 'text: contains an invalid character (a lone surrogate)',
      },
    });
    expect(await storedTexts()).toEqual(before);
  });

  it('right-to-left text, emoji and several lines are stored exactly as sent', async () => {
    const text = 'שלום 👋\nمرحبا 👨‍👩‍👧';
    const sent = await customer.requestOk('message.send', {
      clientMsgId: 'good-1',
      text,
    });
    expect(sent.message.text).toBe(text);
    await vi.waitFor(async () => {
      expect(await storedTexts()).toContain(text);
    });
    // Nothing refused above reached storage later either.
    expect(await storedTexts()).toEqual([text]);
  });
});
