import { Readable } from 'node:stream';
import { z } from 'zod';
import { ProtocolError } from '@callcenter/shared';
import type { AuthService } from '../auth/authService';
import type { ApiApp } from '../http/httpApp';
import type { AccountsRepository } from '../store/accounts';
import type { AuditLogRepository } from '../store/auditLog';
import type { ConversationDoc, MessageDoc, RetentionSettingsDoc } from '../store/documents';
import type { RetentionRepository } from '../store/retention';
import type {
  PartyNames,
  TranscriptCursor,
  TranscriptFilter,
  TranscriptsRepository,
} from '../store/transcripts';
import type { RetentionJob } from './retentionJob';
import { supervisorOf } from './supervisorAuth';

/** Matching messages a text search reads at most (their conversations are the result). */
export const TEXT_SEARCH_MESSAGE_LIMIT = 10_000;
/** Conversations read from storage at a time by an export, with one query for their messages. */
const EXPORT_BATCH = 500;
const DEFAULT_PAGE = 50;

const searchText = (name: string) =>
  z
    .string()
    .trim()
    .max(200, `${name} is at most 200 characters`)
    .optional()
    .transform((value) => (value === '' ? undefined : value));

const isoDate = (name: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === '') return undefined;
      const time = Date.parse(value);
      if (Number.isNaN(time)) {
        context.addIssue({
          code: 'custom',
          message: `${name} must be an ISO date such as 2025-01-31 or 2025-01-31T12:00:00Z`,
        });
        return z.NEVER;
      }
      return new Date(time);
    });

const filterSchema = z
  .object({
    customer: searchText('customer'),
    agent: searchText('agent'),
    from: isoDate('from'),
    to: isoDate('to'),
    q: searchText('q'),
  })
  .refine((f) => !f.from || !f.to || f.from < f.to, { message: 'from must be before to' });

const cursorSchema = z
  .string()
  .transform((value, context): TranscriptCursor => {
    try {
      const parsed = z
        .object({ t: z.iso.datetime(), id: z.string().min(1).max(100) })
        .parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
      return { startedAt: new Date(parsed.t), id: parsed.id };
    } catch {
      context.addIssue({ code: 'custom', message: 'before must be a next cursor from a page' });
      return z.NEVER;
    }
  })
  .optional();

const searchSchema = z.intersection(
  filterSchema,
  z.object({
    before: cursorSchema,
    limit: z.coerce
      .number({ error: 'limit must be a number' })
      .int('limit must be a whole number')
      .min(1, 'limit must be 1-200')
      .max(200, 'limit must be 1-200')
      .default(DEFAULT_PAGE),
  }),
);

const exportSchema = z.intersection(
  filterSchema,
  z.object({ format: z.enum(['csv', 'json'], { error: 'format must be csv or json' }) }),
);

const retentionSchema = z.object(
  {
    days: z
      .number({ error: 'days must be a whole number of days (1-3650) or null to keep for good' })
      .int('days must be a whole number')
      .min(1, 'days must be 1-3650')
      .max(3650, 'days must be 1-3650')
      .nullable(),
  },
  { error: 'Send { days: 1-3650 | null }.' },
);

const idSchema = z.object({ id: z.string().min(1).max(100) });

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ProtocolError(
      'invalid_payload',
      parsed.error.issues.map((issue) => issue.message).join('; '),
    );
  }
  return parsed.data;
}

type Filters = z.infer<typeof filterSchema>;

function encodeCursor(conversation: ConversationDoc): string {
  return Buffer.from(
    JSON.stringify({ t: conversation.startedAt.toISOString(), id: conversation._id }),
  ).toString('base64url');
}

function ratingOf(conversation: ConversationDoc) {
  const rating = conversation.rating;
  if (!rating) return null;
  return 'skipped' in rating
    ? { skipped: true, at: rating.at.toISOString() }
    : { score: rating.score, comment: rating.comment, at: rating.at.toISOString() };
}

function transcriptItem(conversation: ConversationDoc, names: PartyNames) {
  const customer = names.customers.get(conversation.customerId);
  const agent = names.agents.get(conversation.agentId);
  return {
    id: conversation._id,
    customer: {
      id: conversation.customerId,
      displayName: customer?.displayName ?? null,
      login: customer?.login ?? null,
    },
    agent: { id: conversation.agentId, displayName: agent?.displayName ?? null },
    status: conversation.status,
    startedAt: conversation.startedAt.toISOString(),
    endedAt: conversation.endedAt?.toISOString() ?? null,
    endReason: conversation.endReason ?? null,
    rating: ratingOf(conversation),
  };
}

