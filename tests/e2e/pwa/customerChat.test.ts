import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AgentState, QueueSnapshot } from '@callcenter/shared';
import { asAgentSync, type TestClient } from '@callcenter/devstack/testing';
import { CustomerPage } from './support/customerPage';
import { screenshot, usePwaSuite } from './support/pwaSuite';

const suite = usePwaSuite();

async function queueOf(agent: TestClient): Promise<QueueSnapshot> {
  return asAgentSync(await agent.requestOk('session.sync')).queue;
}

async function agentWrites(agent: TestClient, customerId: string, text: string): Promise<void> {
  await agent.requestOk('message.send', { customerId, clientMsgId: `a-${randomUUID()}`, text });
}

describe('customer PWA: the chat', () => {
  it('login shows Not Connected and enqueues nothing', async () => {
    const agent = await suite.newAgent();
    const account = await suite.newCustomer();
    const customer = await CustomerPage.open(await suite.newContext(), suite.stack.url);
    await screenshot(customer.page, '01-login');

    await customer.login(account);
    await customer.waitForState('Not Connected');
    await customer.waitForEnabled('Chat for Assistance');
    await customer.waitForEnabled('End Chat', false);
    await customer.waitForEnabled('Exit');
    expect(await customer.composer.isDisabled()).toBe(true);
    await screenshot(customer.page, '03-not-connected');

    expect((await queueOf(agent)).total).toBe(0);
    const customerSync = await suite.stack.login(account);
    expect(customerSync.user.id).toBe(account.id);
  });

  it('Chat for Assistance: Request Sent with position 1, and the agents see it', async () => {
    const agent = await suite.newAgent();
    const account = await suite.newCustomer('platinum', 'Dana Platinum');
    const customer = await CustomerPage.open(await suite.newContext(), suite.stack.url);
    await customer.login(account);
    await customer.waitForState('Not Connected');

    const mark = agent.mark();
    await customer.press('Chat for Assistance');
    await customer.waitForState('Request Sent', 'Position in queue: 1');
    const snapshot = await agent.waitFor('queue.snapshot', (s) => s.total === 1, mark);
    expect(snapshot.entries[0]).toMatchObject({
      customerId: account.id,
      displayName: 'Dana Platinum',
      tier: 'platinum',
      online: true,
    });
    await customer.waitForEnabled('End Chat');
    await customer.waitForEnabled('Chat for Assistance', false);
    expect(await customer.composer.isEnabled()).toBe(true);
    await screenshot(customer.page, '04-request-sent');
  });

  it('an agent takes the request: In Conversation with the agent, messages both ways in order', async () => {
    const agent = await suite.newAgent('Ada Agent');
    const { account, customer } = await suite.signedInCustomer();
    await customer.requestChat();
    await customer.write('Hello, my order #1234 has not arrived.');
    await customer.waitForMessage('my order #1234', 'sent');

    const taken = await agent.requestOk('chat.start');
    expect(taken.messages.map((m) => m.text)).toEqual(['Hello, my order #1234 has not arrived.']);
    await customer.waitForState('In Conversation', 'You are chatting with Ada Agent.');

    await agentWrites(agent, account.id, 'Hi Carol, let me check that for you.');
    await customer.waitForMessage('let me check that');
    const mark = agent.mark();
    await customer.write('Thank you!');
    await agent.waitFor('message.new', (m) => m.text === 'Thank you!', mark);
    await agentWrites(agent, account.id, 'It ships today.');
    await customer.waitForMessage('It ships today.');
    await customer.waitForMessage('Thank you!', 'sent');

    expect(await customer.messageTexts()).toEqual([
      'Hello, my order #1234 has not arrived.',
      'Hi Carol, let me check that for you.',
      'Thank you!',
      'It ships today.',
    ]);
    await screenshot(customer.page, '05-in-conversation');
  });

  it('says clearly why a login failed', async () => {
    const account = await suite.newCustomer();
    const customer = await CustomerPage.open(await suite.newContext(), suite.stack.url);

    await customer.signInButton.click();
    await customer.loginError.filter({ hasText: 'Enter your login and your password.' }).waitFor();
    expect(await customer.loginField.evaluate((field) => field === document.activeElement)).toBe(
      true,
    );

    await customer.fillLogin({ login: account.login, password: 'not-the-password' });
    await customer.signInButton.click();
    await customer.loginError.filter({ hasText: "That login and password don't match" }).waitFor();
    expect(await customer.passwordField.getAttribute('aria-invalid')).toBe('true');
    await screenshot(customer.page, '02-login-error');

    await customer.fillLogin(account);
    await customer.signInButton.click();
    await customer.waitForState('Not Connected');
    expect(await customer.loginError.count()).toBe(0);
  });

  it('the queue position updates live as the customers ahead are taken', async () => {
    const agent = await suite.newAgent();
    const ahead = await suite.newCustomerClient();
    await ahead.requestOk('chat.request');
    const { customer } = await suite.signedInCustomer();
    await customer.press('Chat for Assistance');
    await customer.waitForState('Request Sent', 'Position in queue: 2');

    await agent.requestOk('chat.start');
    await customer.waitForState('Request Sent', 'Position in queue: 1');
  });

  it('End Chat while queued withdraws the request', async () => {
    const agent = await suite.newAgent();
    const { customer } = await suite.signedInCustomer();
    await customer.requestChat();
    await agent.waitFor('queue.snapshot', (s) => s.total === 1);

    const mark = agent.mark();
    await customer.press('End Chat');
    await customer.waitForState('Not Connected');
    await agent.waitFor('queue.snapshot', (s) => s.total === 0, mark);
    expect((await queueOf(agent)).total).toBe(0);
    await customer.waitForEnabled('Chat for Assistance');
  });

  it('End Chat in conversation ends it on both sides', async () => {
    const agent = await suite.newAgent('Ada Agent');
    const { customer } = await suite.signedInCustomer();
    await customer.requestChat();
    await agent.requestOk('chat.start');
    await customer.waitForState('In Conversation');
    await customer.write('That is all, thanks.');
    await customer.waitForMessage('That is all, thanks.', 'sent');

    const mark = agent.mark();
    await customer.press('End Chat');
    await customer.waitForState('Conversation Ended', 'Your chat with Ada Agent has ended.');
    await agent.waitFor('agent.state', (s: AgentState) => s.state === 'conversationEnded', mark);
    await customer.waitForEnabled('Chat for Assistance');
    expect(await customer.composer.isDisabled()).toBe(true);
    // The ended conversation stays readable.
    await customer.waitForMessage('That is all, thanks.', 'sent');
    await screenshot(customer.page, '06-conversation-ended');
  });

  it('the agent ending the chat shows Conversation Ended', async () => {
    const agent = await suite.newAgent('Ada Agent');
    const { customer } = await suite.signedInCustomer();
    await customer.requestChat();
    const taken = await agent.requestOk('chat.start');
    await customer.waitForState('In Conversation');

    await agent.requestOk('chat.end', { conversationId: taken.conversation.id });
    await customer.waitForState('Conversation Ended');
    await customer.press('Chat for Assistance');
    await customer.waitForState('Request Sent', 'Position in queue: 1');
    // A new request is a new conversation: the old one's messages are not mixed in.
    expect(await customer.messageTexts()).toEqual([]);
  });

  it('Exit while queued removes the request and signs out', async () => {
    const agent = await suite.newAgent();
    const { customer } = await suite.signedInCustomer();
    await customer.requestChat();
    await agent.waitFor('queue.snapshot', (s) => s.total === 1);

    const mark = agent.mark();
    await customer.press('Exit');
    await customer.signInButton.waitFor();
    await agent.waitFor('queue.snapshot', (s) => s.total === 0, mark);
    expect((await queueOf(agent)).total).toBe(0);
    // Signed out for good: a reload does not bring the chat back.
    await customer.page.reload();
    await customer.signInButton.waitFor();
    expect(await customer.chatHeading.count()).toBe(0);
    expect(await customer.loginField.inputValue()).toBe('');
  });

  it('in the background, the title counts the agent messages not seen yet', async () => {
    const agent = await suite.newAgent();
    const { account, customer } = await suite.signedInCustomer();
    await customer.requestChat();
    await agent.requestOk('chat.start');
    await customer.waitForState('In Conversation');

    await customer.setVisibility('hidden');
    await agentWrites(agent, account.id, 'Your refund is on its way.');
    await agentWrites(agent, account.id, 'Anything else?');
    await customer.waitForMessage('Anything else?');
    await customer.page.waitForFunction(() => document.title === '(2) Customer Support Chat');

    await customer.setVisibility('visible');
    await customer.page.waitForFunction(() => document.title === 'Customer Support Chat');
  });
});
