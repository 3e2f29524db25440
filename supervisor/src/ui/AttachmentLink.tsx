import { useState } from 'react';
import { ATTACHMENTS_PATH, type Attachment } from '@callcenter/shared';
import { errorText } from '../app/api';
import { downloadFile, sizeText } from '../app/download';

/**
 * A file in a conversation, as a supervisor reads it: its name, type and size, and Download
 * (fetched with the supervisor's token: the server serves files to the conversation's parties
 * and to supervisors only), with how far the download got.
 */
export function AttachmentLink({ attachment }: { attachment: Attachment }) {
  const [progress, setProgress] = useState<string | null>(null);
  const kind = attachment.type === 'application/pdf' ? 'PDF' : 'Picture';
  return (
    <span className="attachment-link">
      <span>
        📎 {kind}: <bdi>{attachment.name}</bdi> ({sizeText(attachment.size)})
      </span>{' '}
      <button
        type="button"
        className="link"
        aria-label={`Download ${attachment.name}`}
        onClick={() => {
          downloadFile(
            `${ATTACHMENTS_PATH}/${encodeURIComponent(attachment.id)}`,
            attachment.type,
            attachment.name,
            { during: 'Downloading', done: 'Downloaded' },
            setProgress,
          ).catch((error: unknown) => {
            setProgress(errorText(error));
          });
        }}
      >
        Download
      </button>
      {progress !== null && (
        <span className="muted" role="status">
          {' '}
          {progress}
        </span>
      )}
    </span>
  );
}