function messageItem(message: MessageDoc) {
  return {
    id: message._id,
    seq: message.seq,
    sender: message.sender,
    text: message.text,
    createdAt: message.createdAt.toISOString(),
    ...(message.call && { call: message.call }),
    ...(message.notice && { notice: message.notice }),
    ...(message.attachment && { attachment: message.attachment }),
  };
}

/** A message's text for the CSV export, naming a file sent with it (the file is not exported). */
function exportedText(message: MessageDoc): string {
  if (!message.attachment) return message.text;
  const file = `[attachment: ${message.attachment.name}]`;
  return message.text === '' ? file : `${message.text} ${file}`;
}

/**
 * A CSV field: quoted when it holds a quote, comma or line break (RFC 4180); a leading
 * = + - @ is defused with a quote mark, as customers' words must not run as spreadsheet formulas.
 */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const CSV_HEADER = [
  'conversationId',
  'startedAt',
  'endedAt',
  'customer',
  'agent',
  'messageAt',
  'senderRole',
  'senderName',
  'text',
];

function csvRow(fields: string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function retentionView(settings: RetentionSettingsDoc) {
  return {
    days: settings.days,
    updatedAt: settings.updatedBy ? settings.updatedAt.toISOString() : null,
    updatedBy: settings.updatedBy,
    lastRun: settings.lastRun
      ? {
          at: settings.lastRun.at.toISOString(),
          cutoff: settings.lastRun.cutoff.toISOString(),
          removedConversations: settings.lastRun.removedConversations,
          removedMessages: settings.lastRun.removedMessages,
        }
      : null,
  };
}

/**
 * `/api/supervisor/transcripts` (any supervisor): search, open and export stored
 * conversations; `/api/supervisor/retention` (admins): how long ended ones are kept.
 */
export function transcriptRoutes(deps: {
  auth: AuthService;
  accounts: AccountsRepository;
  transcripts: TranscriptsRepository;
  retention: RetentionRepository;
  retentionJob: RetentionJob;
  auditLog: AuditLogRepository;
}) {
  const { transcripts } = deps;

  /** The filters as storage reads them; `null`: nothing can match (no such customer, say). */
  async function storeFilter(filters: Filters): Promise<TranscriptFilter | null> {
    const filter: TranscriptFilter = { from: filters.from, to: filters.to };
    if (filters.customer !== undefined) {
      filter.customerIds = await transcripts.accountsMatching('customers', filters.customer);
      if (filter.customerIds.length === 0) return null;
    }
    if (filters.agent !== undefined) {
      filter.agentIds = await transcripts.accountsMatching('agents', filters.agent);
      if (filter.agentIds.length === 0) return null;
    }
    if (filters.q !== undefined) {
      const found = await transcripts.conversationsWithText(filters.q, TEXT_SEARCH_MESSAGE_LIMIT);
      filter.conversationIds = found.ids;
      if (found.ids.length === 0) return null;
    }
    return filter;
  }

  async function* exportBatches(filter: TranscriptFilter | null) {
    if (filter === null) return;
    const cursor = transcripts.stream(filter, EXPORT_BATCH);
    try {
      let batch: ConversationDoc[] = [];
      for await (const conversation of cursor) {
        batch.push(conversation);
        if (batch.length < EXPORT_BATCH) continue;
        yield batch;
        batch = [];
      }
      if (batch.length > 0) yield batch;
    } finally {
      await cursor.close();
    }
  }

  async function* jsonExport(filter: TranscriptFilter | null): AsyncGenerator<string> {
    yield '[';
    let first = true;
    for await (const batch of exportBatches(filter)) {
      const [names, messages] = await Promise.all([
        transcripts.partyNames(batch),
        transcripts.messagesOfMany(batch.map((c) => c._id)),
      ]);
      let chunk = '';
      for (const conversation of batch) {
        const item = {
          ...transcriptItem(conversation, names),
          messages: (messages.get(conversation._id) ?? []).map(messageItem),
        };
        chunk += `${first ? '\n' : ',\n'}${JSON.stringify(item)}`;
        first = false;
      }
      yield chunk;
    }
    yield first ? ']\n' : '\n]\n';
  }

  async function* csvExport(filter: TranscriptFilter | null): AsyncGenerator<string> {
    yield csvRow(CSV_HEADER);
    for await (const batch of exportBatches(filter)) {
      const [names, messages] = await Promise.all([
        transcripts.partyNames(batch),
        transcripts.messagesOfMany(batch.map((c) => c._id)),
      ]);
      let chunk = '';
      for (const conversation of batch) {
        const item = transcriptItem(conversation, names);
        for (const message of messages.get(conversation._id) ?? []) {
          chunk += csvRow([
            item.id,
            item.startedAt,
            item.endedAt ?? '',
            item.customer.displayName ?? item.customer.id,
            item.agent.displayName ?? item.agent.id,
            message.createdAt.toISOString(),
            message.sender.role,
            message.sender.displayName,
            exportedText(message),
          ]);
        }
      }
      yield chunk;
    }
  }

  return (app: ApiApp): void => {
    app.get('/api/supervisor/transcripts', async (request) => {
      await supervisorOf(request, deps.auth, deps.accounts, { admin: false });
      const query = parse(searchSchema, request.query);
      const filter = await storeFilter(query);
      if (filter === null) return { items: [], next: null };
      const page = await transcripts.page(filter, query.limit + 1, query.before);
      const conversations = page.slice(0, query.limit);
      const ids = conversations.map((c) => c._id);
      const [names, counts] = await Promise.all([
        transcripts.partyNames(conversations),
        transcripts.messageCounts(ids),
      ]);
      const last = conversations.at(-1);
      return {
        items: conversations.map((c) => ({
          ...transcriptItem(c, names),
          messageCount: counts.get(c._id) ?? 0,
        })),
        next: page.length > query.limit && last ? encodeCursor(last) : null,
      };
    });

    app.get('/api/supervisor/transcripts/export', async (request, reply) => {
      const supervisor = await supervisorOf(request, deps.auth, deps.accounts, { admin: false });
      const query = parse(exportSchema, request.query);
      const filter = await storeFilter(query);
      const { format, ...filters } = query;
      const account = await deps.accounts.findSupervisor(supervisor.userId);
      await deps.auditLog.record({
        actor: {
          id: supervisor.userId,
          login: account?.login ?? '',
          displayName: account?.displayName ?? '',
        },
        action: 'transcripts.export',
        target: { kind: 'transcripts', id: 'transcripts', label: 'Transcripts' },
        before: null,
        after: {
          format,
          filters: Object.fromEntries(
            Object.entries(filters)
              .filter(([, value]) => value !== undefined)
              .map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]),
          ),
        },
      });
      const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
      // A Readable from a generator: the next batch is read only when the client has taken
      // the last one, so memory holds one batch whatever the export's size.
      const body = Readable.from(format === 'csv' ? csvExport(filter) : jsonExport(filter));
      body.on('error', (error) => {
        request.log.error({ err: error }, 'a transcript export failed midway');
      });
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="transcripts-${stamp}.${format}"`)
        .header('cache-control', 'no-store')
        .send(body);
    });

    app.get('/api/supervisor/transcripts/:id', async (request) => {
      await supervisorOf(request, deps.auth, deps.accounts, { admin: false });
      const { id } = parse(idSchema, request.params);
      const conversation = await transcripts.find(id);
      if (!conversation) throw new ProtocolError('not_found', 'No such conversation.');
      const [names, messages] = await Promise.all([
        transcripts.partyNames([conversation]),
        transcripts.messagesOf(id),
      ]);
      return {
        conversation: transcriptItem(conversation, names),
        messages: messages.map(messageItem),
      };
    });

    app.get('/api/supervisor/retention', async (request) => {
      await supervisorOf(request, deps.auth, deps.accounts, { admin: true });
      return retentionView(await deps.retention.settings());
    });

    app.put('/api/supervisor/retention', async (request) => {
      const admin = await supervisorOf(request, deps.auth, deps.accounts, { admin: true });
      const { days } = parse(retentionSchema, request.body);
      const account = await deps.accounts.findSupervisor(admin.userId);
      const actor = {
        id: admin.userId,
        login: account?.login ?? '',
        displayName: account?.displayName ?? '',
      };
      const before = await deps.retention.settings();
      const after = await deps.retention.setDays(days, actor);
      await deps.auditLog.record({
        actor,
        action: 'retention.update',
        target: { kind: 'retention', id: 'retention', label: 'Retention' },
        before: { days: before.days },
        after: { days },
      });
      return retentionView(after);
    });

    app.post('/api/supervisor/retention/run', async (request) => {
      await supervisorOf(request, deps.auth, deps.accounts, { admin: true });
      const outcome = await deps.retentionJob.run();
      if (!outcome.ran) return outcome;
      const { report } = outcome;
      return {
        ran: true,
        report: {
          at: report.at.toISOString(),
          cutoff: report.cutoff.toISOString(),
          removedConversations: report.removedConversations,
          removedMessages: report.removedMessages,
        },
      };
    });
  };
}
