import { z } from 'zod';

// Files sent in a chat: pictures and PDFs. A client uploads the file over HTTP first
// (`POST /api/attachments`), then sends a message naming it (`attachmentId` on `message.send`).
// The server reads the type from the content, re-encodes pictures (no EXIF, no GPS) and serves
// the file only to the conversation's parties and supervisors. See docs/protocol.md 3.8.

/** The types the server keeps; a HEIC photo is converted to JPEG (or refused clearly). */
export const ATTACHMENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'application/pdf',
] as const;
export const attachmentTypeSchema = z.enum(ATTACHMENT_TYPES);
export type AttachmentType = z.infer<typeof attachmentTypeSchema>;

/** Limits a client can check before uploading; the size limit is the server's (see `GET /api/attachments/limits`). */
export const ATTACHMENT_LIMITS = {
  /** The server's default `ATTACHMENT_MAX_BYTES`. */
  defaultMaxBytes: 10 * 1024 * 1024,
  /** A file name is cut to this many characters (its extension kept). */
  nameLength: 120,
  /** Longest side of a stored picture, in pixels; larger ones are scaled down. */
  imageMaxSide: 4096,
  /** Longest side of a thumbnail, in pixels. */
  thumbnailMaxSide: 320,
} as const;

/** A file as both parties see it in a message (and as the upload answers it). */
export const attachmentSchema = z.object({
  id: z.string().min(1),
  /** The uploader's file name, made safe: no folders, control or bidi characters; at most 120 characters. */
  name: z.string(),
  /** From the content, never the name; what the server serves it as. */
  type: attachmentTypeSchema,
  /** Bytes of the stored file (after a picture's re-encoding). */
  size: z.number().int().nonnegative(),
  /** Pictures: the stored size in pixels, upright. */
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  /** Pictures have one (`GET /api/attachments/:id/thumbnail`); PDFs do not. */
  hasThumbnail: z.boolean(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/** `POST /api/attachments` answers `201 { attachment }` (and the same again for a repeated uploadId). */
export const attachmentUploadResultSchema = z.object({ attachment: attachmentSchema });
export type AttachmentUploadResult = z.infer<typeof attachmentUploadResultSchema>;

/** `GET /api/attachments/limits` (no token needed): what a client may upload. */
export const attachmentLimitsSchema = z.object({
  /** Largest file accepted, in bytes (`ATTACHMENT_MAX_BYTES`). */
  maxBytes: z.number().int().positive(),
  types: z.array(attachmentTypeSchema),
  /** HEIC/HEIF photos are converted to JPEG; false: refused with `unsupported_type`. */
  heicConverted: z.boolean(),
});
export type AttachmentLimits = z.infer<typeof attachmentLimitsSchema>;

/** Where a client uploads (POST, `?name=&uploadId=`). */
export const ATTACHMENTS_PATH = '/api/attachments';
export const ATTACHMENT_LIMITS_PATH = '/api/attachments/limits';

/** Where a client fetches a file (GET, with `Authorization: Bearer`). */
export function attachmentPath(id: string): string {
  return `${ATTACHMENTS_PATH}/${encodeURIComponent(id)}`;
}

/** Where a client fetches a picture's thumbnail (GET, with `Authorization: Bearer`). */
export function attachmentThumbnailPath(id: string): string {
  return `${attachmentPath(id)}/thumbnail`;
}
