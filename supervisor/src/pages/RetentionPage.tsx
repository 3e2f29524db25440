import { useEffect, useState, type SyntheticEvent } from 'react';
import { apiJson, errorText } from '../app/api';
import { ErrorAlert } from '../ui/ErrorAlert';

interface RetentionReport {
  at: string;
  cutoff: string;
  removedConversations: number;
  removedMessages: number;
}

interface RetentionSettings {
  days: number | null;
  updatedAt: string | null;
  updatedBy: { displayName: string } | null;
  lastRun: RetentionReport | null;
}

type RunAnswer = { ran: true; report: RetentionReport } | { ran: false; message: string };

function reportText(report: RetentionReport): string {
  return (
    `${new Date(report.at).toLocaleString()}: removed ${report.removedConversations} ` +
    `conversations and ${report.removedMessages} messages that ended before ` +
    `${new Date(report.cutoff).toLocaleString()}.`
  );
}

/** Admins: how many days ended conversations are kept, and a run now. */
export function RetentionPage() {
  const [settings, setSettings] = useState<RetentionSettings | null>(null);
  const [days, setDays] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const show = (loaded: RetentionSettings) => {
    setSettings(loaded);
    setDays(loaded.days === null ? '' : String(loaded.days));
  };

  useEffect(() => {
    apiJson<RetentionSettings>('/api/supervisor/retention').then(show, (problem: unknown) => {
      setError(errorText(problem));
    });
  }, []);

  const save = (event: SyntheticEvent) => {
    event.preventDefault();
    const value = days.trim() === '' ? null : Number(days);
    if (value !== null && (!Number.isInteger(value) || value < 1 || value > 3650)) {
      setError('Days must be a whole number from 1 to 3650, or empty to keep everything.');
      return;
    }
    setBusy(true);
    setError(null);
    apiJson<RetentionSettings>('/api/supervisor/retention', {
      method: 'PUT',
      body: { days: value },
    }).then(
      (saved) => {
        show(saved);
        setStatus(value === null ? 'Saved: conversations are kept.' : `Saved: ${value} days.`);
        setBusy(false);
      },
      (problem: unknown) => {
        setError(errorText(problem));
        setBusy(false);
      },
    );
  };

  const runNow = () => {
    setBusy(true);
    setError(null);
    setStatus('Running…');
    apiJson<RunAnswer>('/api/supervisor/retention/run', { method: 'POST', body: {} })
      .then((answer) => {
        setStatus(answer.ran ? `Done. ${reportText(answer.report)}` : answer.message);
        return apiJson<RetentionSettings>('/api/supervisor/retention').then(show);
      })
      .catch((problem: unknown) => {
        setStatus(null);
        setError(errorText(problem));
      })
      .finally(() => {
        setBusy(false);
      });
  };

  return (
    <section className="page" aria-labelledby="retention-title">
      <h2 id="retention-title">Retention</h2>
      <form className="panel" onSubmit={save} aria-label="Retention setting">
        <p className="muted">
          Ended conversations older than this, and their messages, are removed by a scheduled job.
          Leave empty to keep everything. Active conversations are never removed.
        </p>
        <label>
          Keep ended conversations for (days)
          <input
            type="number"
            min={1}
            max={3650}
            step={1}
            value={days}
            // Editable once the setting is loaded: its arrival would overwrite what was typed.
            disabled={settings === null}
            onChange={(event) => {
              setDays(event.target.value);
            }}
          />
        </label>
        <button type="submit" disabled={busy || settings === null}>
          Save
        </button>
        <button
          type="button"
          className="secondary"
          disabled={busy || settings?.days === null}
          onClick={runNow}
        >
          Run now
        </button>
        {settings?.updatedBy && settings.updatedAt && (
          <p className="muted">
            Last changed by {settings.updatedBy.displayName},{' '}
            {new Date(settings.updatedAt).toLocaleString()}.
          </p>
        )}
      </form>
      {status && <p role="status">{status}</p>}
      <ErrorAlert message={error} />
      <div className="panel">
        <h3>Last run</h3>
        <p>{settings?.lastRun ? reportText(settings.lastRun) : 'Not run yet.'}</p>
      </div>
    </section>
  );
}
