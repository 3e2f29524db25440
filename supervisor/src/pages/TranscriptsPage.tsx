import { useState, type SyntheticEvent } from 'react';
import type { ChatMessage } from '@callcenter/shared';
import { englishTranslate, noticeText } from '@callcenter/client';
import { apiJson, errorText } from '../app/api';
import { downloadExport } from '../app/download';
import { ErrorAlert } from '../ui/ErrorAlert';
import { AttachmentLink } from '../ui/AttachmentLink';

interface TranscriptItem {
  id: string;
  customer: { id: string; displayName: string | null; login: string | null };
  agent: { id: string; displayName: string | null };
  status: 'active' | 'ended';
  startedAt: string;
  endedAt: string | null;
  endReason: string | null;
  rating: { score: number; comment: string | null } | { skipped: true } | null;
  messageCount?: number;
}

interface TranscriptMessage {
  id: string;
  seq: number;
  sender: ChatMessage['sender'];
  text: string;
  createdAt: string;
  call?: ChatMessage['call'];
  notice?: ChatMessage['notice'];
  attachment?: ChatMessage['attachment'];
}

interface Filters {
  customer: string;
  agent: string;
  from: string;
  to: string;
  q: string;
}

const NO_FILTERS: Filters = { customer: '', agent: '', from: '', to: '', q: '' };

