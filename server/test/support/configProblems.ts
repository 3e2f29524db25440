import { ConfigError, loadConfig, type Config } from '../../src/config';

/** The least environment the server starts with; tests add what they check. */
export const MINIMAL_ENV = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  MONGODB_URL: 'mongodb://127.0.0.1:27017',
  JWT_SECRET: 'x'.repeat(32),
};

/** The configuration read from `env` (over the minimal one). */
export function configFrom(env: Record<string, string>): Config {
  return loadConfig({ ...MINIMAL_ENV, ...env });
}

/** What the server says is wrong with `env` (over the minimal one); none when it starts. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    configFrom(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
