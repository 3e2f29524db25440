import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import type { Tier } from '@callcenter/shared';
import { TestClient, TestStack, type TestAccount } from '@callcenter/devstack/testing';
import type { Config } from '@callcenter/server';
import { launchBrowser } from '../../../support/browser';
import { BUILT_CLIENTS_DIR } from '../../../support/paths';
import { AgentConsolePage } from './agentConsolePage';

export interface ConsoleTestStackOptions {
  /** Overrides for the server's configuration (e.g. a short call ring time-out). */
  config?: Partial<Config>;
  /** More Chromium flags (e.g. a fake microphone). */
  browserArgs?: readonly string[];
}

/**
 * One server (with its private Redis) serving the built console, one Chromium, and what a test
 * opened on them; `stop` closes it all.
 */
export class ConsoleTestStack {
  private readonly consoles: AgentConsolePage[] = [];
  private readonly clients: TestClient[] = [];

  private constructor(
    readonly stack: TestStack,
    readonly browser: Browser,
  ) {}

  static async start(options: ConsoleTestStackOptions = {}): Promise<ConsoleTestStack> {
    if (!existsSync(join(BUILT_CLIENTS_DIR, 'agent', 'index.html'))) {
      throw new Error(
        `The agent console is not built in ${BUILT_CLIENTS_DIR}/agent: run npm run build first.`,
      );
    }
    const [stack, browser] = await Promise.all([
      TestStack.start({
        mongodbUrl: inject('mongodbUrl'),
        config: { ...options.config, staticDir: BUILT_CLIENTS_DIR },
      }),
      launchBrowser(options.browserArgs),
    ]);
    return new ConsoleTestStack(stack, browser);
  }

  get url(): string {
    return this.stack.url;
  }

  /** A new agent account (with `capacity` conversations at once), signed in to a console of its own. */
  async signedInConsole(
    name?: string,
    beforeLoad?: Parameters<typeof AgentConsolePage.open>[2],
    contextOptions?: Parameters<typeof AgentConsolePage.open>[3],
    capacity?: number,
  ): Promise<{ agentConsole: AgentConsolePage; account: TestAccount }> {
    const account = await this.stack.createAgent(name);
    if (capacity !== undefined) {
      await this.stack.server.mongo.collections.agents.updateOne(
        { _id: account.id },
        { $set: { capacity } },
      );
    }
    const agentConsole = await AgentConsolePage.open(
      this.browser,
      this.url,
      beforeLoad,
      contextOptions,
    );
    this.consoles.push(agentConsole);
    await agentConsole.signIn(account);
    return { agentConsole, account };
  }

  /** A new customer of `tier`, connected over Socket.IO (the customer's app is not under test). */
  async customer(tier: Tier, name: string): Promise<TestClient> {
    const account = await this.stack.createCustomer(tier, name);
    const client = await TestClient.login(this.stack, account);
    this.clients.push(client);
    return client;
  }

  /** A second agent acting over Socket.IO, e.g. taking a customer from under the console. */
  async agentClient(name: string): Promise<TestClient> {
    const client = await TestClient.login(this.stack, await this.stack.createAgent(name));
    this.clients.push(client);
    return client;
  }

  /** Between tests: close consoles and clients, empty the live state and the record. */
  async reset(): Promise<void> {
    await Promise.all(this.consoles.splice(0).map((open) => open.close()));
    for (const client of this.clients.splice(0)) client.close();
    await this.stack.reset();
  }

  async stop(): Promise<void> {
    await this.reset().catch(() => undefined);
    await this.browser.close();
    await this.stack.stop();
  }
}

/**
 * Registers a test file's hooks (start before all, reset after each, stop after all), as
 * `useTestStack` does for server tests; returns the running harness.
 */
export function useConsoleTestStack(options: ConsoleTestStackOptions = {}): () => ConsoleTestStack {
  let harness: ConsoleTestStack | undefined;
  beforeAll(async () => {
    harness = await ConsoleTestStack.start(options);
  });
  afterEach(async () => {
    await harness?.reset();
  });
  afterAll(async () => {
    await harness?.stop();
  });
  return () => {
    if (!harness) throw new Error('the console test stack is not started yet');
    return harness;
  };
}
