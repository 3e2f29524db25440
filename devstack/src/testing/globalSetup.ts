// Gives every test project a MongoDB URL: MONGODB_URL when set (CI runs FerretDB),
// otherwise a private database started with the same fallbacks as `npm start`.
// Redis is not shared: tests start their own instances, so only check it exists.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findOnPath, startMongo, type MongoHandle } from '../embeddedServices';

import type {} from './vitestContext';

let startedMongo: MongoHandle | undefined;
let tempDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (findOnPath('redis-server') === undefined) {
    throw new Error(
      'redis-server is not on PATH; the tests start their own Redis instances. ' +
        "Install Debian's package: apt-get install -y redis-server",
    );
  }

  const configuredUrl = process.env.MONGODB_URL;
  if (configuredUrl !== undefined && configuredUrl !== '') {
    project.provide('mongodbUrl', configuredUrl);
    return;
  }

  tempDir = await mkdtemp(join(tmpdir(), 'callcenter-test-mongo-'));
  // The data is thrown away afterwards: no need to survive a crash of the machine.
  startedMongo = await startMongo({ dataDir: tempDir, durable: false });
  project.provide('mongodbUrl', startedMongo.url);
}

export async function teardown(): Promise<void> {
  await startedMongo?.stop();
  startedMongo = undefined;
  if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
  tempDir = undefined;
}
