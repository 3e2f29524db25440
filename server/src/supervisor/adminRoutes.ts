import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { Collection, Filter } from 'mongodb';
import { z } from 'zod';
import { ProtocolError, type AgentStatus } from '@callcenter/shared';
import { AccountAdmin, AdminInputError, type AccountKind } from '../admin/accountAdmin';
import { CannedAdmin } from '../admin/cannedAdmin';
import type { AuthService } from '../auth/authService';
import type { ApiApp } from '../http/httpApp';
import type { ChatQueue } from '../live/chatQueue';
import { agentCapacity, type AccountsRepository } from '../store/accounts';
import type { AuditLogRepository } from '../store/auditLog';
import type { CannedRepliesRepository } from '../store/cannedReplies';
import type {
  AccountDoc,
  AgentDoc,
  AuditDoc,
  CannedReplyDoc,
  Collections,
  CustomerDoc,
  SupervisorDoc,
} from '../store/documents';
import { supervisorOf } from './supervisorAuth';

/**
 * What an administration change must reach on every node at once. The node's own handlers run
 * here, and the other nodes hear of it through Redis (`serverSideEmit`, the adapter's rooms).
 */
export interface AdminNodes {
  /** Ends every session of the account and closes its sockets on every node. */
  revokeSessions: (kind: AccountKind, userId: string) => Promise<void>;
  /** An agent's account changed: its live state (capacity) and the team list follow. */
  agentChanged: (agentId: string) => Promise<void>;
  /** A customer's account changed: cached profiles are dropped; a disabled one's chat ends. */
  customerChanged: (customerId: string) => Promise<void>;
  /** The shared canned replies changed: agents' consoles list them again. */
  sharedCannedChanged: () => Promise<void>;
  /** Sets the agent's live availability to `available`, as if it had chosen it. */
  setAvailable: (agentId: string) => Promise<void>;
}

export interface AdminRoutesDeps {
  auth: AuthService;
  accounts: AccountsRepository;
  collections: Collections;
  queue: ChatQueue;
  cannedReplies: CannedRepliesRepository;
  auditLog: AuditLogRepository;
  nodes: AdminNodes;
}

const KINDS = [
  ['agents', 'agent'],
  ['customers', 'customer'],
  ['supervisors', 'supervisor'],
] as const satisfies readonly (readonly [string, AccountKind])[];

const LIST_LIMIT = 50;
const LIST_LIMIT_MAX = 200;
const AUDIT_LIMIT = 50;
const AUDIT_LIMIT_MAX = 200;

function invalid(message: string): ProtocolError {
  return new ProtocolError('invalid_payload', message);
}

/** A query string read with `schema`; its first problem is the answer's message. */
function queryOf<S extends z.ZodType>(schema: S, request: FastifyRequest): z.infer<S> {
  const parsed = schema.safeParse(request.query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(
      issue ? `${issue.path.join('.') || 'query'}: ${issue.message}` : 'bad query string',
    );
  }
  return parsed.data;
}

/** A JSON object body (the admin logic validates its fields), else a clear refusal. */
function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body: unknown = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('Send a JSON object.');
  }
  return { ...(body as Record<string, unknown>) };
}

/** The admin logic's input errors are the caller's: 400 with its message. */
async function validated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AdminInputError) throw invalid(error.message);
    throw error;
  }
}

function loginOf(request: FastifyRequest): string {
  const login = (request.params as { login?: unknown }).login;
  if (typeof login !== 'string' || login.length === 0 || login.length > 100) {
    throw invalid('No such login.');
  }
  return login.toLowerCase();
}

const listQuerySchema = z.object({
  search: z.string().trim().max(100, 'search has at most 100 characters').optional(),
  limit: z.coerce
    .number()
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(LIST_LIMIT_MAX, `limit is at most ${LIST_LIMIT_MAX}`)
    .default(LIST_LIMIT),
  /** The last login of the previous page. */
  after: z.string().max(100).optional(),
});

const auditQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(AUDIT_LIMIT_MAX, `limit is at most ${AUDIT_LIMIT_MAX}`)
    .default(AUDIT_LIMIT),
  /** The `at` and `id` of the previous page's last entry (the answer's `next`). */
  before: z.iso.datetime({ error: 'before must be an ISO date-time' }).optional(),
  beforeId: z.string().max(100).optional(),
  action: z
    .string()
    .max(64)
    .regex(/^[a-z]+(\.[a-z]+)*$/, 'action is like agent.update')
    .optional(),
});

