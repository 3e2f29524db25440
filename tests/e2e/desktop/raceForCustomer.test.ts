// Two agents in two browsers race for one waiting customer (R5): exactly one gets the chat, the
// other is told plainly; both queues follow live. The clicks' frames are held until both are
// sent, so the race is decided by the server, not by which click Playwright dispatched first.
import { describe, expect, it } from 'vitest';
import type { AgentConsolePage } from './support/agentConsolePage';
import { ConsoleSocketRoute, SimultaneousSend } from './support/consoleSocketRoute';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack();

async function twoAgents(link: ConsoleSocketRoute): Promise<[AgentConsolePage, AgentConsolePage]> {
  const install = (page: Parameters<ConsoleSocketRoute['install']>[0]) => link.install(page);
  const [ada, bob] = await Promise.all([
    harness().signedInConsole('Ada Agent', install),
    harness().signedInConsole('Bob Agent', install),
  ]);
  return [ada.agentConsole, bob.agentConsole];
}

/** Waits until each console shows either the customer's chat or an alert; returns who won. */
async function outcome(
  agents: [AgentConsolePage, AgentConsolePage],
  customerName: string,
): Promise<{ winner: AgentConsolePage; loser: AgentConsolePage }> {
  await Promise.all(
    agents.map((agent) => agent.chatPanel(customerName).or(agent.alerts()).first().waitFor()),
  );
  const hasChat = await Promise.all(
    agents.map(async (agent) => (await agent.chatPanel(customerName).count()) === 1),
  );
  expect(hasChat.filter(Boolean)).toHaveLength(1);
  const [first, second] = agents;
  return hasChat[0] ? { winner: first, loser: second } : { winner: second, loser: first };
}

describe('two agents, one customer', () => {
  it('Start Chat at the same moment: one gets the chat, the other a clear message', async () => {
    const link = new ConsoleSocketRoute();
    const agents = await twoAgents(link);
    const [ada, bob] = agents;
    await Promise.all([ada.waitForQueueCount(0), bob.waitForQueueCount(0)]);

    const dana = await harness().customer('gold', 'Dana Gold');
    await dana.requestOk('chat.request');
    await Promise.all([ada.waitForQueueCount(1), bob.waitForQueueCount(1)]);
    await Promise.all([
      ada.waitingEntry('Dana Gold').waitFor(),
      bob.waitingEntry('Dana Gold').waitFor(),
    ]);

    link.gate = new SimultaneousSend(2, /^42\d*\["chat\.start"/);
    await Promise.all([ada.startChatButton().click(), bob.startChatButton().click()]);

    const { winner, loser } = await outcome(agents, 'Dana Gold');
    await winner.chatPanel('Dana Gold').getByText('In conversation').waitFor();
    await loser
      .alerts()
      .filter({
        hasText:
          'No customer is waiting right now: another agent may have just taken the last one.',
      })
      .waitFor();
    await loser.monitorPanel().waitFor();
    expect(await winner.alerts().count()).toBe(0);
    await Promise.all([ada.waitForQueueCount(0), bob.waitForQueueCount(0)]);

    const taken = await dana.waitFor('customer.state', (state) => state.state === 'inConversation');
    expect(taken.agent?.displayName).toBe(winner === ada ? 'Ada Agent' : 'Bob Agent');
    await winner.screenshot('race-start-chat-winner');
    await loser.screenshot('race-start-chat-loser');

    // The message goes away once dismissed, and the loser can still take the next customer.
    await loser.alerts().getByRole('button', { name: 'Dismiss' }).click();
    expect(await loser.alerts().count()).toBe(0);
    const erik = await harness().customer('standard', 'Erik Standard');
    await erik.requestOk('chat.request');
    await Promise.all([ada.waitForQueueCount(1), bob.waitForQueueCount(1)]);
    await loser.startChatButton().click();
    await loser.chatPanel('Erik Standard').waitFor();
    await Promise.all([ada.waitForQueueCount(0), bob.waitForQueueCount(0)]);
  });

  it('Take on the same customer from the list: one gets the chat, the other a clear message', async () => {
    const link = new ConsoleSocketRoute();
    const agents = await twoAgents(link);
    const [ada, bob] = agents;

    const first = await harness().customer('standard', 'Fay First');
    const second = await harness().customer('platinum', 'Pia Platinum');
    await first.requestOk('chat.request');
    await second.requestOk('chat.request');
    await second.requestOk('message.send', {
      clientMsgId: 'pia-1',
      text: 'My card was charged twice.',
    });
    await Promise.all([ada.waitForQueueCount(2), bob.waitForQueueCount(2)]);
    for (const agent of agents) {
      await agent.waitingEntry('Pia Platinum').getByText('My card was charged twice.').waitFor();
    }

    // Both pick the second in line, not the top.
    link.gate = new SimultaneousSend(2, /^42\d*\["chat\.take"/);
    await Promise.all([
      ada.takeButton('Pia Platinum').click(),
      bob.takeButton('Pia Platinum').click(),
    ]);

    const { winner, loser } = await outcome(agents, 'Pia Platinum');
    await winner.conversationMessages().filter({ hasText: 'My card was charged twice.' }).waitFor();
    await loser
      .alerts()
      .filter({ hasText: 'Pia Platinum was just taken by another agent.' })
      .waitFor();
    await Promise.all([ada.waitForQueueCount(1), bob.waitForQueueCount(1)]);
    // Fay, who was first, is still waiting (the winner's list is collapsed to its count).
    await loser.waitingEntry('Fay First').waitFor();
    expect(await loser.waitingEntries().count()).toBe(1);
    await loser.screenshot('race-take-loser');
  });
});
