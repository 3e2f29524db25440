import { ProtocolError, attachmentPath, attachmentThumbnailPath } from '@callcenter/shared';
import { attachmentRequestError } from '../attachments';

/** The whole file, or the server's small preview of an image. */
export type AttachmentVariant = 'file' | 'thumbnail';

export interface AttachmentFilesOptions {
  serverUrl: string;
  /** The session's token now; null while signed out. */
  token: () => string | null;
  /** How many object URLs are kept; the least recently used beyond it are revoked. */
  capacity?: number;
  /** Injected in tests; the page's `fetch` otherwise. */
  fetch?: typeof fetch;
}

interface Held {
  url: Promise<string>;
  /** The object URL once the file arrived, to revoke. */
  objectUrl: string | null;
}

/**
 * The session's attachments as object URLs: an `<img>` cannot send the Authorization header, so
 * each file is fetched with it into a Blob and shown through `URL.createObjectURL`. A few are
 * kept (most recently used first) and the rest revoked; `clear()` at sign-out revokes all.
 */
export class AttachmentFiles {
  private readonly held = new Map<string, Held>();
  private readonly capacity: number;

  constructor(private readonly options: AttachmentFilesOptions) {
    this.capacity = options.capacity ?? 60;
  }

  /** The file (or its thumbnail) as an object URL; one fetch per file while it is kept. */
  url(id: string, variant: AttachmentVariant = 'file'): Promise<string> {
    const key = `${variant}:${id}`;
    const known = this.held.get(key);
    if (known !== undefined) {
      // Most recently used: to the end of the map's order.
      this.held.delete(key);
      this.held.set(key, known);
      return known.url;
    }
    const held: Held = { url: Promise.resolve(''), objectUrl: null };
    held.url = this.download(id, variant).then(
      (blob) => {
        const objectUrl = URL.createObjectURL(blob);
        // Evicted or cleared while it came: nobody will revoke it later.
        if (this.held.get(key) !== held) {
          queueMicrotask(() => {
            URL.revokeObjectURL(objectUrl);
          });
        } else {
          held.objectUrl = objectUrl;
        }
        return objectUrl;
      },
      (error: unknown) => {
        // A failed fetch is not kept: the next ask tries again.
        if (this.held.get(key) === held) this.held.delete(key);
        throw error;
      },
    );
    this.held.set(key, held);
    this.evict();
    return held.url;
  }

  /** The file itself (a download, or an image opened full size). */
  async blob(id: string, variant: AttachmentVariant = 'file'): Promise<Blob> {
    return this.download(id, variant);
  }

  /** Signed out: every object URL is revoked and forgotten. */
  clear(): void {
    for (const held of this.held.values()) {
      if (held.objectUrl !== null) URL.revokeObjectURL(held.objectUrl);
    }
    this.held.clear();
  }

  /** How many are kept now (for tests). */
  get size(): number {
    return this.held.size;
  }

  private evict(): void {
    for (const [key, held] of this.held) {
      if (this.held.size <= this.capacity) return;
      this.held.delete(key);
      if (held.objectUrl !== null) URL.revokeObjectURL(held.objectUrl);
    }
  }

  private async download(id: string, variant: AttachmentVariant): Promise<Blob> {
    const token = this.options.token();
    if (token === null) throw new ProtocolError('unauthorized', 'Not signed in.');
    const path = variant === 'thumbnail' ? attachmentThumbnailPath(id) : attachmentPath(id);
    const fetchFile = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await fetchFile(`${this.options.serverUrl}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    } catch {
      throw new ProtocolError('unavailable', 'The server cannot be reached.');
    }
    if (!response.ok) {
      throw attachmentRequestError(response.status, await response.json().catch(() => null));
    }
    return response.blob();
  }
}

/** Saves a Blob as a download named `name` (an anchor with `download`, as the browsers want). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // After the click has handed the file to the browser's download.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}
