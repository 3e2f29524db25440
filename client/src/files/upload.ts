import {
  ATTACHMENTS_PATH,
  ProtocolError,
  attachmentUploadResultSchema,
  type Attachment,
} from '@callcenter/shared';
import { attachmentRequestError } from '../attachments';

export interface UploadRequest {
  serverUrl: string;
  /** The session's token (the socket's), sent as `Authorization: Bearer`. */
  token: string;
  file: Blob;
  name: string;
  /** The message's client id: the same upload again answers the same attachment. */
  uploadId: string;
  /** Bytes sent so far of `total`, as the browser reports them. */
  onProgress?: (sent: number, total: number) => void;
  /** Aborts the upload; it then rejects with `unavailable` (the outbox may try it again). */
  signal?: AbortSignal;
}

/** How long an upload may go without progress before it counts as lost. */
const STALL_TIMEOUT_MS = 60_000;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * `POST /api/attachments` with the raw file as the body. XMLHttpRequest rather than fetch: only
 * it reports upload progress. Resolves with the stored attachment; rejects with a
 * `ProtocolError`: the server's refusal (too large, unsupported type, bad request) worded by
 * the server, or `unavailable` when the link failed, the upload stalled or it was aborted.
 */
export function uploadAttachment(request: UploadRequest): Promise<Attachment> {
  const { serverUrl, token, file, name, uploadId, onProgress, signal } = request;
  return new Promise((resolve, reject) => {
    const lost = (message: string) => {
      reject(new ProtocolError('unavailable', message));
    };
    if (signal?.aborted) {
      lost('The upload was stopped.');
      return;
    }
    const xhr = new XMLHttpRequest();
    const query = new URLSearchParams({ name, uploadId });
    xhr.open('POST', `${serverUrl}${ATTACHMENTS_PATH}?${query.toString()}`);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.timeout = 0;
    let stall: ReturnType<typeof setTimeout> | undefined;
    const watchStall = () => {
      clearTimeout(stall);
      stall = setTimeout(() => {
        xhr.abort();
        lost('The upload stalled.');
      }, STALL_TIMEOUT_MS);
    };
    const onAbort = () => {
      xhr.abort();
    };
    const done = () => {
      clearTimeout(stall);
      signal?.removeEventListener('abort', onAbort);
    };
    signal?.addEventListener('abort', onAbort);
    xhr.upload.onprogress = (event) => {
      watchStall();
      onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
    };
    xhr.onload = () => {
      done();
      const body = parseJson(xhr.responseText);
      if (xhr.status === 200 || xhr.status === 201) {
        const parsed = attachmentUploadResultSchema.safeParse(body);
        if (parsed.success) resolve(parsed.data.attachment);
        else reject(new ProtocolError('internal', 'The server sent an unexpected answer.'));
        return;
      }
      reject(attachmentRequestError(xhr.status, body));
    };
    xhr.onerror = () => {
      done();
      lost('The server cannot be reached.');
    };
    xhr.onabort = () => {
      done();
      lost('The upload was stopped.');
    };
    watchStall();
    xhr.send(file);
  });
}
