import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ATTACHMENT_LIMITS_PATH,
  ATTACHMENTS_PATH,
  ProtocolError,
  idSchema,
  type Attachment,
  type AttachmentLimits,
} from '@callcenter/shared';
import type { AuthService, SessionIdentity } from '../auth/authService';
import type { ApiApp } from './httpApp';

/** A stored file for a reader allowed to have it (see AttachmentService.download). */
export interface AttachmentFile {
  attachment: Attachment;
  contentType: string;
  size: number;
  open(range?: { start: number; end: number }): Readable;
}

/** What the routes need of the attachments (the AttachmentService). */
export interface AttachmentFiles {
  limits(): AttachmentLimits;
  upload(
    uploader: SessionIdentity,
    input: { name: string; uploadId: string; content: Buffer },
  ): Promise<{ attachment: Attachment; created: boolean }>;
  download(
    reader: SessionIdentity,
    id: string,
    part: 'file' | 'thumbnail',
  ): Promise<AttachmentFile | null>;
  /**
   * Lets an upload begin before its body is read, or throws (a supervisor, too many at once);
   * the answer is called when the upload is over.
   */
  reserveUpload(uploader: SessionIdentity): () => void;
  /** The refusal of a file over the size limit, worded with the limit. */
  tooLarge(): ProtocolError;
}

const uploadQuerySchema = z.object({
  name: z.string().min(1, 'name is the file name').max(1000),
  uploadId: idSchema,
});

const idParamsSchema = z.object({ id: idSchema });

/**
 * Served with every file: the browser must not guess another type (nosniff), and a file opened
 * on its own runs nothing and loads nothing (a sandboxed document with no sources at all).
 */
const DOWNLOAD_POLICY = "default-src 'none'; sandbox";

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` of a file of `size` bytes; null: not satisfiable. */
function parseRange(header: string, size: number): { start: number; end: number } | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '') || size === 0) return null;
  const [, from = '', to = ''] = match;
  if (from === '') {
    const suffix = Math.min(Number(to), size);
    return suffix === 0 ? null : { start: size - suffix, end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  return start > end ? null : { start, end };
}

/**
 * `Content-Disposition` of a stored file: `inline` for pictures and thumbnails, `attachment`
 * (a download, never shown in the page) for PDFs; an ASCII `filename` for old clients and the
 * real name as RFC 5987 `filename*`.
 */
export function contentDisposition(attachment: Attachment, part: 'file' | 'thumbnail'): string {
  const name =
    part === 'thumbnail'
      ? `${attachment.name.replace(/\.[^.]*$/, '')}-thumbnail.webp`
      : attachment.name;
  const kind = part === 'file' && attachment.type === 'application/pdf' ? 'attachment' : 'inline';
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Attachments over HTTP: the limits, uploads (the raw file as the body, read up to the size
 * limit and no further) and downloads (with the token of a reader allowed to have the file;
 * to anyone else it does not exist).
 */
export function attachmentRoutes(options: { auth: AuthService; files: AttachmentFiles }) {
  const { auth, files } = options;
  return async (app: ApiApp): Promise<void> => {
    app.get(ATTACHMENT_LIMITS_PATH, () => files.limits());

    // A scope of its own: its body parser and error answers apply to the upload alone.
    await app.register((uploads, _options, registered) => {
      // Any claimed type (or none): the content says what the file is, not the header.
      uploads.removeAllContentTypeParsers();
      uploads.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
        done(null, body);
      });
      uploads.setErrorHandler((error, _request, reply) => {
        if ((error as { code?: unknown }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
          const tooLarge = files.tooLarge();
          // The rest of the body is not read: the connection closes after this answer.
          return reply
            .status(413)
            .header('connection', 'close')
            .send({ error: { code: tooLarge.code, message: tooLarge.message } });
        }
        throw error;
      });
      uploads.post(
        ATTACHMENTS_PATH,
        {
          bodyLimit: files.limits().maxBytes,
          // Who is uploading, and whether it may now, is checked before the body is read.
          onRequest: async (request, reply) => {
            request.uploader = await auth.verify(bearerToken(request));
            const release = files.reserveUpload(request.uploader);
            // Closed when the answer is sent or the client gave up mid-upload.
            reply.raw.once('close', release);
          },
        },
        async (request, reply) => {
          const query = uploadQuerySchema.safeParse(request.query);
          if (!query.success) {
            throw new ProtocolError(
              'invalid_payload',
              'Send the file as the body, with ?name=<file name>&uploadId=<id>.',
            );
          }
          const content = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const uploader = request.uploader;
          if (uploader === undefined) throw new ProtocolError('unauthorized', 'Sign in first.');
          const { attachment, created } = await files.upload(uploader, {
            name: query.data.name,
            uploadId: query.data.uploadId,
            content,
          });
          request.log.info(
            { attachmentId: attachment.id, type: attachment.type, size: attachment.size, created },
            'attachment uploaded',
          );
          return reply.status(created ? 201 : 200).send({ attachment });
        },
      );
      registered();
    });

    const download = (part: 'file' | 'thumbnail') =>
      async function (request: FastifyRequest, reply: FastifyReply) {
        const reader = await auth.verify(bearerToken(request));
        const params = idParamsSchema.safeParse(request.params);
        const file = params.success ? await files.download(reader, params.data.id, part) : null;
        if (file === null) throw new ProtocolError('not_found', 'No such file.');
        const etag = `"${file.attachment.id}-${part}"`;
        void reply
          .header('content-type', file.contentType)
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', contentDisposition(file.attachment, part))
          .header('content-security-policy', DOWNLOAD_POLICY)
          // Kept by the browser only, and checked with the server on every use (a 304 when
          // unchanged): the next user of a shared browser must not read it from the cache.
          .header('cache-control', 'private, no-cache')
          .header('etag', etag)
          .header('accept-ranges', 'bytes');
        if (request.headers['if-none-match'] === etag) return reply.status(304).send();
        const rangeHeader = request.headers.range;
        if (rangeHeader !== undefined) {
          const range = parseRange(rangeHeader, file.size);
          if (range === null) {
            return reply.status(416).header('content-range', `bytes */${file.size}`).send();
          }
          return reply
            .status(206)
            .header('content-range', `bytes ${range.start}-${range.end}/${file.size}`)
            .header('content-length', range.end - range.start + 1)
            .send(file.open(range));
        }
        return reply.header('content-length', file.size).send(file.open());
      };
    app.get(`${ATTACHMENTS_PATH}/:id`, download('file'));
    app.get(`${ATTACHMENTS_PATH}/:id/thumbnail`, download('thumbnail'));
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in uploader of an attachment upload, checked before its body is read. */
    uploader?: SessionIdentity;
  }
}
