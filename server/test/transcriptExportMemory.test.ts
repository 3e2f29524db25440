// Transcripts (issue 15): the export streams. A large history seeded in the store is exported
// while the server's heap (an in-process node) is sampled; the export is read as a stream and
// counted, never held, and the heap grows by far less than the export's size.
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack();

const CONVERSATIONS = Number(process.env.EXPORT_TEST_CONVERSATIONS ?? 10_000);
const TEXT_BYTES = 14_000;
const SEED_BATCH = 2_000;
const HEAP_GROWTH_LIMIT = 64 * 1024 * 1024;

// The live heap, not garbage V8 has yet to collect: a collection before each sample.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
function liveHeap(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

async function seedHistory(count: number): Promise<void> {
  const { conversations, messages } = suite.stack.server.mongo.collections;
  const start = Date.parse('2025-01-01T00:00:00Z');
  const filler = 'x'.repeat(TEXT_BYTES);
  for (let offset = 0; offset < count; offset += SEED_BATCH) {
    const size = Math.min(SEED_BATCH, count - offset);
    const ids = Array.from({ length: size }, () => randomUUID());
    await conversations.insertMany(
      ids.map((id, i) => ({
        _id: id,
        customerId: `customer-${(offset + i) % 100}`,
        agentId: `agent-${(offset + i) % 10}`,
        requestId: null,
        status: 'ended' as const,
        startedAt: new Date(start + (offset + i) * 60_000),
        endedAt: new Date(start + (offset + i) * 60_000 + 30_000),
        endedBy: 'agent' as const,
        endReason: 'agent' as const,
      })),
      { ordered: false },
    );
    await messages.insertMany(
      ids.map((id, i) => ({
        _id: randomUUID(),
        seq: offset + i + 1,
        page: 0,
        clientMsgId: randomUUID(),
        senderKey: `customer:customer-${(offset + i) % 100}`,
        sender: {
          role: 'customer' as const,
          id: `customer-${(offset + i) % 100}`,
          displayName: 'A customer',
        },
        customerId: `customer-${(offset + i) % 100}`,
        conversationId: id,
        text: `${offset + i} ${filler}`,
        priority: 1,
        createdAt: new Date(start + (offset + i) * 60_000 + 1_000),
      })),
      { ordered: false },
    );
  }
}

/** Reads the answer's body chunk by chunk, counting bytes and lines; samples the heap meanwhile. */
async function consume(answer: Response) {
  if (!answer.body) throw new Error('the export has no body');
  const reader = (answer.body as ReadableStream<Uint8Array>).getReader();
  const baseline = liveHeap();
  let peak = baseline;
  let bytes = 0;
  let lines = 0;
  let sampledAt = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const byte of value) if (byte === 10) lines += 1;
    // Every 2 MB read, the server's and this reader's live heap (one process).
    if (bytes - sampledAt > 2_000_000) {
      sampledAt = bytes;
      peak = Math.max(peak, liveHeap());
    }
  }
  return { bytes, lines, growth: peak - baseline };
}

describe('the transcript export', () => {
  it(`streams ${CONVERSATIONS} conversations within bounded memory`, async () => {
    const seedStart = Date.now();
    await seedHistory(CONVERSATIONS);
    const seedMs = Date.now() - seedStart;
    const account = await suite.stack.createSupervisor();
    const { token } = await suite.stack.login(account);
    const headers = { authorization: `Bearer ${token}` };

    // The list reads a page, its names and its counts without scanning the history.
    const listStart = Date.now();
    const listed = await fetch(`${suite.stack.url}/api/supervisor/transcripts?limit=50`, {
      headers,
    });
    expect(listed.status).toBe(200);
    const page = (await listed.json()) as { items: { messageCount: number }[]; next: string };
    expect(page.items).toHaveLength(50);
    expect(page.items.every((item) => item.messageCount === 1)).toBe(true);
    expect(page.next).toEqual(expect.any(String));
    console.info(`a page of 50 of ${CONVERSATIONS} listed in ${Date.now() - listStart} ms`);

    // FerretDB reads about 300 conversations' messages a second here: one format at this size
    // (the JSON export runs through the same batches; transcripts.test.ts checks its content).
    for (const format of ['csv'] as const) {
      const exportStart = Date.now();
      const answer = await fetch(
        `${suite.stack.url}/api/supervisor/transcripts/export?format=${format}`,
        { headers },
      );
      expect(answer.status).toBe(200);
      const { bytes, lines, growth } = await consume(answer);
      console.info(
        `${format}: ${CONVERSATIONS} conversations seeded in ${seedMs} ms, exported ` +
          `${(bytes / 1e6).toFixed(0)} MB in ${Date.now() - exportStart} ms, ` +
          `heap growth ${(growth / 1e6).toFixed(1)} MB`,
      );
      // The header and a row per message.
      expect(lines).toBe(CONVERSATIONS + 1);
      expect(bytes).toBeGreaterThan(CONVERSATIONS * TEXT_BYTES);
      expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT);
      // The export is more than twice what the heap may grow by: it cannot have been held.
      expect(bytes).toBeGreaterThan(2 * HEAP_GROWTH_LIMIT);
    }
  }, 600_000);
});
