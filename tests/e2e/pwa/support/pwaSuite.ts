import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import type { Tier } from '@callcenter/shared';
import { TestClient, TestStack, type TestAccount } from '@callcenter/devstack/testing';
import { launchBrowser } from '../../../support/browser';
import { ARTIFACTS_DIR, BUILT_CLIENTS_DIR } from '../../../support/paths';
import { CustomerPage } from './customerPage';

/** Where the screenshots of these tests go (git-ignored). */
export const PWA_ARTIFACTS_DIR = join(ARTIFACTS_DIR, 'pwa');

/** A phone: what the customer app is designed for first. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 640 },
  isMobile: true,
  hasTouch: true,
};

export interface ContextOptions extends BrowserContextOptions {
  /**
   * Let the app register its service worker. Off unless a test is about offline use or the
   * worker itself: installing it precaches the whole app (about 0.5 MB) next to the first page
   * load, which costs over a second per test on a two-core machine and changes nothing else.
   */
  serviceWorker?: boolean;
}

export interface PwaSuite {
  readonly stack: TestStack;
  readonly browser: Browser;
  /** A fresh browser profile (storage, service worker) at phone size unless told otherwise. */
  newContext: (options?: ContextOptions) => Promise<BrowserContext>;
  newCustomer: (tier?: Tier, name?: string) => Promise<TestAccount>;
  /**
   * A new customer account, signed in to the app in a new context: at `url` (default: the
   * stack's), and with `serviceWorker`, once the worker controls the page (offline use).
   */
  signedInCustomer: (options?: {
    tier?: Tier;
    url?: string;
    serviceWorker?: boolean;
  }) => Promise<{ account: TestAccount; customer: CustomerPage }>;
  /**
   * An agent as a Socket.IO client (the agent console is tested on its own), connected to
   * `url` (default: the stack's first node).
   */
  newAgent: (name?: string, url?: string) => Promise<TestClient>;
  /** Another customer, as a Socket.IO client rather than a browser. */
  newCustomerClient: (tier?: Tier, name?: string) => Promise<TestClient>;
}

export interface PwaSuiteOptions {
  /** Folder with `pwa/` (default: the build in dist/public). */
  staticDir?: () => Promise<string>;
  /** Server settings besides the static folder (e.g. a short ring time-out). */
  config?: Omit<NonNullable<Parameters<typeof TestStack.start>[0]['config']>, 'staticDir'>;
  /** Chromium flags besides the usual ones (e.g. a fake microphone). */
  browserArgs?: readonly string[];
}

function assertBuilt(staticDir: string): void {
  if (!existsSync(join(staticDir, 'pwa', 'index.html'))) {
    throw new Error(
      `no built PWA in ${staticDir}; run \`npm run build -w @callcenter/pwa\` (npm test does)`,
    );
  }
}

/**
 * One server stack (private Redis, fresh database, a node serving the built PWA) and one
 * Chromium for a test file; contexts and agents are closed and the live state emptied after
 * each test.
 */
export function usePwaSuite(options: PwaSuiteOptions = {}): PwaSuite {
  let stack: TestStack | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    const staticDir = options.staticDir ? await options.staticDir() : BUILT_CLIENTS_DIR;
    assertBuilt(staticDir);
    await mkdir(PWA_ARTIFACTS_DIR, { recursive: true });
    [stack, browser] = await Promise.all([
      TestStack.start({
        mongodbUrl: inject('mongodbUrl'),
        config: { ...options.config, staticDir },
      }),
      launchBrowser(options.browserArgs),
    ]);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    await stack?.reset();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const suite: PwaSuite = {
    get stack() {
      if (!stack) throw new Error('the stack is not started yet');
      return stack;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not started yet');
      return browser;
    },
    newContext: async ({ serviceWorker = false, ...contextOptions } = {}) => {
      const context = await suite.browser.newContext({
        ...PHONE,
        ...contextOptions,
        serviceWorkers: serviceWorker ? 'allow' : 'block',
      });
      contexts.push(context);
      return context;
    },
    newCustomer: (tier = 'gold', name = 'Carol Customer') => suite.stack.createCustomer(tier, name),
    signedInCustomer: async ({ tier, url = suite.stack.url, serviceWorker = false } = {}) => {
      const account = await suite.newCustomer(tier);
      const customer = await CustomerPage.open(await suite.newContext({ serviceWorker }), url);
      if (serviceWorker) await customer.waitForServiceWorker();
      await customer.login(account);
      return { account, customer };
    },
    newAgent: async (name = 'Ada Agent', url = suite.stack.url) => {
      const agent = await TestClient.login(suite.stack, await suite.stack.createAgent(name), url);
      clients.push(agent);
      return agent;
    },
    newCustomerClient: async (tier = 'standard', name = 'Another Customer') => {
      const account = await suite.stack.createCustomer(tier, name);
      const customer = await TestClient.login(suite.stack, account);
      clients.push(customer);
      return customer;
    },
  };
  return suite;
}

/** Saves a screenshot under artifacts/pwa/ for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(PWA_ARTIFACTS_DIR, `${name}.png`) });
}
