import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { TestClient, TestStack, type TestAccount } from '@callcenter/devstack/testing';
import type { Config } from '@callcenter/server';
import { launchBrowser } from '../../../support/browser';
import { BUILT_CLIENTS_DIR } from '../../../support/paths';

/**
 * One server (its private Redis, the built clients), one Chromium, and the supervisor consoles
 * and socket clients a test opened; all closed after the file.
 */
export class SupervisorTestStack {
  private readonly contexts: BrowserContext[] = [];
  private readonly clients: TestClient[] = [];

  private constructor(
    readonly stack: TestStack,
    readonly browser: Browser,
  ) {}

  static async start(config: Partial<Config> = {}): Promise<SupervisorTestStack> {
    if (!existsSync(join(BUILT_CLIENTS_DIR, 'supervisor', 'index.html'))) {
      throw new Error(
        `The supervisor console is not built in ${BUILT_CLIENTS_DIR}/supervisor: run npm run build first.`,
      );
    }
    const [stack, browser] = await Promise.all([
      TestStack.start({
        mongodbUrl: inject('mongodbUrl'),
        config: { ...config, staticDir: BUILT_CLIENTS_DIR },
      }),
      launchBrowser(),
    ]);
    return new SupervisorTestStack(stack, browser);
  }

  /**
   * A supervisor console at /supervisor/, signed in through its login form as `account` (a new
   * supervisor, with the admin right when `admin`), showing the wallboard live.
   */
  async signedInConsole(
    options: {
      admin?: boolean;
      account?: TestAccount;
      viewport?: { width: number; height: number };
    } = {},
  ): Promise<{ page: Page; account: TestAccount }> {
    const account =
      options.account ?? (await this.stack.createSupervisor({ admin: options.admin }));
    const context = await this.browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 900 },
    });
    this.contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${this.stack.url}/supervisor/`);
    await page.getByLabel('Login').fill(account.login);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    return { page, account };
  }

  /** A chat party over Socket.IO (an agent or a customer), closed after the file. */
  async client(account: TestAccount): Promise<TestClient> {
    const client = await TestClient.login(this.stack, account);
    this.clients.push(client);
    return client;
  }

  async stop(): Promise<void> {
    for (const client of this.clients.splice(0)) client.close();
    await Promise.allSettled(this.contexts.splice(0).map((context) => context.close()));
    await this.browser.close().catch(() => undefined);
    await this.stack.stop();
  }
}

/** Starts a SupervisorTestStack before the file's tests and stops it after them. */
export function useSupervisorTestStack(config: Partial<Config> = {}): {
  get: () => SupervisorTestStack;
} {
  let started: SupervisorTestStack | undefined;
  beforeAll(async () => {
    started = await SupervisorTestStack.start(config);
  });
  afterAll(async () => {
    await started?.stop();
  });
  return {
    get: () => {
      if (!started) throw new Error('the supervisor test stack is not started');
      return started;
    },
  };
}
