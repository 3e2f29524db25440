import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type SyntheticEvent,
  type ReactNode,
} from 'react';
import { MAX_AGENT_CAPACITY, TIERS } from '@callcenter/shared';
import { apiJson, errorText } from '../app/api';
import { ErrorAlert } from '../ui/ErrorAlert';

type Kind = 'agent' | 'customer' | 'supervisor';

const PLURAL: Record<Kind, string> = {
  agent: 'agents',
  customer: 'customers',
  supervisor: 'supervisors',
};
const TITLE: Record<Kind, string> = {
  agent: 'Agent',
  customer: 'Customer',
  supervisor: 'Supervisor',
};

/** An account as the admin API lists it (never a password hash). */
interface AccountRow {
  id: string;
  login: string;
  displayName: string;
  email: string | null;
  disabled: boolean;
  capacity?: number;
  admin?: boolean;
  tier?: string;
  phone?: string | null;
  company?: string | null;
  notes?: string | null;
  live?: { status: string | null; conversations: number };
}

interface CannedRow {
  id: string;
  shortcut: string;
  title: string;
  text: string;
}

/** A modal `<dialog>`, open while mounted; Escape or Close calls `onClose`. */
function Dialog(props: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { onClose } = props;
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    const cancel = (event: Event) => {
      event.preventDefault();
      onClose();
    };
    dialog?.addEventListener('cancel', cancel);
    return () => {
      dialog?.removeEventListener('cancel', cancel);
      if (dialog?.open) dialog.close();
    };
  }, [onClose]);
  return (
    <dialog ref={ref} className="admin-dialog" aria-labelledby={titleId}>
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

/** A new or reset password, shown once, with a copy button. */
function PasswordDialog(props: { login: string; password: string; onClose: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <Dialog title={`New password for ${props.login}`} onClose={props.onClose}>
      <p className="shown-once">
        Shown once: copy it now and hand it over safely. It cannot be shown again; reset it again if
        it is lost.
      </p>
      <p>
        <code className="password" aria-label="New password">
          {props.password}
        </code>
      </p>
      <p role="status">{copied}</p>
      <div className="dialog-actions">
        <button
          type="button"
          onClick={() => {
            navigator.clipboard.writeText(props.password).then(
              () => {
                setCopied('Copied to the clipboard.');
              },
              () => {
                setCopied('The browser did not allow copying: select the password and copy it.');
              },
            );
          }}
        >
          Copy password
        </button>
        <button type="button" className="secondary" onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

/** A text field of a submitted form ('' when absent). */
function textOf(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** The fields sent for a create or an edit; empty optional texts clear the field. */
function formChanges(kind: Kind, form: FormData, creating: boolean): Record<string, unknown> {
  const text = (name: string) => textOf(form, name).trim();
  const changes: Record<string, unknown> = {
    displayName: text('displayName'),
    email: text('email') === '' ? null : text('email'),
  };
  if (creating) {
    changes.login = text('login');
    if (form.get('generatePassword') === 'on') changes.generatePassword = true;
    else changes.password = textOf(form, 'password');
  }
  if (kind === 'agent') changes.capacity = Number(text('capacity'));
  if (kind === 'supervisor') changes.admin = form.get('admin') === 'on';
  if (kind === 'customer') {
    changes.tier = text('tier');
    for (const name of ['phone', 'company', 'notes']) {
      changes[name] = text(name) === '' ? null : text(name);
    }
  }
  return changes;
}

function AccountForm(props: {
  kind: Kind;
  account: AccountRow | null;
  onDone: (message: string, password?: { login: string; password: string }) => void;
  onClose: () => void;
}) {
  const { kind, account } = props;
  const creating = account === null;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [generate, setGenerate] = useState(true);

  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const changes = formChanges(kind, new FormData(event.currentTarget), creating);
    setBusy(true);
    setError(null);
    const path = creating
      ? `/api/supervisor/admin/${PLURAL[kind]}`
      : `/api/supervisor/admin/${PLURAL[kind]}/${encodeURIComponent(account.login)}`;
    apiJson<{ account: AccountRow; password?: string }>(path, {
      method: creating ? 'POST' : 'PATCH',
      body: changes,
    }).then(
      (answer) => {
        setBusy(false);
        props.onDone(
          `${creating ? 'Created' : 'Saved'} ${answer.account.login}.`,
          answer.password === undefined
            ? undefined
            : { login: answer.account.login, password: answer.password },
        );
      },
      (problem: unknown) => {
        setBusy(false);
        setError(errorText(problem));
      },
    );
  };

  return (
    <Dialog
      title={creating ? `New ${kind}` : `Edit ${kind} ${account.login}`}
      onClose={props.onClose}
    >
      <form className="admin-form" onSubmit={submit}>
        {creating && (
          <label>
            Login
            <input name="login" required autoComplete="off" maxLength={100} />
          </label>
        )}
        <label>
          Name
          <input name="displayName" required defaultValue={account?.displayName ?? ''} />
        </label>
        <label>
          Email
          <input name="email" type="email" defaultValue={account?.email ?? ''} />
        </label>
        {kind === 'agent' && (
          <label>
            Capacity (conversations at once)
            <input
              name="capacity"
              type="number"
              min={1}
              max={MAX_AGENT_CAPACITY}
              required
              defaultValue={account?.capacity ?? 1}
            />
          </label>
        )}
        {kind === 'supervisor' && (
          <label className="checkbox">
            <input name="admin" type="checkbox" defaultChecked={account?.admin ?? false} />
            Administration right
          </label>
        )}
        {kind === 'customer' && (
          <>
            <label>
              Tier
              <select name="tier" defaultValue={account?.tier ?? 'standard'}>
                {TIERS.map((tier) => (
                  <option key={tier} value={tier}>
                    {tier}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Phone
              <input name="phone" defaultValue={account?.phone ?? ''} />
            </label>
            <label>
              Company
              <input name="company" defaultValue={account?.company ?? ''} />
            </label>
            <label>
              Notes
              <textarea name="notes" rows={3} defaultValue={account?.notes ?? ''} />
            </label>
          </>
        )}
        {creating && (
          <>
            <label className="checkbox">
              <input
                name="generatePassword"
                type="checkbox"
                checked={generate}
                onChange={(event) => {
                  setGenerate(event.target.checked);
                }}
              />
              Generate a password (shown once)
            </label>
            {!generate && (
              <label>
                Password (at least 8 characters)
                <input
                  name="password"
                  type="password"
                  required
                  minLength={8}
                  autoComplete="new-password"
                />
              </label>
            )}
          </>
        )}
        <ErrorAlert message={error} />
        <div className="dialog-actions">
          <button type="submit" disabled={busy}>
            {creating ? 'Create' : 'Save'}
          </button>
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** One kind of account: search, list, create, edit, disable, reset password. */
function AccountsSection(props: { kind: Kind }) {
  const { kind } = props;
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<AccountRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<AccountRow | 'new' | null>(null);
  const [password, setPassword] = useState<{ login: string; password: string } | null>(null);

  const load = useCallback(
    (after: string | null) => {
      setLoading(true);
      const query = new URLSearchParams({ limit: '50' });
      if (search.trim() !== '') query.set('search', search.trim());
      if (after !== null) query.set('after', after);
      apiJson<{ accounts: AccountRow[]; next: string | null }>(
        `/api/supervisor/admin/${PLURAL[kind]}?${query.toString()}`,
      ).then(
        (answer) => {
          setRows((shown) => (after === null ? answer.accounts : [...shown, ...answer.accounts]));
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
    [kind, search],
  );

  useEffect(() => {
    const timer = setTimeout(() => {
      load(null);
    }, 200);
    return () => {
      clearTimeout(timer);
    };
  }, [load]);

  const act = (
    row: AccountRow,
    path: string,
    body: unknown,
    done: (answer: { password?: string }) => void,
  ) => {
    setNotice(null);
    apiJson<{ password?: string }>(
      `/api/supervisor/admin/${PLURAL[kind]}/${encodeURIComponent(row.login)}${path}`,
      {
        method: path === '' ? 'PATCH' : 'POST',
        body,
      },
    ).then(
      (answer) => {
        setError(null);
        done(answer);
        load(null);
      },
      (problem: unknown) => {
        setError(errorText(problem));
      },
    );
  };

  const closeForm = useCallback(() => {
    setEditing(null);
  }, []);
  const closePassword = useCallback(() => {
    setPassword(null);
  }, []);

  return (
    <section className="panel" aria-labelledby={`admin-${kind}`}>
      <div className="section-head">
        <h2 id={`admin-${kind}`}>{TITLE[kind]}s</h2>
        <label className="search">
          Search {PLURAL[kind]}
          <input
            type="search"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
            }}
          />
        </label>
        <button
          type="button"
          onClick={() => {
            setEditing('new');
          }}
        >
          New {kind}
        </button>
      </div>
      <ErrorAlert message={error} />
      <p role="status" className="muted">
        {notice}
      </p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Login</th>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            {kind === 'agent' && <th scope="col">Capacity</th>}
            {kind === 'agent' && <th scope="col">Availability</th>}
            {kind === 'customer' && <th scope="col">Tier</th>}
            {kind === 'customer' && <th scope="col">Company</th>}
            {kind === 'supervisor' && <th scope="col">Admin</th>}
            <th scope="col">Account</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-login={row.login}>
              <td>{row.login}</td>
              <td>{row.displayName}</td>
              <td>{row.email ?? '—'}</td>
              {kind === 'agent' && <td>{row.capacity}</td>}
              {kind === 'agent' && <td>{row.live?.status ?? 'not signed in yet'}</td>}
              {kind === 'customer' && (
                <td>
                  <span className={`tier tier-${row.tier ?? 'standard'}`}>{row.tier}</span>
                </td>
              )}
              {kind === 'customer' && <td>{row.company ?? '—'}</td>}
              {kind === 'supervisor' && <td>{row.admin ? 'yes' : 'no'}</td>}
              <td>{row.disabled ? 'Disabled' : 'Enabled'}</td>
              <td className="row-actions">
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Edit ${row.login}`}
                  onClick={() => {
                    setEditing(row);
                  }}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className={row.disabled ? 'secondary' : 'danger'}
                  aria-label={`${row.disabled ? 'Enable' : 'Disable'} ${row.login}`}
                  onClick={() => {
                    act(row, '', { disabled: !row.disabled }, () => {
                      setNotice(`${row.disabled ? 'Enabled' : 'Disabled'} ${row.login}.`);
                    });
                  }}
                >
                  {row.disabled ? 'Enable' : 'Disable'}
                </button>
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Reset password of ${row.login}`}
                  onClick={() => {
                    act(row, '/password', undefined, (answer) => {
                      setNotice(`New password set for ${row.login}; its sessions ended.`);
                      setPassword({ login: row.login, password: answer.password ?? '' });
                    });
                  }}
                >
                  Reset password
                </button>
                {kind === 'agent' && (
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Set ${row.login} available`}
                    onClick={() => {
                      act(row, '/availability', undefined, () => {
                        setNotice(`${row.login} is available.`);
                      });
                    }}
                  >
                    Set available
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !loading && <p className="muted">No {PLURAL[kind]} found.</p>}
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
      {editing !== null && (
        <AccountForm
          kind={kind}
          account={editing === 'new' ? null : editing}
          onClose={closeForm}
          onDone={(message, created) => {
            setEditing(null);
            setNotice(message);
            if (created) setPassword(created);
            load(null);
          }}
        />
      )}
      {password !== null && (
        <PasswordDialog
          login={password.login}
          password={password.password}
          onClose={closePassword}
        />
      )}
    </section>
  );
}

function CannedForm(props: {
  reply: CannedRow | null;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const { reply } = props;
  const [error, setError] = useState<string | null>(null);
  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = {
      shortcut: textOf(form, 'shortcut').trim(),
      title: textOf(form, 'title').trim(),
      text: textOf(form, 'text'),
    };
    apiJson<{ reply: CannedRow }>(
      reply
        ? `/api/supervisor/admin/canned/${encodeURIComponent(reply.id)}`
        : '/api/supervisor/admin/canned',
      { method: reply ? 'PATCH' : 'POST', body },
    ).then(
      (answer) => {
        props.onDone(`Saved /${answer.reply.shortcut}.`);
      },
      (problem: unknown) => {
        setError(errorText(problem));
      },
    );
  };
  return (
    <Dialog
      title={reply ? `Edit /${reply.shortcut}` : 'New shared canned reply'}
      onClose={props.onClose}
    >
      <form className="admin-form" onSubmit={submit}>
        <label>
          Shortcut (typed after /)
          <input name="shortcut" required defaultValue={reply?.shortcut ?? ''} />
        </label>
        <label>
          Title
          <input name="title" required defaultValue={reply?.title ?? ''} />
        </label>
        <label>
          Text
          <span className="muted">Placeholders such as {'{customer.name}'} are filled in.</span>
          <textarea name="text" rows={5} required defaultValue={reply?.text ?? ''} />
        </label>
        <ErrorAlert message={error} />
        <div className="dialog-actions">
          <button type="submit">Save</button>
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The shared canned replies every agent sees (agents keep their own besides). */
function CannedSection() {
  const [replies, setReplies] = useState<CannedRow[]>([]);
  const [search, setSearch] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<CannedRow | 'new' | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);

  const load = useCallback(() => {
    apiJson<{ replies: CannedRow[] }>('/api/supervisor/admin/canned').then(
      (answer) => {
        setReplies(answer.replies);
        setError(null);
      },
      (problem: unknown) => {
        setError(errorText(problem));
      },
    );
  }, []);
  useEffect(load, [load]);
  const closeForm = useCallback(() => {
    setEditing(null);
  }, []);

  const needle = search.trim().toLowerCase();
  const shown = replies.filter(
    (reply) =>
      needle === '' ||
      `${reply.shortcut} ${reply.title} ${reply.text}`.toLowerCase().includes(needle),
  );

  return (
    <section className="panel" aria-labelledby="admin-canned">
      <div className="section-head">
        <h2 id="admin-canned">Shared canned replies</h2>
        <label className="search">
          Search canned replies
          <input
            type="search"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
            }}
          />
        </label>
        <button
          type="button"
          onClick={() => {
            setEditing('new');
          }}
        >
          New canned reply
        </button>
      </div>
      <ErrorAlert message={error} />
      <p role="status" className="muted">
        {notice}
      </p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Shortcut</th>
            <th scope="col">Title</th>
            <th scope="col">Text</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((reply) => (
            <tr key={reply.id}>
              <td>/{reply.shortcut}</td>
              <td>{reply.title}</td>
              <td className="canned-text">{reply.text}</td>
              <td className="row-actions">
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Edit /${reply.shortcut}`}
                  onClick={() => {
                    setEditing(reply);
                  }}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="danger"
                  aria-label={
                    deleting === reply.id
                      ? `Confirm deleting /${reply.shortcut}`
                      : `Delete /${reply.shortcut}`
                  }
                  onClick={() => {
                    if (deleting !== reply.id) {
                      setDeleting(reply.id);
                      return;
                    }
                    setDeleting(null);
                    apiJson(`/api/supervisor/admin/canned/${encodeURIComponent(reply.id)}`, {
                      method: 'DELETE',
                    }).then(
                      () => {
                        setNotice(`Deleted /${reply.shortcut}.`);
                        load();
                      },
                      (problem: unknown) => {
                        setError(errorText(problem));
                      },
                    );
                  }}
                >
                  {deleting === reply.id ? 'Confirm delete' : 'Delete'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p className="muted">No shared canned replies.</p>}
      {editing !== null && (
        <CannedForm
          reply={editing === 'new' ? null : editing}
          onClose={closeForm}
          onDone={(message) => {
            setEditing(null);
            setNotice(message);
            load();
          }}
        />
      )}
    </section>
  );
}

const SECTIONS = [
  { id: 'agents', label: 'Agents', render: () => <AccountsSection kind="agent" /> },
  { id: 'customers', label: 'Customers', render: () => <AccountsSection kind="customer" /> },
  { id: 'supervisors', label: 'Supervisors', render: () => <AccountsSection kind="supervisor" /> },
  { id: 'canned', label: 'Canned replies', render: () => <CannedSection /> },
] as const;

/**
 * Administration (supervisors with the admin right): what `npm run admin` does, in the browser.
 * Each change takes effect on every server node at once and is kept in the audit log.
 */
export function AdminPage() {
  const [sectionId, setSectionId] = useState<string>(SECTIONS[0].id);
  const section = SECTIONS.find((candidate) => candidate.id === sectionId) ?? SECTIONS[0];
  return (
    <div className="admin">
      <nav aria-label="Administration sections">
        <ul className="tabs subtabs">
          {SECTIONS.map((candidate) => (
            <li key={candidate.id}>
              <button
                type="button"
                className="tab"
                aria-current={candidate.id === section.id ? 'true' : undefined}
                onClick={() => {
                  setSectionId(candidate.id);
                }}
              >
                {candidate.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div key={section.id}>{section.render()}</div>
    </div>
  );
}
