import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import type { Tier } from '@callcenter/shared';
import { TestClient } from './testClient';
import { TestStack, type TestStackOptions } from './testStack';

export interface TestSuite {
  /** The suite's stack (valid inside tests and hooks). */
  readonly stack: TestStack;
  /** Creates an account, logs it in and connects; closed after the test. */
  /** A new account of `kind`, logged in and connected (a supervisor without the admin right). */
  loginNew: (kind: 'agent' | 'customer' | 'supervisor', tier?: Tier) => Promise<TestClient>;
  /** Closes this client after the test. */
  track: (client: TestClient) => TestClient;
}

/**
 * Registers the hooks of a suite that runs against one stack: started before all tests,
 * emptied (live state, conversations, messages) and its clients closed after each, stopped
 * at the end.
 */
export function useTestStack(options: Omit<TestStackOptions, 'mongodbUrl'> = {}): TestSuite {
  let stack: TestStack | undefined;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    stack = await TestStack.start({ ...options, mongodbUrl: inject('mongodbUrl') });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await stack?.reset();
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const suite: TestSuite = {
    get stack() {
      if (!stack) throw new Error('the test stack is not started yet');
      return stack;
    },
    loginNew: async (kind, tier = 'standard') => {
      const account =
        kind === 'agent'
          ? await suite.stack.createAgent()
          : kind === 'supervisor'
            ? await suite.stack.createSupervisor()
            : await suite.stack.createCustomer(tier);
      return suite.track(await TestClient.login(suite.stack, account));
    },
    track: (client) => {
      clients.push(client);
      return client;
    },
  };
  return suite;
}