/** The query string of the filters (dates from the form's local day, sent as instants). */
function queryOf(filters: Filters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.customer.trim()) query.set('customer', filters.customer.trim());
  if (filters.agent.trim()) query.set('agent', filters.agent.trim());
  if (filters.q.trim()) query.set('q', filters.q.trim());
  if (filters.from) query.set('from', new Date(`${filters.from}T00:00:00`).toISOString());
  if (filters.to) {
    // "To" is a whole day: everything started before the next day's midnight.
    const end = new Date(`${filters.to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    query.set('to', end.toISOString());
  }
  return query;
}

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

function ratingText(rating: TranscriptItem['rating']): string {
  if (!rating) return '—';
  return 'skipped' in rating ? 'Skipped' : `${rating.score}/5`;
}

/** Downloads the export of `query` as a file, with progress in `onProgress`. */
function download(
  format: 'csv' | 'json',
  query: URLSearchParams,
  onProgress: (text: string) => void,
): Promise<void> {
  const params = new URLSearchParams(query);
  params.set('format', format);
  return downloadExport(
    `/api/supervisor/transcripts/export?${params.toString()}`,
    format,
    `transcripts.${format}`,
    { during: 'Exporting', done: 'Exported' },
    onProgress,
  );
}

/** Stored conversations: search, read one, export what the search finds. */
export function TranscriptsPage() {
  const [form, setForm] = useState<Filters>(NO_FILTERS);
  const [searched, setSearched] = useState<URLSearchParams | null>(null);
  const [items, setItems] = useState<TranscriptItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<{
    conversation: TranscriptItem;
    messages: TranscriptMessage[];
  } | null>(null);
  const [exporting, setExporting] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);

  const load = (query: URLSearchParams, before: string | null) => {
    setLoading(true);
    setError(null);
    const params = new URLSearchParams(query);
    if (before) params.set('before', before);
    apiJson<{ items: TranscriptItem[]; next: string | null }>(
      `/api/supervisor/transcripts?${params.toString()}`,
    ).then(
      (page) => {
        setItems((shown) => (before ? [...shown, ...page.items] : page.items));
        setNext(page.next);
        setSearched(query);
        setLoading(false);
      },
      (problem: unknown) => {
        setError(errorText(problem));
        setLoading(false);
      },
    );
  };

  const search = (event: SyntheticEvent) => {
    event.preventDefault();
    load(queryOf(form), null);
  };

  const open = (id: string) => {
    setError(null);
    apiJson<{ conversation: TranscriptItem; messages: TranscriptMessage[] }>(
      `/api/supervisor/transcripts/${encodeURIComponent(id)}`,
    ).then(setOpened, (problem: unknown) => {
      setError(errorText(problem));
    });
  };

  const exportAs = (format: 'csv' | 'json') => {
    setExporting(true);
    setError(null);
    setProgress(`Exporting as ${format.toUpperCase()}…`);
    download(format, searched ?? queryOf(form), setProgress).then(
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

  const field = (name: keyof Filters, label: string, type = 'text') => (
    <label>
      {label}
      <input
        type={type}
        name={name}
        value={form[name]}
        maxLength={200}
        onChange={(event) => {
          setForm({ ...form, [name]: event.target.value });
        }}
      />
    </label>
  );

  return (
    <section className="page transcripts" aria-labelledby="transcripts-title">
      <h2 id="transcripts-title">Transcripts</h2>
      <form className="panel transcript-search" onSubmit={search} aria-label="Search transcripts">
        {field('customer', 'Customer')}
        {field('agent', 'Agent')}
        {field('from', 'From', 'date')}
        {field('to', 'To', 'date')}
        {field('q', 'Text')}
        <button type="submit" disabled={loading}>
          Search
        </button>
        <button
          type="button"
          className="secondary"
          disabled={exporting}
          onClick={() => {
            exportAs('csv');
          }}
        >
          Export CSV
        </button>
        <button
          type="button"
          className="secondary"
          disabled={exporting}
          onClick={() => {
            exportAs('json');
          }}
        >
          Export JSON
        </button>
      </form>
      {progress && (
        <p className="muted" role="status">
          {progress}
        </p>
      )}
      <ErrorAlert message={error} />
      {searched && (
        <div className="panel">
          {items.length === 0 ? (
            <p className="muted">No conversations match.</p>
          ) : (
            <table className="table" aria-label="Conversations found">
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Customer</th>
                  <th scope="col">Agent</th>
                  <th scope="col">Ended</th>
                  <th scope="col">Messages</th>
                  <th scope="col">Rating</th>
                  <th scope="col">
                    <span className="visually-hidden">Open</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.id}>
                    <td>{when(item.startedAt)}</td>
                    <td>{item.customer.displayName ?? item.customer.id}</td>
                    <td>{item.agent.displayName ?? item.agent.id}</td>
                    <td>{item.status === 'active' ? 'Active' : when(item.endedAt)}</td>
                    <td>{item.messageCount ?? '—'}</td>
                    <td>{ratingText(item.rating)}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        onClick={() => {
                          open(item.id);
                        }}
                      >
                        Open
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {next && (
            <button
              type="button"
              className="secondary"
              disabled={loading}
              onClick={() => {
                load(searched, next);
              }}
            >
              Load more
            </button>
          )}
        </div>
      )}
      {opened && (
        <article className="panel transcript" aria-label="Transcript">
          <header className="watch-header">
            <h3>
              {opened.conversation.customer.displayName ?? opened.conversation.customer.id} with{' '}
              {opened.conversation.agent.displayName ?? opened.conversation.agent.id}
            </h3>
            <p className="muted">
              {when(opened.conversation.startedAt)} – {when(opened.conversation.endedAt)}
            </p>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setOpened(null);
              }}
            >
              Close
            </button>
          </header>
          <ol className="watch-messages" aria-label="Messages">
            {opened.messages.map((message) => (
              <li
                key={message.id}
                className={`message from-${message.notice ? 'server' : message.sender.role}`}
              >
                {message.notice ? (
                  <p className="notice">
                    {noticeText(message as unknown as ChatMessage, 'agent', englishTranslate)}
                  </p>
                ) : (
                  <>
                    <p className="message-meta">
                      {message.sender.displayName} · {when(message.createdAt)}
                    </p>
                    <p className="message-text">
                      {message.call ? 'Voice call event' : message.text}
                    </p>
                    {message.attachment && <AttachmentLink attachment={message.attachment} />}
                  </>
                )}
              </li>
            ))}
            {opened.messages.length === 0 && <li className="muted">No messages.</li>}
          </ol>
        </article>
      )}
    </section>
  );
}
