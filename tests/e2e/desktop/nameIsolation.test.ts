// A name stored before the text rules existed (issue 10, item 8) holds U+202E RIGHT-TO-LEFT
// OVERRIDE. Wherever the agent console shows it, it sits in its own bidi isolate (<bdi>, or an
// element of its own with dir="auto"), so it cannot reverse the words around it.
import { describe, expect, it } from 'vitest';
import { waitForExactText } from './support/agentConsolePage';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack();

const SPOOFED_NAME = 'Eve \u202Eevil';

/**
 * Every text node holding U+202E, with the text of its nearest bidi boundary: the closest
 * ancestor that is an isolate (computed `unicode-bidi`) or a block of its own. Runs in the page.
 */
const UNISOLATED_OVERRIDES = `(() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.includes('\\u202E')) continue;
    let element = node.parentElement;
    while (element) {
      const style = getComputedStyle(element);
      if (style.unicodeBidi.includes('isolate') || style.unicodeBidi === 'plaintext') break;
      if (!style.display.startsWith('inline')) break;
      element = element.parentElement;
    }
    if (element && element.textContent !== node.data) {
      found.push({ text: node.data, boundary: element.tagName, around: element.textContent });
    }
  }
  return found;
})()`;

describe('names with bidi controls stored before the rules', () => {
  it('are isolated in the queue, the monitor, the chat, the inbox and the customer info', async () => {
    const { agentConsole: agent } = await harness().signedInConsole('Ada Agent');
    const eve = await harness().customer('gold', SPOOFED_NAME);
    await eve.requestOk('chat.request');
    await waitForExactText(agent.queueCount(), 1);
    await agent.page.locator('.queue-name bdi').waitFor();
    expect(await agent.page.evaluate(UNISOLATED_OVERRIDES)).toEqual([]);

    await eve.requestOk('message.send', { clientMsgId: 'eve-1', text: 'שלום, I need help' });
    await agent.startChatButton().click();
    await agent.page.locator('#chat-title bdi').waitFor();
    await agent.page.locator('.inbox-name bdi').first().waitFor();
    await agent.page.locator('.customer-name bdi').waitFor();
    expect(await agent.page.locator('.bubble[dir="auto"]').count()).toBeGreaterThan(0);
    expect(await agent.page.evaluate(UNISOLATED_OVERRIDES)).toEqual([]);

    await eve.requestOk('chat.end');
    await agent.page.getByText('ended the chat.').waitFor();
    expect(await agent.page.evaluate(UNISOLATED_OVERRIDES)).toEqual([]);
  });
});