const exportQuerySchema = z.object({
  format: z.enum(['csv', 'json'], { error: 'format is csv or json' }).default('csv'),
});

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The fields an admin sees and changes of an account (never its password hash). */
export function accountFields(kind: AccountKind, doc: AccountDoc): Record<string, unknown> {
  const common = {
    login: doc.login,
    displayName: doc.displayName,
    email: doc.email,
    disabled: doc.disabled,
  };
  if (kind === 'agent') return { ...common, capacity: agentCapacity(doc as AgentDoc) };
  if (kind === 'supervisor') return { ...common, admin: (doc as SupervisorDoc).admin };
  const customer = doc as CustomerDoc;
  return {
    ...common,
    tier: customer.tier,
    phone: customer.phone,
    company: customer.company,
    notes: customer.notes,
    customerSince: customer.customerSince.toISOString(),
  };
}

/** The fields that differ, before and after; null when nothing did. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const was: Record<string, unknown> = {};
  const is: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    was[key] = before[key] ?? null;
    is[key] = after[key] ?? null;
  }
  return Object.keys(is).length === 0 ? null : { before: was, after: is };
}

function cannedFields(doc: CannedReplyDoc): Record<string, unknown> {
  return { shortcut: doc.shortcut, title: doc.title, text: doc.text };
}

function cannedView(doc: CannedReplyDoc) {
  return { id: doc._id, ...cannedFields(doc), updatedAt: doc.updatedAt.toISOString() };
}

function auditView(doc: AuditDoc) {
  const { _id: id, at, ...rest } = doc;
  return { id, at: at.toISOString(), ...rest };
}

function generatedPassword(): string {
  // 16 characters of base64url: 96 random bits.
  return randomBytes(12).toString('base64url');
}

const CSV_COLUMNS = [
  'at',
  'actorLogin',
  'actorName',
  'action',
  'targetKind',
  'targetId',
  'targetLabel',
  'before',
  'after',
] as const;

/** One CSV field: quoted when needed; a leading = + - @ is defused for spreadsheets. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

async function* csvLines(entries: AsyncIterable<AuditDoc>): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for await (const doc of entries) {
    const fields = [
      doc.at.toISOString(),
      doc.actor.login,
      doc.actor.displayName,
      doc.action,
      doc.target.kind,
      doc.target.id,
      doc.target.label,
      doc.before === null ? '' : JSON.stringify(doc.before),
      doc.after === null ? '' : JSON.stringify(doc.after),
    ];
    yield `${fields.map(csvField).join(',')}\r\n`;
  }
}

async function* jsonLines(entries: AsyncIterable<AuditDoc>): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const doc of entries) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(auditView(doc))}`;
    first = false;
  }
  yield '\n]\n';
}

/**
 * `/api/supervisor/admin/...` and `/api/supervisor/audit...`: what `npm run admin` does, from the
 * console, for supervisors with the admin right only (others: 403; no session: 401). Every
 * change goes through the admin tool's validated logic, reaches every node at once (AdminNodes)
 * and is kept in the audit log with the fields it changed, before and after.
 */
