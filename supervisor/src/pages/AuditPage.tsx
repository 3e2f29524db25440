import { useCallback, useEffect, useState } from 'react';
import { api, apiJson, errorText } from '../app/api';

/** One entry of the audit log, as the API answers it. */
interface AuditEntry {
  id: string;
  at: string;
  actor: { id: string; login: string; displayName: string };
  action: string;
  target: { kind: string; id: string; label: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

// What the console and the supervisors' actions record; the filter offers these.
const ACTIONS = [
  'agent.create',
  'agent.update',
  'agent.disable',
  'agent.enable',
  'agent.password',
  'agent.status',
  'customer.create',
  'customer.update',
  'customer.disable',
  'customer.enable',
  'customer.password',
  'supervisor.create',
  'supervisor.update',
  'supervisor.disable',
  'supervisor.enable',
  'supervisor.password',
  'canned.create',
  'canned.update',
  'canned.delete',
  'conversation.end',
  'conversation.transfer',
  'transcripts.export',
  'retention.update',
  'retention.run',
];

const PAGE_SIZE = 50;
/** How long an export may take to download in full. */
const EXPORT_TIMEOUT_MS = 10 * 60_000;

/** Where the next page starts: after the last entry shown. */
interface Cursor {
  before: string;
  beforeId: string;
}

function fieldsText(fields: Record<string, unknown> | null): string {
  if (fields === null) return '—';
  return Object.entries(fields)
    .map(([key, value]) => `${key}: ${value === null ? '(none)' : JSON.stringify(value)}`)
    .join('\n');
}

function sizeText(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** Downloads the whole log as a file, reading it as it streams, with progress in `onProgress`. */
async function download(format: 'csv' | 'json', onProgress: (text: string) => void): Promise<void> {
  // The whole log streams in; the usual request time-out would cut a long one.
  const response = await api(`/api/supervisor/audit/export?format=${format}`, {
    timeoutMs: EXPORT_TIMEOUT_MS,
  });
  const name =
    /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ??
    `audit.${format}`;
  const reader = response.body?.getReader();
  const parts: Uint8Array[] = [];
  let bytes = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      bytes += value.byteLength;
      onProgress(`Downloading ${name}… ${sizeText(bytes)}`);
    }
  }
  const blob = new Blob(parts as BlobPart[], {
    type: format === 'csv' ? 'text/csv' : 'application/json',
  });
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
  onProgress(`Downloaded ${name} (${sizeText(bytes)}).`);
}

/** The audit log: who changed what, when, before and after; newest first, exportable. */
export function AuditPage() {
  const [action, setAction] = useState('');
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<Cursor | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  const load = useCallback(
    (before: Cursor | null) => {
      setLoading(true);
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (action !== '') query.set('action', action);
      if (before !== null) {
        query.set('before', before.before);
        query.set('beforeId', before.beforeId);
      }
      apiJson<{ entries: AuditEntry[]; next: Cursor | null }>(
        `/api/supervisor/audit?${query.toString()}`,
      ).then(
        (answer) => {
          setEntries((shown) => (before === null ? answer.entries : [...shown, ...answer.entries]));
          setNext(answer.next);
          setLoading(false);
          setError(null);
        },
        (problem: unknown) => {
          setLoading(false);
          setError(errorText(problem));
        },
      );
    },
    [action],
  );

  useEffect(() => {
    load(null);
  }, [load]);

  const exportAs = (format: 'csv' | 'json') => {
    setExporting(true);
    setProgress(`Downloading the audit log as ${format.toUpperCase()}…`);
    download(format, setProgress).then(
      () => {
        setExporting(false);
      },
      (problem: unknown) => {
        setExporting(false);
        setProgress(null);
        setError(`The export failed: ${errorText(problem)}`);
      },
    );
  };

  return (
    <section className="panel" aria-labelledby="audit-title">
      <div className="section-head">
        <h2 id="audit-title">Audit log</h2>
        <label className="search">
          Action
          <select
            value={action}
            onChange={(event) => {
              setAction(event.target.value);
            }}
          >
            <option value="">All actions</option>
            {ACTIONS.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            load(null);
          }}
        >
          Refresh
        </button>
        <button
          type="button"
          disabled={exporting}
          onClick={() => {
            exportAs('csv');
          }}
        >
          Export CSV
        </button>
        <button
          type="button"
          disabled={exporting}
          onClick={() => {
            exportAs('json');
          }}
        >
          Export JSON
        </button>
      </div>
      <p role="status" className="muted">
        {progress}
      </p>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="table audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>
                <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
              </td>
              <td>
                {entry.actor.displayName} <span className="muted">({entry.actor.login})</span>
              </td>
              <td>{entry.action}</td>
              <td>
                {entry.target.kind} {entry.target.label}
              </td>
              <td className="fields">{fieldsText(entry.before)}</td>
              <td className="fields">{fieldsText(entry.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && !loading && <p className="muted">No entries.</p>}
      {next !== null && (
        <button
          type="button"
          className="secondary"
          disabled={loading}
          onClick={() => {
            load(next);
          }}
        >
          Load more
        </button>
      )}
    </section>
  );
}
