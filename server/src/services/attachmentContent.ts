import { fileTypeFromBuffer } from 'file-type';
import sharp, { type OutputInfo, type Sharp, type SharpOptions } from 'sharp';
import { ATTACHMENT_LIMITS, ProtocolError, type AttachmentType } from '@callcenter/shared';
import { HeicTooLargeError, type HeicDecoder } from './heicDecoder';

// What an uploaded file is, read from its bytes (never its name or the claimed Content-Type),
// and what is kept of it: pictures decoded and encoded again, which drops everything but the
// pixels (EXIF with GPS, XMP, comments, a script or page appended to the image); PDFs as sent,
// served only as downloads.

/** What the server keeps of an accepted upload. */
export interface AcceptedContent {
  type: AttachmentType;
  content: Buffer;
  /** Pictures: upright size in pixels. */
  width: number | null;
  height: number | null;
  /** Pictures: a WebP at most ATTACHMENT_LIMITS.thumbnailMaxSide on its longer side. */
  thumbnail: Buffer | null;
}

/**
 * Pixels a picture may have before it is decoded: a 10 MB PNG can claim 2^31 pixels, and each
 * costs 4 bytes of memory. 50 MP covers the largest phone photos.
 */
export const MAX_INPUT_PIXELS = 50_000_000;

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

/** The wording of a refusal names what is accepted, so a person knows what to send instead. */
export const ACCEPTED_WORDING = 'JPEG, PNG or WebP pictures, HEIC photos, or PDF documents';

function unsupported(what: string): ProtocolError {
  return new ProtocolError(
    'unsupported_type',
    `${what} cannot be sent. Files can be ${ACCEPTED_WORDING}.`,
  );
}

const PICTURE_TYPES = new Set<string>(['image/jpeg', 'image/png', 'image/webp']);
const HEIC_TYPES = new Set<string>([
  'image/heic',
  'image/heif',
  'image/heic-sequence',
  'image/heif-sequence',
]);

/** Names for what people most often try to send, in the refusal. */
const KNOWN_NAMES: Record<string, string> = {
  'image/gif': 'A GIF',
  'image/avif': 'An AVIF picture',
  'image/tiff': 'A TIFF picture',
  'image/bmp': 'A BMP picture',
  'application/zip': 'A ZIP archive',
  'application/x-msdownload': 'A program',
  'application/x-elf': 'A program',
  'video/mp4': 'A video',
  'video/quicktime': 'A video',
};

/**
 * Reads an upload and answers what to keep, or throws `unsupported_type` (what it is named,
 * with the accepted types), `too_large` (a picture of too many pixels) or `invalid_payload`.
 */
export async function acceptContent(
  upload: Buffer,
  heic: HeicDecoder | null,
): Promise<AcceptedContent> {
  if (upload.length === 0) throw new ProtocolError('invalid_payload', 'The file is empty.');
  // A PDF begins with its header; anything else that merely contains one is not a PDF.
  if (upload.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
    return { type: 'application/pdf', content: upload, width: null, height: null, thumbnail: null };
  }
  const detected = await fileTypeFromBuffer(upload);
  const mime = detected?.mime ?? '';
  if (PICTURE_TYPES.has(mime)) {
    return reencodePicture(sharp(upload, decodeOptions), mime as PictureType, true);
  }
  if (HEIC_TYPES.has(mime)) {
    if (heic === null) {
      throw new ProtocolError(
        'unsupported_type',
        'HEIC photos are not supported yet; send it as JPEG (on an iPhone: Settings > Camera > Formats > Most Compatible), or as a screenshot.',
      );
    }
    let pixels: Awaited<ReturnType<HeicDecoder>>;
    try {
      pixels = await heic(upload);
    } catch (error) {
      if (error instanceof HeicTooLargeError) throw tooManyPixels();
      throw unsupported('This HEIC photo could not be read; it');
    }
    const raw = sharp(pixels.data, {
      raw: { width: pixels.width, height: pixels.height, channels: 4 },
      limitInputPixels: MAX_INPUT_PIXELS,
    });
    // libheif has already turned it upright (HEIF's own rotation); it has no EXIF left.
    return reencodePicture(raw, 'image/jpeg', false);
  }
  throw unsupported(KNOWN_NAMES[mime] ?? 'This kind of file');
}

