import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  Browser,
  BrowserContext,
  BrowserContextOptions,
  Locator,
  Page,
} from 'playwright-core';
import type { TestAccount } from '@callcenter/devstack/testing';
import { ARTIFACTS_DIR } from '../../../support/paths';

/** Screenshots of the console's states, kept as test artifacts (git-ignored). */
export const SCREENSHOT_DIR = join(ARTIFACTS_DIR, 'desktop');

/** The viewport of the desktop app's window. */
export const VIEWPORT = { width: 1280, height: 800 };

function exactly(text: string | number): RegExp {
  return new RegExp(`^\\s*${String(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** The agent console in a browser context of its own, driven the way an agent would. */
/**
 * Lets a test say whether the console's page has focus (a headless page always has it): pass
 * as `beforeLoad`, then switch with `setPageFocus`.
 */
export async function controlPageFocus(page: Page): Promise<void> {
  await page.addInitScript('window.__focused = true; document.hasFocus = () => window.__focused;');
}

/** Over the DevTools protocol: the console's CSP forbids eval in the page itself. */
export function setPageFocus(page: Page, focused: boolean): Promise<unknown> {
  return page.evaluate(
    `window.__focused = ${String(focused)};${focused ? " window.dispatchEvent(new Event('focus'));" : ''}`,
  );
}

export class AgentConsolePage {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly consoleUrl: string,
  ) {}

  /**
   * Opens the console served by the server at /agent/. `beforeLoad` may set up routes (e.g. a
   * WebSocket route) before the first request.
   */
  static async open(
    browser: Browser,
    serverUrl: string,
    beforeLoad?: (page: Page) => Promise<void>,
    contextOptions: BrowserContextOptions = {},
  ): Promise<AgentConsolePage> {
    const context = await browser.newContext({ ...contextOptions, viewport: VIEWPORT });
    const page = await context.newPage();
    await beforeLoad?.(page);
    const consoleUrl = `${serverUrl}/agent/`;
    await page.goto(consoleUrl);
    return new AgentConsolePage(context, page, consoleUrl);
  }

  async signIn(account: TestAccount): Promise<void> {
    await this.page.getByLabel('Login').fill(account.login);
    await this.page.getByLabel('Password').fill(account.password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.waitForConnection('Connected');
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  // ---- what is on screen ----

  connectionStatus(): Locator {
    return this.page.locator('.top-bar').getByRole('status');
  }

  async waitForConnection(text: 'Connected' | 'Offline, reconnecting…'): Promise<void> {
    await this.connectionStatus().filter({ hasText: text }).waitFor();
  }

  waitingPanel(): Locator {
    return this.page.getByRole('region', { name: 'Waiting Customers' });
  }

  queueCount(): Locator {
    return this.page.getByTestId('queue-count');
  }

  async waitForQueueCount(count: number): Promise<void> {
    await this.queueCount()
      .filter({ hasText: exactly(count) })
      .waitFor();
  }

  waitingEntries(): Locator {
    return this.waitingPanel().getByRole('listitem');
  }

  waitingEntry(displayName: string): Locator {
    return this.waitingEntries().filter({ hasText: displayName });
  }

  startChatButton(): Locator {
    return this.page.getByRole('button', { name: 'Start Chat' });
  }

  takeButton(displayName: string): Locator {
    return this.page.getByRole('button', { name: `Take ${displayName}` });
  }

  monitorPanel(): Locator {
    return this.page.getByRole('region', { name: 'Ready for the next customer' });
  }

  /** The chat panel, labelled by the customer's name. */
  chatPanel(displayName: string): Locator {
    return this.page.locator('section.chat').filter({
      has: this.page.getByRole('heading', { name: displayName, exact: true }),
    });
  }

  conversationMessages(): Locator {
    return this.page.getByRole('list', { name: 'Conversation' }).locator('li.message');
  }

  customerInfo(): Locator {
    return this.page.getByRole('region', { name: 'Customer Info' });
  }

  endChatButton(): Locator {
    return this.page.getByRole('button', { name: 'End Chat' });
  }

  backToQueueButton(): Locator {
    return this.page.getByRole('button', { name: 'Back to queue' });
  }

  callButton(): Locator {
    return this.page.getByRole('button', { name: 'Call', exact: true });
  }

  /** The bar of a call ringing for the agent. */
  incomingCall(): Locator {
    return this.page.getByRole('region', { name: 'Incoming call' });
  }

  /** The bar of a call being placed, in progress, or just ended. */
  callBar(): Locator {
    return this.page.getByRole('region', { name: 'Call', exact: true });
  }

  /** A call's events in the transcript (started, answered, ended). */
  callEvents(): Locator {
    return this.page.getByRole('list', { name: 'Conversation' }).locator('li.call-event');
  }

  alerts(): Locator {
    return this.page.getByRole('alert');
  }

  inbox(): Locator {
    return this.page.getByRole('region', { name: 'Inbox' });
  }

  inboxItems(): Locator {
    return this.inbox().getByRole('listitem');
  }

  async showInbox(filter: 'Awaiting reply' | 'All'): Promise<void> {
    await this.inbox().getByRole('tab', { name: filter }).click();
  }

  /** Opens the reply box under the first inbox message of `displayName` and sends `text`. */
  async replyFromInbox(displayName: string, text: string): Promise<void> {
    const item = this.inboxItems().filter({ hasText: displayName }).first();
    await item.getByRole('button', { name: `Reply to ${displayName}` }).click();
    await item.getByRole('textbox', { name: `Reply to ${displayName}` }).fill(text);
    await item.getByRole('button', { name: 'Send reply' }).click();
  }

  async sendInChat(displayName: string, text: string): Promise<void> {
    const box = this.page.getByRole('textbox', { name: `Message to ${displayName}` });
    await box.fill(text);
    await box.press('Enter');
  }

  async screenshot(name: string): Promise<void> {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await this.page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
  }
}

/** Waits until `locator` shows exactly `text`. */
export async function waitForExactText(locator: Locator, text: string | number): Promise<void> {
  await locator.filter({ hasText: exactly(text) }).waitFor();
}
