// The attachment pieces both apps show (issue 16): the Attach button, a message's picture or
// file, the full-size viewer and an unsent file with its upload's progress. Each app provides
// where the bytes come from and how it reports a failed download (`AttachmentSourcesProvider`);
// the words come from the app's i18next instance (the client core's `attachment.*` keys).
import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useState,
  type ChangeEvent,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { Attachment } from '@callcenter/shared';
import { ATTACHMENT_ACCEPT, attachmentProblem, formatBytes } from '../attachments';
import {
  saveBlob,
  uploadPercent,
  type AttachmentFiles,
  type AttachmentVariant,
  type UploadProgress,
} from '../files';

/** What the attachment pieces need from the app around them. */
export interface AttachmentSources {
  /** The session's files: fetched with its token, kept as object URLs. */
  files: Pick<AttachmentFiles, 'url' | 'blob'>;
  /** Upload progress by the unsent message's client message id. */
  uploads: UploadProgress;
  /** A file could not be downloaded: the app says so in its own notices. */
  downloadFailed: (name: string) => void;
  /** The class of the app's plain small buttons (the viewer's Close). */
  buttonClassName?: string;
}

const AttachmentSourcesContext = createContext<AttachmentSources | null>(null);

export function AttachmentSourcesProvider({
  sources,
  children,
}: {
  sources: AttachmentSources;
  children: ReactNode;
}) {
  return <AttachmentSourcesContext value={sources}>{children}</AttachmentSourcesContext>;
}

function useAttachmentSources(): AttachmentSources {
  const sources = useContext(AttachmentSourcesContext);
  if (sources === null) throw new Error('attachments are shown inside AttachmentSourcesProvider');
  return sources;
}

/**
 * The composer's Attach button: a real button opening a hidden file input. A file too large (or
 * of a kind the server never keeps) is refused here with the limit named (`onProblem`); the rest
 * goes to `onFile`.
 */
export function AttachButton({
  label,
  text,
  maxBytes,
  disabled = false,
  className,
  iconSize,
  onProblem,
  onFile,
}: {
  /** The button's accessible name. */
  label: string;
  /** Words shown next to the paper clip (none: the icon alone). */
  text?: string;
  maxBytes: number;
  disabled?: boolean;
  className: string;
  iconSize: number;
  onProblem: (problem: string | null) => void;
  onFile: (file: File) => void;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // The same file may be picked again after a refusal.
    event.target.value = '';
    if (file === undefined) return;
    const problem = attachmentProblem(file, maxBytes, t);
    onProblem(problem);
    if (problem === null) onFile(file);
  };
  return (
    <>
      <button
        type="button"
        className={className}
        aria-label={label}
        title={t('attachment.attachTitle', { limit: formatBytes(maxBytes) })}
        disabled={disabled}
        onClick={() => input.current?.click()}
      >
        <PaperclipIcon size={iconSize} />
        {text}
      </button>
      <input
        ref={input}
        type="file"
        className="visually-hidden"
        accept={ATTACHMENT_ACCEPT}
        tabIndex={-1}
        aria-hidden="true"
        // Reached through the button above; named like it for any tool that lists inputs.
        aria-label={label}
        onChange={picked}
      />
    </>
  );
}

function PaperclipIcon({ size }: { size: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
      />
    </svg>
  );
}

/** An object URL of the attachment (or its thumbnail), fetched with the session's token. */
type Loaded = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; url: string };

function useAttachmentUrl(id: string, variant: AttachmentVariant): Loaded {
  const { files } = useAttachmentSources();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    files.url(id, variant).then(
      (objectUrl) => {
        if (live) setLoaded({ state: 'ready', url: objectUrl });
      },
      (error: unknown) => {
        console.warn('could not load the attachment', error);
        if (live) setLoaded({ state: 'failed' });
      },
    );
    return () => {
      live = false;
    };
  }, [files, id, variant]);
  return loaded;
}

/** A stored message's file: a thumbnail that opens the picture, or a card that downloads. */
export function AttachmentView({ attachment }: { attachment: Attachment }) {
  return attachment.type === 'application/pdf' || !attachment.hasThumbnail ? (
    <FileCard attachment={attachment} />
  ) : (
    <ImageThumbnail attachment={attachment} />
  );
}