export function adminRoutes(deps: AdminRoutesDeps) {
  const admin = new AccountAdmin(deps.accounts, {
    revokeSessions: deps.nodes.revokeSessions,
    customerChanged: deps.nodes.customerChanged,
    agentChanged: deps.nodes.agentChanged,
  });
  const canned = new CannedAdmin(deps.cannedReplies, {
    sharedChanged: deps.nodes.sharedCannedChanged,
  });

  /** The calling admin, as the audit log names it. */
  async function adminOf(request: FastifyRequest): Promise<AuditDoc['actor']> {
    const identity = await supervisorOf(request, deps.auth, deps.accounts, { admin: true });
    const account = await deps.accounts.findSupervisor(identity.userId);
    return {
      id: identity.userId,
      login: account?.login ?? '',
      displayName: account?.displayName ?? identity.displayName,
    };
  }

  async function existing(kind: AccountKind, login: string): Promise<AccountDoc> {
    const doc = await deps.accounts.findForLogin(kind, login);
    if (!doc) throw new ProtocolError('not_found', `There is no ${kind} with login "${login}".`);
    return doc;
  }

  function collectionOf(kind: AccountKind) {
    const byKind = {
      agent: deps.collections.agents,
      customer: deps.collections.customers,
      supervisor: deps.collections.supervisors,
    };
    return byKind[kind] as unknown as Collection<AccountDoc>;
  }

  async function rowsOf(kind: AccountKind, docs: AccountDoc[]) {
    const live =
      kind === 'agent'
        ? await Promise.all(docs.map((doc) => deps.queue.agentState(doc._id)))
        : undefined;
    return docs.map((doc, index) => {
      const state = live?.[index];
      return {
        id: doc._id,
        ...accountFields(kind, doc),
        createdAt: doc.createdAt.toISOString(),
        ...(state && {
          live: {
            status: state.version === 0 ? null : state.status,
            conversations: state.conversations.length,
          },
        }),
      };
    });
  }

  return (app: ApiApp): void => {
    for (const [plural, kind] of KINDS) {
      const base = `/api/supervisor/admin/${plural}`;

      app.get(base, async (request) => {
        await adminOf(request);
        const query = queryOf(listQuerySchema, request);
        const filter: Filter<AccountDoc> = {};
        if (query.after !== undefined) filter.login = { $gt: query.after.toLowerCase() };
        if (query.search) {
          const pattern = { $regex: escapeRegex(query.search), $options: 'i' };
          filter.$or = [{ login: pattern }, { displayName: pattern }, { email: pattern }];
        }
        const docs = await collectionOf(kind)
          .find(filter, { projection: { passwordHash: 0 } })
          .sort({ login: 1 })
          .limit(query.limit + 1)
          .toArray();
        const page = docs.slice(0, query.limit);
        return {
          accounts: await rowsOf(kind, page),
          next: docs.length > query.limit ? (page.at(-1)?.login ?? null) : null,
        };
      });

      app.post(base, async (request) => {
        const actor = await adminOf(request);
        const body = bodyOf(request);
        const generate = body.generatePassword;
        delete body.generatePassword;
        if (generate !== undefined && typeof generate !== 'boolean') {
          throw invalid('generatePassword must be true or false.');
        }
        if (generate === true && body.password !== undefined) {
          throw invalid('Give a password or generatePassword: true, not both.');
        }
        if (generate !== true && body.password === undefined) {
          throw invalid('Give a password (at least 8 characters) or generatePassword: true.');
        }
        const password = generate === true ? generatedPassword() : undefined;
        if (password !== undefined) body.password = password;
        const created = await validated(() => admin.create(kind, body));
        await deps.auditLog.record({
          actor,
          action: `${kind}.create`,
          target: { kind, id: created.id, label: created.login },
          before: null,
          after: accountFields(kind, created.after),
        });
        return {
          account: (await rowsOf(kind, [created.after]))[0],
          ...(password !== undefined && { password }),
        };
      });

      app.patch(`${base}/:login`, async (request) => {
        const actor = await adminOf(request);
        const login = loginOf(request);
        const body = bodyOf(request);
        if (body.password !== undefined) {
          throw invalid('A password is changed with Reset password (POST …/password), not here.');
        }
        if (Object.keys(body).length === 0) throw invalid('Nothing to change.');
        if (
          kind === 'supervisor' &&
          login === actor.login &&
          (body.admin === false || body.disabled === true)
        ) {
          throw invalid(
            'You cannot take away your own administration right or disable yourself; another admin can.',
          );
        }
        await existing(kind, login);
        const updated = await validated(() => admin.update(kind, login, body));
        const change = changedFields(
          updated.before ? accountFields(kind, updated.before) : {},
          accountFields(kind, updated.after),
        );
        if (change) {
          const onlyDisabled = Object.keys(change.after).every((key) => key === 'disabled');
          const action = onlyDisabled
            ? updated.after.disabled
              ? `${kind}.disable`
              : `${kind}.enable`
            : `${kind}.update`;
          await deps.auditLog.record({
            actor,
            action,
            target: { kind, id: updated.id, label: updated.login },
            ...change,
          });
        }
        return { account: (await rowsOf(kind, [updated.after]))[0] };
      });

      app.post(`${base}/:login/password`, async (request) => {
        const actor = await adminOf(request);
        const login = loginOf(request);
        if (kind === 'supervisor' && login === actor.login) {
          // It would end this very session before the new password could be read.
          throw invalid('You cannot reset your own password here; another admin can.');
        }
        await existing(kind, login);
        const password = generatedPassword();
        // The change ends the account's sessions (AccountAdmin revokes on a new password).
        const updated = await validated(() => admin.update(kind, login, { password }));
        await deps.auditLog.record({
          actor,
          action: `${kind}.password`,
          target: { kind, id: updated.id, label: updated.login },
          before: null,
          after: null,
        });
        return { login: updated.login, password };
      });
    }

    app.post('/api/supervisor/admin/agents/:login/availability', async (request) => {
      const actor = await adminOf(request);
      const doc = await existing('agent', loginOf(request));
      const before = await deps.queue.agentState(doc._id);
      await deps.nodes.setAvailable(doc._id);
      const status: AgentStatus = 'available';
      await deps.auditLog.record({
        actor,
        action: 'agent.status',
        target: { kind: 'agent', id: doc._id, label: doc.login },
        before: { status: before.version === 0 ? null : before.status },
        after: { status },
      });
      return { status };
    });

    app.get('/api/supervisor/admin/canned', async (request) => {
      await adminOf(request);
      return { replies: (await canned.list()).map(cannedView) };
    });

    app.post('/api/supervisor/admin/canned', async (request) => {
      const actor = await adminOf(request);
      const doc = await validated(() => canned.add(bodyOf(request)));
      await deps.auditLog.record({
        actor,
        action: 'canned.create',
        target: { kind: 'canned', id: doc._id, label: `/${doc.shortcut}` },
        before: null,
        after: cannedFields(doc),
      });
      return { reply: cannedView(doc) };
    });

    const cannedIdOf = (request: FastifyRequest): string => {
      const id = (request.params as { id?: unknown }).id;
      if (typeof id !== 'string' || id.length === 0 || id.length > 100) {
        throw invalid('No such canned reply.');
      }
      return id;
    };

    const existingCanned = async (id: string): Promise<CannedReplyDoc> => {
      const doc = await deps.cannedReplies.findInSet(null, id);
      if (!doc) throw new ProtocolError('not_found', 'There is no such shared canned reply.');
      return doc;
    };

    app.patch('/api/supervisor/admin/canned/:id', async (request) => {
      const actor = await adminOf(request);
      const before = await existingCanned(cannedIdOf(request));
      const doc = await validated(() => canned.update(before._id, bodyOf(request)));
      const change = changedFields(cannedFields(before), cannedFields(doc));
      if (change) {
        await deps.auditLog.record({
          actor,
          action: 'canned.update',
          target: { kind: 'canned', id: doc._id, label: `/${doc.shortcut}` },
          ...change,
        });
      }
      return { reply: cannedView(doc) };
    });

    app.delete('/api/supervisor/admin/canned/:id', async (request) => {
      const actor = await adminOf(request);
      const before = await existingCanned(cannedIdOf(request));
      const doc = await validated(() => canned.remove(before._id));
      await deps.auditLog.record({
        actor,
        action: 'canned.delete',
        target: { kind: 'canned', id: doc._id, label: `/${doc.shortcut}` },
        before: cannedFields(doc),
        after: null,
      });
      return { removed: doc._id };
    });

    app.get('/api/supervisor/audit', async (request) => {
      await adminOf(request);
      const query = queryOf(auditQuerySchema, request);
      const entries = await deps.auditLog.list({
        limit: query.limit + 1,
        before: query.before === undefined ? undefined : new Date(query.before),
        beforeId: query.beforeId,
        action: query.action,
      });
      const page = entries.slice(0, query.limit);
      const last = page.at(-1);
      return {
        entries: page.map(auditView),
        next:
          entries.length > query.limit && last
            ? { before: last.at.toISOString(), beforeId: last._id }
            : null,
      };
    });

    app.get('/api/supervisor/audit/export', async (request, reply) => {
      await adminOf(request);
      const { format } = queryOf(exportQuerySchema, request);
      const day = new Date().toISOString().slice(0, 10);
      const entries = deps.auditLog.stream();
      const body = Readable.from(format === 'csv' ? csvLines(entries) : jsonLines(entries));
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${day}.${format}"`)
        .header('cache-control', 'no-store')
        .send(body);
    });
  };
}
