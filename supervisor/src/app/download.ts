import { dispositionName } from '../ui/format';
import { api } from './api';

/** How long an export may take to arrive in full (a large history streams for minutes). */
const EXPORT_TIMEOUT_MS = 30 * 60_000;

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Downloads an export of the supervisor API (`path`) as a file, reading it as it streams and
 * telling `onProgress` how far it got: "<during> name… 1.2 MB", then "<done> name (3.4 MB).".
 * The file is named as the server's Content-Disposition says, else `fallbackName`.
 */
export function downloadExport(
  path: string,
  format: 'csv' | 'json',
  fallbackName: string,
  words: { during: string; done: string },
  onProgress: (text: string) => void,
): Promise<void> {
  const type = format === 'csv' ? 'text/csv' : 'application/json';
  return downloadFile(path, type, fallbackName, words, onProgress);
}

/** As `downloadExport`, for any file of the server (`type`: what the saved Blob is). */
export async function downloadFile(
  path: string,
  type: string,
  fallbackName: string,
  words: { during: string; done: string },
  onProgress: (text: string) => void,
): Promise<void> {
  const response = await api(path, { timeoutMs: EXPORT_TIMEOUT_MS });
  const name = dispositionName(response.headers.get('content-disposition')) ?? fallbackName;
  const reader = response.body?.getReader();
  const parts: Uint8Array[] = [];
  let bytes = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      bytes += value.byteLength;
      onProgress(`${words.during} ${name}… ${sizeText(bytes)}`);
    }
  }
  const blob = new Blob(parts as BlobPart[], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
  onProgress(`${words.done} ${name} (${sizeText(bytes)}).`);
}
