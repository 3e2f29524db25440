// Transcripts (issue 15): supervisors search stored conversations by customer, agent, date
// range and text, open one, and export the results as CSV and JSON, streamed. Conversations
// here are made through the protocol; the export is parsed back with a real CSV parser.
import { randomUUID } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { TestClient, useTestStack, type TestAccount } from '@callcenter/devstack/testing';

const suite = useTestStack();

interface Made {
  conversationId: string;
  customer: TestAccount;
  agent: TestAccount;
  texts: string[];
}

async function supervisorToken(admin = false): Promise<string> {
  const account = await suite.stack.createSupervisor({ admin });
  return (await suite.stack.login(account)).token;
}

function get(path: string, token: string | null): Promise<Response> {
  return fetch(`${suite.stack.url}${path}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
}

async function getJson<T>(path: string, token: string): Promise<T> {
  const answer = await get(path, token);
  expect(answer.status, `${path}: ${await answer.clone().text()}`).toBe(200);
  return (await answer.json()) as T;
}

/** A customer asks, the agent takes, each writes, the agent ends: all over the protocol. */
async function converse(agent: TestClient, customerAccount: TestAccount, words: [string, string]) {
  const customer = suite.track(await TestClient.login(suite.stack, customerAccount));
  await customer.requestOk('chat.request');
  const taken = await agent.requestOk('chat.start');
  const conversationId = taken.conversation.id;
  await customer.requestOk('message.send', { clientMsgId: randomUUID(), text: words[0] });
  await agent.requestOk('message.send', {
    customerId: customerAccount.id,
    clientMsgId: randomUUID(),
    text: words[1],
  });
  await agent.requestOk('chat.end', { conversationId });
  customer.close();
  return conversationId;
}

interface Item {
  id: string;
  customer: { id: string; displayName: string; login: string };
  agent: { id: string; displayName: string };
  status: string;
  startedAt: string;
  endedAt: string | null;
  messageCount?: number;
  messages?: { sender: { role: string; displayName: string }; text: string }[];
}

describe('transcripts', () => {
  it('are searched by customer, agent, date range and text, opened, and exported', async () => {
    const tag = randomUUID().slice(0, 6);
    const agentA = await suite.stack.createAgent(`Alma ${tag}`);
    const agentB = await suite.stack.createAgent(`Bruno ${tag}`);
    const alma = suite.track(await TestClient.login(suite.stack, agentA));
    const bruno = suite.track(await TestClient.login(suite.stack, agentB));
    const carla = await suite.stack.createCustomer('standard', `Carla ${tag}`);
    const dario = await suite.stack.createCustomer('gold', `Dario ${tag}`);

    const made: Made[] = [];
    const marks: Date[] = [];
    const plan: [TestClient, TestAccount, TestAccount, [string, string]][] = [
      [alma, agentA, carla, [`My invoice ${tag} is wrong`, 'Let me check, "one" moment, please']],
      [bruno, agentB, dario, ['The app crashes,\nevery time', `Try the update ${tag}-x`]],
      [alma, agentA, dario, ['=HYPERLINK("http://x.test")', 'How can I help?']],
    ];
    for (const [agent, agentAccount, customer, words] of plan) {
      marks.push(new Date());
      const conversationId = await converse(agent, customer, words);
      made.push({ conversationId, agent: agentAccount, customer, texts: words });
    }
    marks.push(new Date());
    const [first, second, third] = made.map((m) => m.conversationId);
    const token = await supervisorToken();
    const search = async (query: string) =>
      (
        await getJson<{ items: Item[]; next: string | null }>(
          `/api/supervisor/transcripts?${query}`,
          token,
        )
      ).items.map((item) => item.id);

    // Newest first; each filter gives exactly its conversations.
    expect(await search('')).toEqual([third, second, first]);
    expect(await search(`customer=${encodeURIComponent(`carla ${tag}`)}`)).toEqual([first]);
    expect(await search(`customer=${dario.login.toUpperCase()}`)).toEqual([third, second]);
    expect(await search(`agent=${encodeURIComponent(`ALMA ${tag}`)}`)).toEqual([third, first]);
    expect(await search(`agent=bruno&customer=dario`)).toEqual([second]);
    expect(await search(`agent=nobody-${tag}`)).toEqual([]);
    expect(await search(`from=${marks[1]!.toISOString()}&to=${marks[2]!.toISOString()}`)).toEqual([
      second,
    ]);
    expect(await search(`from=${marks[1]!.toISOString()}`)).toEqual([third, second]);
    expect(await search(`q=${encodeURIComponent(tag)}`)).toEqual([second, first]);
    expect(await search(`q=${encodeURIComponent('INVOICE')}`)).toEqual([first]);
    // Regular-expression characters are matched as they are.
    expect(await search(`q=${encodeURIComponent('"one" moment.')}`)).toEqual([]);
    expect(await search(`q=${encodeURIComponent('"one" moment,')}`)).toEqual([first]);
    expect(await search(`q=${encodeURIComponent('.*')}`)).toEqual([]);

    // Paging: one at a time, newest first, to the end.
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page: { items: Item[]; next: string | null } = await getJson(
        `/api/supervisor/transcripts?limit=1${next ? `&before=${next}` : ''}`,
        token,
      );
      seen.push(...page.items.map((item) => item.id));
      next = page.next;
    } while (next !== null);
    expect(seen).toEqual([third, second, first]);

    const listed = await getJson<{ items: Item[] }>(
      `/api/supervisor/transcripts?customer=${carla.login}`,
      token,
    );
    expect(listed.items[0]).toMatchObject({
      id: first,
      customer: { id: carla.id, displayName: `Carla ${tag}`, login: carla.login },
      agent: { id: agentA.id, displayName: `Alma ${tag}` },
      status: 'ended',
      endReason: 'agent',
      messageCount: 2,
    });

    // Open one: its messages in order.
    const opened = await getJson<{ conversation: Item; messages: NonNullable<Item['messages']> }>(
      `/api/supervisor/transcripts/${second}`,
      token,
    );
    expect(opened.conversation).toMatchObject({ id: second, customer: { id: dario.id } });
    expect(opened.messages.map((m) => [m.sender.role, m.text])).toEqual([
      ['customer', plan[1]![3][0]],
      ['agent', plan[1]![3][1]],
    ]);
    const missing = await get('/api/supervisor/transcripts/no-such-id', token);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });

    // CSV: a header and one row per message, quotes, commas and line breaks kept.
    const csvAnswer = await get(`/api/supervisor/transcripts/export?format=csv`, token);
    expect(csvAnswer.status).toBe(200);
    expect(csvAnswer.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csvAnswer.headers.get('content-disposition')).toMatch(
      /^attachment; filename="transcripts-.+\.csv"$/,
    );
    const rows: string[][] = parseCsv(await csvAnswer.text(), {});
    expect(rows[0]).toEqual([
      'conversationId',
      'startedAt',
      'endedAt',
      'customer',
      'agent',
      'messageAt',
      'senderRole',
      'senderName',
      'text',
    ]);
    // A leading = + - @ is defused for spreadsheets (the text is kept after a quote mark).
    const defused = (text = '') => (/^[=+\-@]/.test(text) ? `'${text}` : text);
    const expectedRows = [...made].reverse().flatMap((m) => [
      [
        m.conversationId,
        m.customer.displayName,
        m.agent.displayName,
        'customer',
        m.customer.displayName,
        defused(m.texts[0]),
      ],
      [
        m.conversationId,
        m.customer.displayName,
        m.agent.displayName,
        'agent',
        m.agent.displayName,
        defused(m.texts[1]),
      ],
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[3], r[4], r[6], r[7], r[8]])).toEqual(expectedRows);
    expect(rows.map((r) => r[8])).toContain(`'=HYPERLINK("http://x.test")`);
    for (const row of rows.slice(1)) {
      expect(Date.parse(row[1]!)).toBeLessThanOrEqual(Date.parse(row[5]!));
      expect(Date.parse(row[5]!)).toBeLessThanOrEqual(Date.parse(row[2]!));
    }

    // JSON: the filtered conversations, each with its messages.
    const jsonAnswer = await get(
      `/api/supervisor/transcripts/export?format=json&customer=${dario.login}`,
      token,
    );
    expect(jsonAnswer.status).toBe(200);
    expect(jsonAnswer.headers.get('content-disposition')).toMatch(/\.json"$/);
    const items = (await jsonAnswer.json()) as Item[];
    expect(items.map((i) => i.id)).toEqual([third, second]);
    expect(items[1]!.messages!.map((m) => m.text)).toEqual(plan[1]![3]);
    const empty = await get(`/api/supervisor/transcripts/export?format=json&q=zz-${tag}`, token);
    expect(await empty.json()).toEqual([]);

    // Each export is in the audit log with its filters.
    const audits = await suite.stack.server.mongo.collections.auditLog
      .find({ action: 'transcripts.export' })
      .sort({ at: 1 })
      .toArray();
    expect(audits.slice(-3).map((a) => a.after)).toEqual([
      { format: 'csv', filters: {} },
      { format: 'json', filters: { customer: dario.login } },
      { format: 'json', filters: { q: `zz-${tag}` } },
    ]);
  });

  it('refuses bad parameters with a clear message', async () => {
    const token = await supervisorToken();
    for (const [query, message] of [
      ['from=yesterday', 'from must be an ISO date'],
      ['to=2025-13-45', 'to must be an ISO date'],
      ['from=2025-02-01&to=2025-01-01', 'from must be before to'],
      ['limit=0', 'limit must be 1-200'],
      ['limit=abc', 'limit must be a number'],
      ['before=garbage', 'before must be a next cursor'],
      [`q=${'x'.repeat(201)}`, 'q is at most 200 characters'],
    ]) {
      const answer = await get(`/api/supervisor/transcripts?${query}`, token);
      expect(answer.status, query).toBe(400);
      const body = (await answer.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_payload');
      expect(body.error.message).toContain(message);
    }
    const noFormat = await get('/api/supervisor/transcripts/export', token);
    expect(noFormat.status).toBe(400);
    expect(await noFormat.json()).toMatchObject({
      error: { code: 'invalid_payload', message: 'format must be csv or json' },
    });
    const xml = await get('/api/supervisor/transcripts/export?format=xml', token);
    expect(xml.status).toBe(400);
  });
});

