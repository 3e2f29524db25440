import { resolveObjectURL } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { attachmentUploadResultSchema, type Attachment } from '@callcenter/shared';
import { useTestStack } from '@callcenter/devstack/testing';
import { simplePdf } from '../../../tests/support/attachmentFixtures';
import { AttachmentFiles } from './attachmentFiles';

// Against the real server: the files are uploaded over HTTP and fetched back with the token;
// the object URLs are Node's own (resolveObjectURL tells whether one is still alive).

const suite = useTestStack();

async function customerWithFiles(count: number): Promise<{ token: string; files: Attachment[] }> {
  const { token } = await suite.stack.login(await suite.stack.createCustomer());
  const files: Attachment[] = [];
  for (let index = 0; index < count; index += 1) {
    const response = await fetch(
      `${suite.stack.url}/api/attachments?name=doc-${index}.pdf&uploadId=upload${index}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: new Uint8Array(simplePdf(`Document ${index}`)),
      },
    );
    files.push(attachmentUploadResultSchema.parse(await response.json()).attachment);
  }
  return { token, files };
}

/** `fetch`, counting the requests made through it. */
function countingFetch(): { fetch: typeof fetch; count: () => number } {
  let count = 0;
  return {
    fetch: (input, init) => {
      count += 1;
      return fetch(input, init);
    },
    count: () => count,
  };
}

const alive = (url: string): boolean => resolveObjectURL(url) !== undefined;

describe('AttachmentFiles', () => {
  it('fetches a file once with the token and keeps its object URL', async () => {
    const { token, files } = await customerWithFiles(1);
    const counting = countingFetch();
    const cache = new AttachmentFiles({
      serverUrl: suite.stack.url,
      token: () => token,
      fetch: counting.fetch,
    });
    const id = files[0]?.id ?? '';
    const [first, second] = await Promise.all([cache.url(id), cache.url(id)]);
    expect(first).toBe(second);
    expect(counting.count()).toBe(1);
    const blob = resolveObjectURL(first);
    expect(blob?.type).toBe('application/pdf');
    expect(
      Buffer.from(await blob!.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    cache.clear();
    expect(alive(first)).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('revokes the least recently used beyond its capacity', async () => {
    const { token, files } = await customerWithFiles(3);
    const cache = new AttachmentFiles({
      serverUrl: suite.stack.url,
      token: () => token,
      capacity: 2,
    });
    const [a, b, c] = files.map((file) => file.id);
    const urlA = await cache.url(a!);
    const urlB = await cache.url(b!);
    await cache.url(a!); // A is now the most recently used
    const urlC = await cache.url(c!);
    expect(cache.size).toBe(2);
    expect(alive(urlB)).toBe(false);
    expect(alive(urlA)).toBe(true);
    expect(alive(urlC)).toBe(true);
    cache.clear();
  });

  it("answers another customer's file as not found, and does not keep the failure", async () => {
    const { files } = await customerWithFiles(1);
    const { token: strangerToken } = await suite.stack.login(await suite.stack.createCustomer());
    const counting = countingFetch();
    const cache = new AttachmentFiles({
      serverUrl: suite.stack.url,
      token: () => strangerToken,
      fetch: counting.fetch,
    });
    const id = files[0]?.id ?? '';
    await expect(cache.url(id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(cache.url(id)).rejects.toMatchObject({ code: 'not_found' });
    expect(counting.count()).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('refuses without a session and words an unreachable server as unavailable', async () => {
    const signedOut = new AttachmentFiles({ serverUrl: suite.stack.url, token: () => null });
    await expect(signedOut.url('abc')).rejects.toMatchObject({ code: 'unauthorized' });
    const unreachable = new AttachmentFiles({
      serverUrl: 'http://127.0.0.1:9',
      token: () => 'token',
    });
    await expect(unreachable.url('abc')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