type PictureType = 'image/jpeg' | 'image/png' | 'image/webp';

const decodeOptions: SharpOptions = {
  limitInputPixels: MAX_INPUT_PIXELS,
  // Only the first frame of an animation; a slightly damaged photo still opens.
  animated: false,
  failOn: 'error',
};

function tooManyPixels(): ProtocolError {
  return new ProtocolError(
    'too_large',
    `The picture has more than ${MAX_INPUT_PIXELS / 1_000_000} million pixels; send a smaller one.`,
  );
}

async function reencodePicture(
  image: Sharp,
  type: PictureType,
  orientFromExif: boolean,
): Promise<AcceptedContent> {
  const side = ATTACHMENT_LIMITS.imageMaxSide;
  // Turned upright by its EXIF orientation first: the metadata that said so is not kept.
  const upright = orientFromExif ? image.rotate() : image;
  const resized = upright.resize({
    width: side,
    height: side,
    fit: 'inside',
    withoutEnlargement: true,
  });
  // No withMetadata(): sharp writes none of the input's EXIF, XMP, IPTC or comments.
  const encoded =
    type === 'image/jpeg'
      ? resized.jpeg({ quality: 85 })
      : type === 'image/png'
        ? resized.png({ compressionLevel: 8 })
        : resized.webp({ quality: 85 });
  let result: { data: Buffer; info: OutputInfo };
  try {
    result = await encoded.toBuffer({ resolveWithObject: true });
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) throw tooManyPixels();
    throw unsupported('This picture could not be read; it');
  }
  const thumbnail = await sharp(result.data)
    .resize({
      width: ATTACHMENT_LIMITS.thumbnailMaxSide,
      height: ATTACHMENT_LIMITS.thumbnailMaxSide,
      fit: 'inside',
      withoutEnlargement: true,
    })
    .webp({ quality: 70 })
    .toBuffer();
  return {
    type,
    content: result.data,
    width: result.info.width,
    height: result.info.height,
    thumbnail,
  };
}

const EXTENSIONS: Record<AttachmentType, readonly [string, ...string[]]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
};

/** Controls, line and paragraph separators, bidi embeddings, overrides and isolates. */
const UNSAFE_IN_NAME = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\uFEFF]/gu;

/**
 * A file name safe to store and to show: no folders, no control or bidi characters, no leading
 * dots, at most ATTACHMENT_LIMITS.nameLength characters, ending in the extension of the type
 * the content has (a PDF named `photo.jpg` becomes `photo.pdf`).
 */
export function safeAttachmentName(raw: string, type: AttachmentType): string {
  const lastPart = raw.split(/[/\\]/).pop() ?? '';
  const name = lastPart
    .normalize('NFC')
    .replace(UNSAFE_IN_NAME, '')
    .trim()
    .replace(/^[.\s]+/, '');
  const extensions = EXTENSIONS[type];
  // An extension of its own is kept when it fits the content; another one (`.jpg` on a PDF,
  // `.heic` on the JPEG it became) is replaced.
  const match = /^(.*)\.([A-Za-z0-9]{1,5})$/.exec(name);
  const extension = match?.[2]?.toLowerCase() ?? '';
  const ending = `.${extensions.includes(extension) ? extension : extensions[0]}`;
  let stem = (match?.[1] ?? name).trim();
  if (stem === '') stem = type === 'application/pdf' ? 'document' : 'picture';
  // Cut by code points, so that no surrogate pair is split.
  const room = ATTACHMENT_LIMITS.nameLength - ending.length;
  const codePoints = Array.from(stem);
  if (codePoints.length > room) stem = codePoints.slice(0, room).join('').trim();
  return `${stem}${ending}`;
}