const ROUTES: [string, string, object?][] = [
  ['GET', '/api/supervisor/transcripts'],
  ['GET', '/api/supervisor/transcripts/some-id'],
  ['GET', '/api/supervisor/transcripts/export?format=csv'],
  ['GET', '/api/supervisor/retention'],
  ['PUT', '/api/supervisor/retention', { days: 30 }],
  ['POST', '/api/supervisor/retention/run', {}],
];

function call(method: string, path: string, token: string | null, body?: object) {
  return fetch(`${suite.stack.url}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body && { 'content-type': 'application/json' }),
    },
    body: body && JSON.stringify(body),
  });
}

describe('access to transcripts and retention', () => {
  it('refuses callers without a session, agents and customers on every route', async () => {
    const agent = (await suite.stack.login(await suite.stack.createAgent())).token;
    const customer = (await suite.stack.login(await suite.stack.createCustomer())).token;
    for (const [method, path, body] of ROUTES) {
      expect((await call(method, path, null, body)).status, `${method} ${path}`).toBe(401);
      expect((await call(method, path, 'not-a-token', body)).status).toBe(401);
      for (const token of [agent, customer]) {
        const answer = await call(method, path, token, body);
        expect(answer.status, `${method} ${path}`).toBe(403);
        expect(await answer.json()).toMatchObject({ error: { code: 'forbidden' } });
      }
    }
  });

  it('lets any supervisor read transcripts and only admins set or run retention', async () => {
    const plain = await supervisorToken(false);
    const admin = await supervisorToken(true);
    for (const [method, path, body] of ROUTES) {
      const answer = await call(method, path, plain, body);
      if (path.includes('/retention')) {
        expect(answer.status, `${method} ${path}`).toBe(403);
        expect(await answer.json()).toMatchObject({
          error: { code: 'forbidden', message: 'This needs the administration right.' },
        });
      } else {
        expect(answer.status, `${method} ${path}`).toBe(path.includes('some-id') ? 404 : 200);
        await answer.body?.cancel();
      }
    }
    const set = await call('PUT', '/api/supervisor/retention', admin, { days: 30 });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ days: 30 });
    for (const bad of [{ days: 0 }, { days: 3651 }, { days: 1.5 }, { days: '30' }, {}]) {
      const answer = await call('PUT', '/api/supervisor/retention', admin, bad);
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(await answer.json()).toMatchObject({ error: { code: 'invalid_payload' } });
    }
    const off = await call('PUT', '/api/supervisor/retention', admin, { days: null });
    expect(await off.json()).toMatchObject({ days: null });
  });
});
