import { useCallback, useEffect, useState } from 'react';
import { apiJson, errorText } from '../app/api';
import { downloadExport } from '../app/download';
import { ErrorAlert } from '../ui/ErrorAlert';

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

/** Downloads the whole log as a file, with progress in `onProgress`. */
function download(format: 'csv' | 'json', onProgress: (text: string) => void): Promise<void> {
  return downloadExport(
    `/api/supervisor/audit/export?format=${format}`,
    format,
    `audit.${format}`,
    { during: 'Downloading', done: 'Downloaded' },
    onProgress,
  );
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
      <ErrorAlert message={error} />
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
