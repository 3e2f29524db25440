import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';

/** What the insert command reports about each refused document. */
interface WriteErrorInfo {
  index: number;
  code: number;
  errmsg?: string;
}

interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: while `concurrency` batches are in flight, new calls wait and then go together
 * in one batch. An idle store sees each call at once; a busy one sees one round trip per batch
 * instead of one per call (the store's per-operation cost, not the data, is what limits it).
 * `run` answers per input, in order: a value, or an Error for that input alone.
 */
export class GroupCommit<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
  private inFlight = 0;

  constructor(
    private readonly run: (inputs: I[]) => Promise<(O | Error)[]>,
    private readonly options: { maxBatch: number; concurrency: number },
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      this.run(batch.map((entry) => entry.input))
        .then(
          (outputs) => {
            batch.forEach((entry, i) => {
              const output = outputs[i];
              if (output instanceof Error) entry.reject(output);
              else if (output === undefined) entry.reject(new Error('group commit: no answer'));
              else entry.resolve(output);
            });
          },
          (error: unknown) => {
            for (const entry of batch) entry.reject(error);
          },
        )
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }
}

/**
 * Inserts documents with one unordered `insert` command; per document: true (inserted),
 * false (a unique index already holds it), or the Error that refused it. The command is sent
 * as it is rather than through `insertMany`, whose bulk-write machinery costs more CPU than a
 * batch of a few messages. A command that fails as a whole (store out of reach, connection
 * lost) rejects: nothing in the batch is known to be stored, so every send in it fails and is
 * retried, as a lone insert would be.
 */
export async function insertEach<T extends Document>(
  collection: Collection<T>,
  docs: OptionalUnlessRequiredId<T>[],
): Promise<(boolean | Error)[]> {
  const reply = await collection.db.command({
    insert: collection.collectionName,
    documents: docs,
    ordered: false,
  });
  const writeErrors = (reply.writeErrors ?? []) as WriteErrorInfo[];
  const byIndex = new Map(writeErrors.map((writeError) => [writeError.index, writeError]));
  return docs.map((_, index) => {
    const writeError = byIndex.get(index);
    if (!writeError) return true;
    if (writeError.code === 11000) return false;
    return Object.assign(new Error(writeError.errmsg ?? 'insert refused'), {
      code: writeError.code,
    });
  });
}
