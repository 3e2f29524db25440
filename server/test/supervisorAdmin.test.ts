// Administration from the console (issue 15): what `npm run admin` does, over HTTP for
// supervisors with the admin right. Each change reaches running sessions at once, on this node
// and on another one, and is kept in the audit log (who, what, when, before and after).
import { describe, expect, it } from 'vitest';
import {
  asAgentSync,
  TestClient,
  useTestStack,
  type TestAccount,
} from '@callcenter/devstack/testing';

const suite = useTestStack();

type Json = Record<string, unknown>;

async function call(
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  url = suite.stack.url,
): Promise<{ status: number; json: Json; text: string; headers: Headers }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token !== null && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    // An export's CSV: read from `text`.
  }
  return { status: response.status, json, text, headers: response.headers };
}

function messageOf(answer: { json: Json }): string {
  return (answer.json.error as { message?: string } | undefined)?.message ?? '';
}

async function adminToken(): Promise<{ token: string; account: TestAccount }> {
  const account = await suite.stack.createSupervisor({ admin: true });
  return { token: (await suite.stack.login(account)).token, account };
}

async function ok(token: string, method: string, path: string, body?: unknown): Promise<Json> {
  const answer = await call(token, method, path, body);
  expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(200);
  return answer.json;
}

interface AuditEntry {
  id: string;
  at: string;
  action: string;
  actor: { id: string; login: string; displayName: string };
  target: { kind: string; id: string; label: string };
  before: Json | null;
  after: Json | null;
}

async function auditOf(token: string, action: string): Promise<AuditEntry[]> {
  const answer = await ok(token, 'GET', `/api/supervisor/audit?action=${action}&limit=200`);
  return answer.entries as AuditEntry[];
}

