import { describe, expect, it } from 'vitest';
import { ProtocolError } from '@callcenter/shared';
import { attachmentProblem, attachmentRequestError, formatBytes } from './attachments';
import { drainOutbox, uploadedAttachmentId, type OutboxEntry, type OutboxStore } from './outbox';

describe('formatBytes', () => {
  it('words sizes as file managers do', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(340 * 1024)).toBe('340 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatBytes(12.46 * 1024 * 1024)).toBe('12 MB');
    expect(formatBytes(2.25 * 1024 * 1024 * 1024)).toBe('2.3 GB');
  });
});

describe('attachmentProblem', () => {
  const limit = 10 * 1024 * 1024;
  it('lets a picture or a PDF under the limit go', () => {
    expect(attachmentProblem({ name: 'a.png', size: 1000, type: 'image/png' }, limit)).toBeNull();
    expect(
      attachmentProblem({ name: 'b.pdf', size: limit, type: 'application/pdf' }, limit),
    ).toBeNull();
    // Unknown to the browser: the server reads the content.
    expect(attachmentProblem({ name: 'c', size: 10, type: '' }, limit)).toBeNull();
  });

  it('refuses a file over the limit, naming the limit', () => {
    expect(
      attachmentProblem({ name: 'big.pdf', size: limit + 1, type: 'application/pdf' }, limit),
    ).toBe('“big.pdf” is too large: files can be up to 10 MB.');
    expect(
      attachmentProblem({ name: 'huge.jpg', size: 25 * 1024 * 1024, type: 'image/jpeg' }, limit),
    ).toBe('“huge.jpg” is too large: files can be up to 10 MB.');
  });

  it('refuses an empty file and a kind the server never keeps', () => {
    expect(attachmentProblem({ name: 'e.png', size: 0, type: 'image/png' }, limit)).toBe(
      '“e.png” is empty.',
    );
    expect(attachmentProblem({ name: 'x.svg', size: 10, type: 'image/svg+xml' }, limit)).toMatch(
      /can't be sent: only JPEG, PNG, WebP or HEIC pictures and PDF files/,
    );
  });
});

describe('attachmentRequestError', () => {
  it("keeps the server's code and wording", () => {
    const error = attachmentRequestError(413, {
      error: { code: 'too_large', message: 'Files can be up to 10 MB.' },
    });
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('too_large');
    expect(error.message).toBe('Files can be up to 10 MB.');
  });

  it('words a bare refusal by its status', () => {
    expect(attachmentRequestError(413, null).code).toBe('too_large');
    expect(attachmentRequestError(415, 'nope').code).toBe('unsupported_type');
    expect(attachmentRequestError(400, null).code).toBe('invalid_payload');
    expect(attachmentRequestError(401, null).code).toBe('unauthorized');
    expect(attachmentRequestError(404, null).code).toBe('not_found');
  });

  it('takes a lost link or server trouble as unavailable, to be tried again', () => {
    expect(attachmentRequestError(0, null).code).toBe('unavailable');
    expect(attachmentRequestError(502, '<html>bad gateway</html>').code).toBe('unavailable');
    expect(attachmentRequestError(503, { error: { code: 'x', message: 'y' } }).code).toBe(
      'unavailable',
    );
  });

  it("keeps the server's wording of a refusal whose code this client does not know", () => {
    const error = attachmentRequestError(415, {
      error: { code: 'heic_unsupported', message: 'HEIC photos cannot be sent here.' },
    });
    expect(error.code).toBe('unsupported_type');
    expect(error.message).toBe('HEIC photos cannot be sent here.');
  });
});

describe('uploadedAttachmentId', () => {
  function memoryStore(
    entries: OutboxEntry[],
  ): OutboxStore & { entries: Map<string, OutboxEntry> } {
    const map = new Map(entries.map((entry) => [entry.clientMsgId, entry]));
    return {
      entries: map,
      outbox: (userId) => Promise.resolve([...map.values()].filter((e) => e.userId === userId)),
      outboxEntry: (id) => Promise.resolve(map.get(id)),
      putOutboxEntry: (entry) => {
        map.set(entry.clientMsgId, entry);
        return Promise.resolve();
      },
      removeOutboxEntries: (ids) => {
        for (const id of ids) map.delete(id);
        return Promise.resolve();
      },
      clearOutbox: () => {
        map.clear();
        return Promise.resolve();
      },
    };
  }
  const withFile: OutboxEntry = {
    clientMsgId: 'c1',
    userId: 'u1',
    text: '',
    attachment: { file: { size: 3, type: 'image/png' }, name: 'a.png', size: 3 },
    queuedAt: 1,
    failure: null,
  };

  it('uploads once with the entry, remembers the id, and does not upload again', async () => {
    const store = memoryStore([withFile]);
    const uploads: string[] = [];
    const upload = (entry: OutboxEntry) => {
      uploads.push(entry.clientMsgId);
      return Promise.resolve({ id: 'att-1' });
    };
    expect(await uploadedAttachmentId(withFile, store, upload)).toBe('att-1');
    const kept = store.entries.get('c1');
    expect(kept?.attachment?.attachmentId).toBe('att-1');
    expect(await uploadedAttachmentId(kept!, store, upload)).toBe('att-1');
    expect(uploads).toEqual(['c1']);
  });

  it('has nothing to upload for text, and does not bring back a discarded entry', async () => {
    const store = memoryStore([]);
    const text: OutboxEntry = { ...withFile, attachment: undefined, text: 'hi' };
    expect(await uploadedAttachmentId(text, store, () => Promise.reject(new Error('no')))).toBe(
      undefined,
    );
    await expect(
      uploadedAttachmentId(withFile, store, () => Promise.resolve({ id: 'x' })),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(store.entries.size).toBe(0);
  });

  it('a message discarded while its file goes up is neither sent nor brought back', async () => {
    const store = memoryStore([withFile]);
    const sent: string[] = [];
    const failed: string[] = [];
    const end = await drainOutbox({
      store,
      userId: 'u1',
      canSend: () => true,
      send: async (entry) => {
        const attachmentId = await uploadedAttachmentId(entry, store, async () => {
          // The customer presses Delete while the upload runs.
          await store.removeOutboxEntries([entry.clientMsgId]);
          return { id: 'att-2' };
        });
        sent.push(attachmentId ?? '');
        throw new Error('message.send must not be reached');
      },
      onSent: () => undefined,
      onFailed: (entry) => {
        failed.push(entry.clientMsgId);
      },
    });
    expect(end).toEqual({ end: 'done' });
    expect(sent).toEqual([]);
    expect(failed).toEqual([]);
    expect(store.entries.size).toBe(0);
  });

  it('passes an upload refusal on for the drain to keep', async () => {
    const store = memoryStore([withFile]);
    await expect(
      uploadedAttachmentId(withFile, store, () =>
        Promise.reject(new ProtocolError('too_large', 'Files can be up to 10 MB.')),
      ),
    ).rejects.toMatchObject({ code: 'too_large' });
    expect(store.entries.get('c1')?.attachment?.attachmentId).toBeUndefined();
  });
});
