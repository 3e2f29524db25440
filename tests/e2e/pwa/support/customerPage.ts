import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { TestAccount } from '@callcenter/devstack/testing';
import { expect } from 'vitest';

/** As long as Playwright waits for an element by default. */
const UI_TIMEOUT_MS = 30_000;

export type DeliveryState = 'seen' | 'sent' | 'sending' | 'waiting' | 'failed';

/** The customer PWA as a person uses it: by labels, roles and the words on screen. */
export class CustomerPage {
  constructor(readonly page: Page) {}

  /** Opens the app in a new tab of `context`. */
  static async open(context: BrowserContext, url: string): Promise<CustomerPage> {
    const page = await context.newPage();
    await page.goto(url);
    return new CustomerPage(page);
  }

  /** Switches to this tab, as a person would before using it (background tabs are throttled). */
  async bringToFront(): Promise<void> {
    await this.page.bringToFront();
  }

  /**
   * Plays the phone switching to another app (`hidden`) and back: headless Chromium keeps every
   * tab visible, so the page is told so, with the event the app listens for.
   */
  async setVisibility(state: 'hidden' | 'visible'): Promise<void> {
    await this.page.evaluate((value) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  }

  get loginField(): Locator {
    return this.page.getByLabel('Login', { exact: true });
  }

  get passwordField(): Locator {
    return this.page.getByLabel('Password', { exact: true });
  }

  get signInButton(): Locator {
    return this.page.getByRole('button', { name: 'Sign in' });
  }

  get loginError(): Locator {
    return this.page.locator('.form-error');
  }

  get chatHeading(): Locator {
    return this.page.getByRole('heading', { name: 'Support chat' });
  }

  get stateBanner(): Locator {
    return this.page.getByRole('status', { name: 'Chat status' });
  }

  get connectionBanner(): Locator {
    return this.page.getByRole('status', { name: 'Connection' });
  }

  get messageLog(): Locator {
    return this.page.getByRole('log', { name: 'Messages' });
  }

  get composer(): Locator {
    return this.page.getByRole('textbox', { name: 'Message' });
  }

  button(name: 'Chat for Assistance' | 'End Chat' | 'Exit' | 'Send' | 'Your Info'): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** Presses one of the chat's buttons in this tab (brought to the front first, as by a person). */
  async press(name: 'Chat for Assistance' | 'End Chat' | 'Exit'): Promise<void> {
    await this.bringToFront();
    await this.button(name).click();
  }

  async fillLogin(account: Pick<TestAccount, 'login' | 'password'>): Promise<void> {
    await this.loginField.fill(account.login);
    await this.passwordField.fill(account.password);
  }

  /** Signs in and waits for the chat screen with the server's answer on the banner. */
  async login(account: Pick<TestAccount, 'login' | 'password'>): Promise<void> {
    await this.bringToFront();
    await this.fillLogin(account);
    await this.signInButton.click();
    await this.chatHeading.waitFor();
  }

  /**
   * Waits until the banner shows `title` (and `detail`, when given); a failure says what the
   * banner showed instead.
   */
  async waitForState(title: string, detail?: string): Promise<void> {
    const wanted = detail === undefined ? title : `${title}, ${detail}`;
    await expect
      .poll(async () => (await this.stateBanner.allTextContents()).join(' '), {
        timeout: UI_TIMEOUT_MS,
        message: `the chat status banner to show "${wanted}"`,
      })
      .toSatisfy(
        (text: string) => text.includes(title) && (detail === undefined || text.includes(detail)),
      );
  }

  async waitForEnabled(
    name: 'Chat for Assistance' | 'End Chat' | 'Exit' | 'Send',
    enabled = true,
  ): Promise<void> {
    await this.page.getByRole('button', { name, exact: true, disabled: !enabled }).waitFor();
  }

  async requestChat(): Promise<void> {
    await this.press('Chat for Assistance');
    await this.waitForState('Request Sent');
  }

  /** Types a message and sends it with Enter, as on a phone keyboard's send key. */
  async write(text: string): Promise<void> {
    await this.bringToFront();
    await this.composer.fill(text);
    await this.composer.press('Enter');
  }

  message(text: string): Locator {
    return this.messageLog.getByRole('listitem').filter({ hasText: text });
  }

  async waitForMessage(text: string, delivery?: DeliveryState): Promise<void> {
    const item = this.message(text);
    await (
      delivery === undefined ? item : item.and(this.page.locator(`[data-delivery="${delivery}"]`))
    ).waitFor();
  }

  /** The texts of the chat, top to bottom. */
  messageTexts(): Promise<string[]> {
    return this.messageLog.locator('.message .text').allTextContents();
  }

  async waitForServiceWorker(): Promise<void> {
    await this.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  }
}