describe('administration from the console', () => {
  it('changes a running agent’s capacity at once, on this node and on another one', async () => {
    const { token, account: admin } = await adminToken();
    const agent = await suite.loginNew('agent');
    const second = await suite.stack.addNode();
    const otherAccount = await suite.stack.createAgent();
    const other = suite.track(await TestClient.login(suite.stack, otherAccount, second.url));
    await agent.waitFor('agent.state');
    await other.waitFor('agent.state');

    const from = agent.mark();
    const answer = await ok(
      token,
      'PATCH',
      `/api/supervisor/admin/agents/${agent.account!.login}`,
      {
        capacity: 3,
      },
    );
    expect(answer.account).toMatchObject({ login: agent.account!.login, capacity: 3 });
    await agent.waitFor('agent.state', (state) => state.capacity === 3, from);

    const fromOther = other.mark();
    await ok(token, 'PATCH', `/api/supervisor/admin/agents/${otherAccount.login}`, {
      capacity: 4,
    });
    await other.waitFor('agent.state', (state) => state.capacity === 4, fromOther);

    const [entry] = await auditOf(token, 'agent.update');
    expect(entry).toMatchObject({
      action: 'agent.update',
      actor: { id: admin.id, login: admin.login, displayName: admin.displayName },
      target: { kind: 'agent', id: otherAccount.id, label: otherAccount.login },
      before: { capacity: 1 },
      after: { capacity: 4 },
    });
    expect(Date.now() - Date.parse(entry!.at)).toBeLessThan(60_000);
    expect(JSON.stringify(entry)).not.toMatch(/passwordHash|password/i);
    const listed = await ok(
      token,
      'GET',
      `/api/supervisor/admin/agents?search=${encodeURIComponent(otherAccount.login)}`,
    );
    expect(listed.accounts).toEqual([
      expect.objectContaining({
        id: otherAccount.id,
        capacity: 4,
        live: { status: 'available', conversations: 0 },
      }),
    ]);
    expect(JSON.stringify(listed)).not.toContain('passwordHash');
    await second.stop();
    suite.stack.nodes.splice(suite.stack.nodes.indexOf(second), 1);
  });

  it('refuses invalid changes clearly and never lets an admin lock itself out', async () => {
    const { token, account: admin } = await adminToken();
    const agent = await suite.stack.createAgent();
    const bad = await call(token, 'PATCH', `/api/supervisor/admin/agents/${agent.login}`, {
      capacity: 0,
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      error: { code: 'invalid_payload', message: 'capacity: capacity must be at least 1' },
    });
    const missing = await call(token, 'PATCH', '/api/supervisor/admin/agents/nobody-here', {
      capacity: 2,
    });
    expect(missing.status).toBe(404);
    for (const change of [{ admin: false }, { disabled: true }]) {
      const self = await call(
        token,
        'PATCH',
        `/api/supervisor/admin/supervisors/${admin.login}`,
        change,
      );
      expect(self.status).toBe(400);
      expect(messageOf(self)).toContain('your own administration right');
    }
    const ownPassword = await call(
      token,
      'POST',
      `/api/supervisor/admin/supervisors/${admin.login}/password`,
    );
    expect(ownPassword.status).toBe(400);
    expect(messageOf(ownPassword)).toContain('your own password');
    const noPassword = await call(token, 'POST', '/api/supervisor/admin/agents', {
      login: 'agent-without-password',
      displayName: 'No Password',
    });
    expect(noPassword.status).toBe(400);
    expect(messageOf(noPassword)).toContain('password');
    const duplicate = await call(token, 'POST', '/api/supervisor/admin/agents', {
      login: agent.login,
      displayName: 'Again',
      generatePassword: true,
    });
    expect(duplicate.status).toBe(400);
    expect(messageOf(duplicate)).toContain('exists');
  });

  it('disabling an agent ends its sockets; enabling lets it back', async () => {
    const { token } = await adminToken();
    const agent = await suite.loginNew('agent');
    const closed = agent.waitForDisconnect();
    await ok(token, 'PATCH', `/api/supervisor/admin/agents/${agent.account!.login}`, {
      disabled: true,
    });
    await agent.waitFor('session.revoked', (info) => info.reason === 'disabled');
    await closed;
    const refused = await fetch(`${suite.stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        role: 'agent',
        login: agent.account!.login,
        password: agent.account!.password,
      }),
    });
    expect(refused.status).toBe(403);
    await ok(token, 'PATCH', `/api/supervisor/admin/agents/${agent.account!.login}`, {
      disabled: false,
    });
    await suite.stack.login(agent.account!);
    const actions = (await ok(token, 'GET', '/api/supervisor/audit?limit=5'))
      .entries as AuditEntry[];
    expect(actions.slice(0, 2).map((e) => [e.action, e.before, e.after])).toEqual([
      ['agent.enable', { disabled: true }, { disabled: false }],
      ['agent.disable', { disabled: false }, { disabled: true }],
    ]);
  });

  it('a customer’s new tier is what the agent sees next (the customer on another node)', async () => {
    const { token } = await adminToken();
    const second = await suite.stack.addNode();
    try {
      const agent = await suite.loginNew('agent');
      await ok(token, 'POST', `/api/supervisor/admin/agents/${agent.account!.login}/availability`);
      const account = await suite.stack.createCustomer('standard');
      const customer = suite.track(await TestClient.login(suite.stack, account, second.url));
      await customer.requestOk('chat.request');
      await agent.waitFor('queue.snapshot', (s) =>
        s.entries.some((e) => e.customerId === account.id && e.tier === 'standard'),
      );
      await customer.requestOk('chat.end');
      await agent.waitFor(
        'queue.snapshot',
        (s) => !s.entries.some((e) => e.customerId === account.id),
      );
      const changed = await ok(token, 'PATCH', `/api/supervisor/admin/customers/${account.login}`, {
        tier: 'platinum',
        company: 'New Company Ltd',
      });
      expect(changed.account).toMatchObject({ tier: 'platinum', company: 'New Company Ltd' });
      await customer.requestOk('chat.request');
      await agent.waitFor('queue.snapshot', (s) =>
        s.entries.some((e) => e.customerId === account.id && e.tier === 'platinum'),
      );
      const [entry] = await auditOf(token, 'customer.update');
      expect(entry).toMatchObject({
        target: { kind: 'customer', id: account.id },
        before: { tier: 'standard', company: 'Example Ltd' },
        after: { tier: 'platinum', company: 'New Company Ltd' },
      });
    } finally {
      await second.stop();
      suite.stack.nodes.splice(suite.stack.nodes.indexOf(second), 1);
    }
  });

  it('creates accounts with a generated password shown once; a reset password replaces the old one', async () => {
    const { token } = await adminToken();
    const created = await ok(token, 'POST', '/api/supervisor/admin/agents', {
      login: `Agent-New-${Date.now()}`,
      displayName: 'New Agent',
      capacity: 2,
      generatePassword: true,
    });
    const login = (created.account as Json).login as string;
    expect(login).toBe(login.toLowerCase());
    expect(created.password).toMatch(/^[\w-]{16}$/);
    const account: TestAccount = {
      id: (created.account as Json).id as string,
      role: 'agent',
      login,
      password: created.password as string,
      displayName: 'New Agent',
    };
    const agent = suite.track(await TestClient.login(suite.stack, account));
    expect(asAgentSync(await agent.requestOk('session.sync', {})).state.capacity).toBe(2);

    const closed = agent.waitForDisconnect();
    const reset = await ok(token, 'POST', `/api/supervisor/admin/agents/${login}/password`);
    expect(reset.password).toMatch(/^[\w-]{16}$/);
    expect(reset.password).not.toBe(created.password);
    await closed;
    await expect(suite.stack.login(account)).rejects.toThrow();
    await suite.stack.login({ ...account, password: reset.password as string });
    const [entry] = await auditOf(token, 'agent.password');
    expect(entry).toMatchObject({ target: { id: account.id }, before: null, after: null });
    const [createEntry] = await auditOf(token, 'agent.create');
    expect(createEntry).toMatchObject({ after: { login, capacity: 2, disabled: false } });
    expect(JSON.stringify(createEntry)).not.toMatch(/password/i);

    const customer = await ok(token, 'POST', '/api/supervisor/admin/customers', {
      login: `customer-new-${Date.now()}`,
      displayName: 'New Customer',
      tier: 'gold',
      password: 'a-long-enough-password',
    });
    expect(customer.password).toBeUndefined();
    expect(customer.account).toMatchObject({ tier: 'gold' });
  });

  it('resets an agent’s availability to available at once', async () => {
    const { token } = await adminToken();
    const agent = await suite.loginNew('agent');
    await agent.requestOk('agent.status', { status: 'away' });
    const from = agent.mark();
    const answer = await ok(
      token,
      'POST',
      `/api/supervisor/admin/agents/${agent.account!.login}/availability`,
    );
    expect(answer).toEqual({ status: 'available' });
    await agent.waitFor('agent.state', (state) => state.status === 'available', from);
    const [entry] = await auditOf(token, 'agent.status');
    expect(entry).toMatchObject({ before: { status: 'away' }, after: { status: 'available' } });
  });

  it('shared canned replies changed in the console reach agents as canned.changed', async () => {
    const { token } = await adminToken();
    const agent = await suite.loginNew('agent');
    const second = await suite.stack.addNode();
    try {
      const otherAccount = await suite.stack.createAgent();
      const other = suite.track(await TestClient.login(suite.stack, otherAccount, second.url));
      const shortcut = `greet${Date.now()}`;
      const from = [agent.mark(), other.mark()] as const;
      const created = await ok(token, 'POST', '/api/supervisor/admin/canned', {
        shortcut,
        title: 'Greeting',
        text: 'Hello {customer.name}!',
      });
      await agent.waitFor('canned.changed', (c) => c.scope === 'shared', from[0]);
      await other.waitFor('canned.changed', (c) => c.scope === 'shared', from[1]);
      const list = await agent.requestOk('canned.list');
      expect(list.replies).toContainEqual(expect.objectContaining({ shortcut, scope: 'shared' }));
      const id = (created.reply as Json).id as string;
      const bad = await call(token, 'PATCH', `/api/supervisor/admin/canned/${id}`, {
        shortcut: 'Not Valid',
      });
      expect(bad.status).toBe(400);
      const mark = agent.mark();
      await ok(token, 'PATCH', `/api/supervisor/admin/canned/${id}`, { title: 'Hello' });
      await agent.waitFor('canned.changed', () => true, mark);
      const listed = await ok(token, 'GET', '/api/supervisor/admin/canned');
      expect(listed.replies).toContainEqual(expect.objectContaining({ id, title: 'Hello' }));
      await ok(token, 'DELETE', `/api/supervisor/admin/canned/${id}`);
      expect((await call(token, 'DELETE', `/api/supervisor/admin/canned/${id}`)).status).toBe(404);
      const [update] = await auditOf(token, 'canned.update');
      expect(update).toMatchObject({ before: { title: 'Greeting' }, after: { title: 'Hello' } });
      const [removed] = await auditOf(token, 'canned.delete');
      expect(removed).toMatchObject({ before: { shortcut }, after: null });
    } finally {
      await second.stop();
      suite.stack.nodes.splice(suite.stack.nodes.indexOf(second), 1);
    }
  });

  it('exports the audit log as CSV and JSON that parse back', async () => {
    const { token } = await adminToken();
    const agent = await suite.stack.createAgent('Comma, "Quoted" Agent');
    await ok(token, 'PATCH', `/api/supervisor/admin/agents/${agent.login}`, {
      displayName: '=Formula, "and" quotes',
    });
    const listed = (await ok(token, 'GET', '/api/supervisor/audit?limit=200'))
      .entries as AuditEntry[];

    const json = await call(token, 'GET', '/api/supervisor/audit/export?format=json');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(
      /^attachment; filename="audit-.*\.json"$/,
    );
    const exported = JSON.parse(json.text) as AuditEntry[];
    expect(exported.length).toBeGreaterThanOrEqual(listed.length);
    const mine = exported.find((e) => e.target.id === agent.id && e.action === 'agent.update');
    expect(mine).toMatchObject({
      before: { displayName: 'Comma, "Quoted" Agent' },
      after: { displayName: '=Formula, "and" quotes' },
    });

    const csv = await call(token, 'GET', '/api/supervisor/audit/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual([
      'at',
      'actorLogin',
      'actorName',
      'action',
      'targetKind',
      'targetId',
      'targetLabel',
      'before',
      'after',
    ]);
    expect(rows.length - 1).toBe(exported.length);
    const row = rows.find((r) => r[5] === agent.id && r[3] === 'agent.update');
    expect(JSON.parse(row![7]!)).toEqual({ displayName: 'Comma, "Quoted" Agent' });
    expect(JSON.parse(row![8]!)).toEqual({ displayName: '=Formula, "and" quotes' });
    expect(rows.slice(1).map((r) => r[0])).toEqual(exported.map((e) => e.at));

    const badFormat = await call(token, 'GET', '/api/supervisor/audit/export?format=xml');
    expect(badFormat.status).toBe(400);
    const badBefore = await call(token, 'GET', '/api/supervisor/audit?before=yesterday');
    expect(badBefore.status).toBe(400);
  });
});

describe('the audit log', () => {
  it('pages newest first with no entry skipped or shown twice, and filters by action', async () => {
    const { token } = await adminToken();
    const agent = await suite.stack.createAgent();
    for (const capacity of [2, 3, 4, 5, 6]) {
      await ok(token, 'PATCH', `/api/supervisor/admin/agents/${agent.login}`, { capacity });
    }
    const all = (await ok(token, 'GET', '/api/supervisor/audit?limit=200&action=agent.update'))
      .entries as AuditEntry[];
    const paged: AuditEntry[] = [];
    let query = 'limit=2&action=agent.update';
    for (;;) {
      const page = await ok(token, 'GET', `/api/supervisor/audit?${query}`);
      paged.push(...(page.entries as AuditEntry[]));
      const next = page.next as { before: string; beforeId: string } | null;
      if (next === null) break;
      query = `limit=2&action=agent.update&before=${encodeURIComponent(next.before)}&beforeId=${next.beforeId}`;
    }
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
    const mine = all.filter((e) => e.target.id === agent.id);
    expect(mine.map((e) => e.after)).toEqual([6, 5, 4, 3, 2].map((capacity) => ({ capacity })));
    expect(all.every((e) => e.action === 'agent.update')).toBe(true);
    const times = all.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });
});

/** RFC 4180 CSV: quoted fields with doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

const ROUTES: [string, string, unknown?][] = [
  ['GET', '/api/supervisor/admin/agents'],
  [
    'POST',
    '/api/supervisor/admin/agents',
    { login: 'x-agent', displayName: 'X', generatePassword: true },
  ],
  ['PATCH', '/api/supervisor/admin/agents/some-agent', { capacity: 2 }],
  ['POST', '/api/supervisor/admin/agents/some-agent/password'],
  ['POST', '/api/supervisor/admin/agents/some-agent/availability'],
  ['GET', '/api/supervisor/admin/customers'],
  [
    'POST',
    '/api/supervisor/admin/customers',
    { login: 'x-customer', displayName: 'X', tier: 'gold' },
  ],
  ['PATCH', '/api/supervisor/admin/customers/some-customer', { tier: 'gold' }],
  ['POST', '/api/supervisor/admin/customers/some-customer/password'],
  ['GET', '/api/supervisor/admin/supervisors'],
  ['POST', '/api/supervisor/admin/supervisors', { login: 'x-sup', displayName: 'X' }],
  ['PATCH', '/api/supervisor/admin/supervisors/some-supervisor', { admin: true }],
  ['POST', '/api/supervisor/admin/supervisors/some-supervisor/password'],
  ['GET', '/api/supervisor/admin/canned'],
  ['POST', '/api/supervisor/admin/canned', { shortcut: 'x', title: 'X', text: 'x' }],
  ['PATCH', '/api/supervisor/admin/canned/some-id', { title: 'Y' }],
  ['DELETE', '/api/supervisor/admin/canned/some-id'],
  ['GET', '/api/supervisor/audit'],
  ['GET', '/api/supervisor/audit/export?format=csv'],
];

describe('access to the administration', () => {
  it('refuses every admin route: 401 without a session, 403 to agents, customers and supervisors without the right', async () => {
    const { stack } = suite;
    const callers: [string, string | null, number, string][] = [
      ['no session', null, 401, 'unauthorized'],
      ['a bad token', 'not-a-token', 401, 'unauthorized'],
      ['an agent', (await stack.login(await stack.createAgent())).token, 403, 'forbidden'],
      ['a customer', (await stack.login(await stack.createCustomer())).token, 403, 'forbidden'],
      [
        'a supervisor without the admin right',
        (await stack.login(await stack.createSupervisor({ admin: false }))).token,
        403,
        'forbidden',
      ],
    ];
    for (const [who, token, status, code] of callers) {
      for (const [method, path, body] of ROUTES) {
        const answer = await call(token, method, path, body);
        expect(answer.status, `${method} ${path} by ${who}`).toBe(status);
        expect(answer.json, `${method} ${path} by ${who}`).toMatchObject({ error: { code } });
        if (who === 'a supervisor without the admin right') {
          expect(answer.json).toMatchObject({
            error: { message: 'This needs the administration right.' },
          });
        }
      }
    }
    // Nothing was changed by the refused calls.
    const { token } = await adminToken();
    const agents = await ok(token, 'GET', '/api/supervisor/admin/agents?search=x-agent');
    expect(agents.accounts).toEqual([]);
  });

  it('takes the right away at once: a supervisor whose admin right is removed is refused its next call', async () => {
    const { token } = await adminToken();
    const { token: otherToken, account: other } = await adminToken();
    await ok(otherToken, 'GET', '/api/supervisor/admin/agents');
    await ok(token, 'PATCH', `/api/supervisor/admin/supervisors/${other.login}`, { admin: false });
    const answer = await call(otherToken, 'GET', '/api/supervisor/admin/agents');
    // Taking the right away ends the supervisor's sessions too.
    expect([401, 403]).toContain(answer.status);
  });
});
