import {
  ATTACHMENT_LIMITS,
  ATTACHMENT_LIMITS_PATH,
  ProtocolError,
  attachmentLimitsSchema,
  errorBodySchema,
  type AttachmentLimits,
  type ErrorCode,
} from '@callcenter/shared';
import { englishTranslate, type Translate } from './language';

/** What the file pickers offer: the types the server keeps (HEIC it converts or refuses clearly). */
export const ATTACHMENT_ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,application/pdf';

/** The server's default `ATTACHMENT_MAX_BYTES`, used until the server has said its own. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = ATTACHMENT_LIMITS.defaultMaxBytes;

const UNITS = ['KB', 'MB', 'GB'] as const;

/** A size for people: "512 bytes", "340 KB", "12.5 MB" (binary multiples, as file managers). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${rounded} ${UNITS[unit] ?? 'GB'}`;
}

/** The picked file, as far as the early checks need it. */
export interface PickedFile {
  name: string;
  size: number;
  /** The browser's guess from the name (may be empty); the server reads the content instead. */
  type: string;
}

const ACCEPTED_TYPES = new Set(ATTACHMENT_ACCEPT.split(','));

/**
 * Why a picked file cannot be sent, before anything is uploaded: too large (the limit named), or
 * a type the server never keeps, in the app's words (`t`; English by default). Null when it may
 * go; the server still checks the content.
 */
export function attachmentProblem(
  file: PickedFile,
  maxBytes: number,
  t: Translate = englishTranslate,
): string | null {
  const name = file.name;
  if (file.size === 0) return t('attachment.empty', { name });
  if (file.size > maxBytes) return t('attachment.tooLarge', { name, limit: formatBytes(maxBytes) });
  // An empty type is an unknown extension: let the server read the content.
  if (file.type !== '' && !ACCEPTED_TYPES.has(file.type)) {
    return t('attachment.unsupported', { name });
  }
  return null;
}

/** Words for a refusal the server answered without its own (e.g. a proxy's bare 413). */
function fallbackCode(status: number): { code: ErrorCode; message: string } {
  if (status === 401) return { code: 'unauthorized', message: 'Not signed in.' };
  if (status === 403) return { code: 'forbidden', message: 'Not allowed to send files.' };
  if (status === 404) return { code: 'not_found', message: 'No such file.' };
  if (status === 413) return { code: 'too_large', message: 'The file is too large.' };
  if (status === 415) {
    return {
      code: 'unsupported_type',
      message: 'This kind of file cannot be sent: only JPEG, PNG, WebP pictures and PDF files.',
    };
  }
  if (status === 429) return { code: 'rate_limited', message: 'Too many files at once.' };
  if (status === 0 || status >= 500) {
    return { code: 'unavailable', message: 'The server cannot be reached.' };
  }
  return { code: 'invalid_payload', message: 'The server refused the file.' };
}

/**
 * The error of an attachment request that did not succeed, from its HTTP status and body: the
 * server's `{ error: { code, message } }` when it sent one (its message names the limit or the
 * accepted types), otherwise a wording of the status. Refusals (400, 413, 415) are final for
 * the outbox; a lost link or server trouble (`unavailable`) is tried again.
 */
export function attachmentRequestError(status: number, body: unknown): ProtocolError {
  const error =
    typeof body === 'object' && body !== null && 'error' in body
      ? errorBodySchema.safeParse(body.error)
      : undefined;
  if (error?.success && status !== 0) return new ProtocolError(error.data.code, error.data.message);
  const fallback = fallbackCode(status);
  // The server's wording even when its code is one this client does not know yet.
  const message =
    typeof body === 'object' &&
    body !== null &&
    'error' in body &&
    typeof body.error === 'object' &&
    body.error !== null &&
    'message' in body.error &&
    typeof body.error.message === 'string' &&
    status >= 400 &&
    status < 500
      ? body.error.message
      : fallback.message;
  return new ProtocolError(fallback.code, message);
}

/**
 * `GET /api/attachments/limits` (no token needed): the size limit to refuse early with. Null
 * when the server cannot be asked now (the app keeps the default and asks again later).
 */
export async function fetchAttachmentLimits(serverUrl: string): Promise<AttachmentLimits | null> {
  try {
    const response = await fetch(`${serverUrl}${ATTACHMENT_LIMITS_PATH}`);
    if (!response.ok) return null;
    const parsed = attachmentLimitsSchema.safeParse(await response.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