function ImageThumbnail({ attachment }: { attachment: Attachment }) {
  const { t } = useTranslation();
  const thumbnail = useAttachmentUrl(attachment.id, 'thumbnail');
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={opener}
        type="button"
        className="attachment-thumb"
        title={t('attachment.openFullSize')}
        onClick={() => {
          setOpen(true);
        }}
      >
        {thumbnail.state === 'ready' ? (
          <img
            src={thumbnail.url}
            alt={attachment.name}
            width={attachment.width}
            height={attachment.height}
          />
        ) : (
          <span className="attachment-placeholder">
            {thumbnail.state === 'failed'
              ? t('attachment.notAvailable', { name: attachment.name })
              : attachment.name}
          </span>
        )}
      </button>
      {open && (
        <ImageViewer
          attachment={attachment}
          onClose={() => {
            setOpen(false);
            opener.current?.focus();
          }}
        />
      )}
    </>
  );
}

/** The picture full size, over the chat; Escape or Close goes back. */
function ImageViewer({ attachment, onClose }: { attachment: Attachment; onClose: () => void }) {
  const { t } = useTranslation();
  const { buttonClassName } = useAttachmentSources();
  const file = useAttachmentUrl(attachment.id, 'file');
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
  }, []);
  return (
    <div
      className="image-viewer"
      role="dialog"
      aria-modal="true"
      aria-label={attachment.name}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <div className="image-viewer-bar">
        <bdi className="image-viewer-name">{attachment.name}</bdi>
        <button ref={close} type="button" className={buttonClassName} onClick={onClose}>
          {t('attachment.close')}
        </button>
      </div>
      {file.state === 'loading' ? (
        <p className="image-viewer-status" role="status">
          {t('attachment.loading')}
        </p>
      ) : file.state === 'failed' ? (
        <p className="image-viewer-status" role="alert">
          {t('attachment.cannotShow')}
        </p>
      ) : (
        <img src={file.url} alt={attachment.name} />
      )}
    </div>
  );
}

function FileCard({ attachment }: { attachment: Attachment }) {
  const { t } = useTranslation();
  const { files, downloadFailed } = useAttachmentSources();
  const [busy, setBusy] = useState(false);
  const download = () => {
    setBusy(true);
    files
      .blob(attachment.id)
      .then((blob) => {
        saveBlob(blob, attachment.name);
      })
      .catch((error: unknown) => {
        console.warn('could not download the attachment', error);
        downloadFailed(attachment.name);
      })
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <button
      type="button"
      className="file-card"
      aria-label={t('attachment.download', {
        name: attachment.name,
        size: formatBytes(attachment.size),
      })}
      disabled={busy}
      onClick={download}
    >
      <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path
          d="M6 2.5h8l4.5 4.5v14.5H6z M14 2.5V7h4.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
          strokeLinejoin="round"
        />
      </svg>
      <span className="file-card-text">
        <bdi className="file-card-name">{attachment.name}</bdi>
        <span className="file-card-size">
          {busy
            ? t('attachment.downloading')
            : t('attachment.pdfSize', { size: formatBytes(attachment.size) })}
        </span>
      </span>
    </button>
  );
}

/** Pictures the browser can show before they are sent (HEIC it usually cannot). */
const PREVIEWABLE = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** An object URL of a picture not sent yet, revoked when it is no longer shown. */
function usePreviewUrl(file: unknown): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!(file instanceof Blob) || !PREVIEWABLE.has(file.type)) return;
    const objectUrl = URL.createObjectURL(file);
    setUrl(objectUrl);
    return () => {
      URL.revokeObjectURL(objectUrl);
      setUrl(null);
    };
  }, [file]);
  return url;
}

/** An unsent file: its name and size, and how much of it is uploaded. */
export function PendingFile({
  clientMsgId,
  name,
  size,
  file,
  sending,
}: {
  clientMsgId: string;
  name: string;
  size: number;
  /** The bytes on this device: a picture is shown from them until it is sent. */
  file: unknown;
  /** On its way (not waiting for a connection, not refused). */
  sending: boolean;
}) {
  const { t } = useTranslation();
  const { uploads } = useAttachmentSources();
  const progress = useStore(uploads, (view) => view.progress.get(clientMsgId));
  const percent = uploadPercent(progress);
  const preview = usePreviewUrl(file);
  return (
    <span className="pending-file">
      {/* Decorative: the name below says what it is. */}
      {preview !== null && <img className="pending-preview" src={preview} alt="" />}
      <bdi className="file-card-name">{name}</bdi>
      <span className="file-card-size">{formatBytes(size)}</span>
      {sending && (
        <span
          className="upload-bar"
          role="progressbar"
          aria-label={t('attachment.uploading', { name })}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <span className="upload-bar-fill" style={{ width: `${percent}%` }} />
        </span>
      )}
    </span>
  );
}
