// R3's estimated wait as people see it: the queued customer's app and the agent's console show
// the same range, from the recent take rate (real server, Redis, store; Chromium for both apps).
import { expect, it } from 'vitest';
import { join } from 'node:path';
import { WAIT_ESTIMATE_MIN_TAKES } from '@callcenter/shared';
import type { TestClient } from '@callcenter/devstack/testing';
import { AgentConsolePage } from '../desktop/support/agentConsolePage';
import { PWA_ARTIFACTS_DIR, usePwaSuite } from './support/pwaSuite';

const suite = usePwaSuite();

/** Queues a customer (a Socket.IO client) and lets `agent` take it and end the chat. */
async function takeOne(agent: TestClient): Promise<void> {
  const customer = await suite.newCustomerClient();
  await customer.requestOk('chat.request');
  const started = await agent.requestOk('chat.start');
  await agent.requestOk('chat.end', { conversationId: started.conversation.id });
}

it('the queued customer and the agent console show the same estimated wait, as a range', async () => {
  const agent = await suite.newAgent('Taking Agent');
  await agent.requestOk('session.sync', {});
  const { customer } = await suite.signedInCustomer();
  await customer.requestChat();
  // Nothing taken yet: the app gives no estimate rather than a made-up one.
  await customer.waitForState('Request Sent', 'Position in queue: 1');
  await expect.poll(() => customer.stateBanner.textContent()).not.toContain('Estimated wait');

  // The app's own request is taken first, then two more: three takes in the window.
  const first = await agent.requestOk('chat.start');
  await agent.requestOk('chat.end', { conversationId: first.conversation.id });
  for (let i = 1; i < WAIT_ESTIMATE_MIN_TAKES; i += 1) await takeOne(agent);

  await customer.requestChat();
  // 1800 s / (3 ± √3) for the next in line: 6 to 24 minutes.
  const words = 'Estimated wait 6–24 min';
  await customer.waitForState('Request Sent', words);
  await customer.page.screenshot({ path: join(PWA_ARTIFACTS_DIR, 'wait-estimate.png') });

  const agentConsole = await AgentConsolePage.open(suite.browser, suite.stack.url);
  try {
    await agentConsole.signIn(await suite.stack.createAgent('Watching Agent'));
    await agentConsole.waitForQueueCount(1);
    await expect.poll(() => agentConsole.waitingEntries().first().textContent()).toContain(words);
    await agentConsole.page.screenshot({
      path: join(PWA_ARTIFACTS_DIR, 'wait-estimate-console.png'),
    });
  } finally {
    await agentConsole.close();
  }
});
