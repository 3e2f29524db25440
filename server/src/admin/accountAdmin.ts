import { z } from 'zod';
import {
  displayNameSchema,
  MAX_AGENT_CAPACITY,
  multiLineText,
  singleLineText,
  TIERS,
} from '@callcenter/shared';
import type {
  AccountsRepository,
  AgentChanges,
  CustomerChanges,
  SupervisorChanges,
} from '../store/accounts';
import type { AccountDoc } from '../store/documents';
import { isDuplicateKeyError } from '../store/mongo';

const loginSchema = z
  .string()
  .min(2)
  .max(100)
  .regex(/^[A-Za-z0-9._@+-]+$/, 'logins use letters, digits and . _ @ + - only')
  // Logins are case-insensitive: stored lower-case, looked up lower-case.
  .transform((login) => login.toLowerCase());
const passwordSchema = z.string().min(8, 'passwords have at least 8 characters').max(200);
// Names and profile texts are shown to other people: the shared text rules refuse control and
// bidi control characters, lone surrogates and invisible-only values. An empty optional field
// clears it.
const optionalText = singleLineText(z.string().trim().max(200), { allowEmpty: true })
  .nullable()
  .optional();
const optionalNotes = multiLineText(z.string().trim().max(2000), { allowEmpty: true })
  .nullable()
  .optional();

export const agentInputSchema = z.strictObject({
  login: loginSchema,
  displayName: displayNameSchema,
  password: passwordSchema,
  email: z.email().nullable().optional(),
  /** Most conversations at once (default 1). */
  capacity: z
    .number({ error: 'capacity must be a whole number' })
    .int('capacity must be a whole number')
    .min(1, 'capacity must be at least 1')
    .max(MAX_AGENT_CAPACITY, `capacity is at most ${MAX_AGENT_CAPACITY}`)
    .optional(),
});

export const supervisorInputSchema = z.strictObject({
  login: loginSchema,
  displayName: displayNameSchema,
  password: passwordSchema,
  email: z.email().nullable().optional(),
  /** May administer accounts, canned replies and retention from the console (default no). */
  admin: z.boolean({ error: 'admin must be true or false' }).optional(),
});

export const customerInputSchema = z.strictObject({
  login: loginSchema,
  displayName: displayNameSchema,
  password: passwordSchema,
  tier: z.enum(TIERS),
  email: z.email().nullable().optional(),
  phone: optionalText,
  company: optionalText,
  notes: optionalNotes,
  customerSince: z.iso.date().or(z.iso.datetime()).optional(),
});

export const agentChangesSchema = agentInputSchema
  .omit({ login: true })
  .partial()
  .extend({ disabled: z.boolean().optional() });
export const supervisorChangesSchema = supervisorInputSchema
  .omit({ login: true })
  .partial()
  .extend({ disabled: z.boolean().optional() });
export const customerChangesSchema = customerInputSchema
  .omit({ login: true })
  .partial()
  .extend({ disabled: z.boolean().optional() });

export const bulkFileSchema = z.strictObject({
  agents: z.array(z.unknown()).optional(),
  customers: z.array(z.unknown()).optional(),
  supervisors: z.array(z.unknown()).optional(),
});

export type AccountKind = 'agent' | 'customer' | 'supervisor';

const A_KIND: Record<AccountKind, string> = {
  agent: 'an agent',
  customer: 'a customer',
  supervisor: 'a supervisor',
};

export interface BulkOutcome {
  kind: AccountKind;
  index: number;
  login: string | undefined;
  result: 'created' | 'updated' | 'failed';
  reason?: string;
}

export class AdminInputError extends Error {
  override name = 'AdminInputError';
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AdminInputError(describeIssues(parsed.error));
  return parsed.data;
}

/** R1: what admins do to accounts, validated; shared by the one-at-a-time and bulk commands. */
export class AccountAdmin {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly servers: {
      /** Revokes a user's sessions and closes its sockets (account disabled or password changed). */
      revokeSessions: (kind: AccountKind, userId: string) => Promise<void>;
      /** Tells the server nodes a customer's profile changed (they cache profiles). */
      customerChanged: (customerId: string) => Promise<void>;
      /** Tells the server nodes an agent changed (capacity, name): they refresh its state. */
      agentChanged: (agentId: string) => Promise<void>;
    },
  ) {}

  /** Creates an account; `after` is the stored document (for the console's audit log). */
  async create(
    kind: AccountKind,
    input: unknown,
  ): Promise<{ id: string; login: string; after: AccountDoc }> {
    try {
      if (kind === 'agent') {
        const data = parseOrThrow(agentInputSchema, input);
        const doc = await this.accounts.createAgent(data);
        // The team list shows the new colleague.
        await this.servers.agentChanged(doc._id);
        return { id: doc._id, login: doc.login, after: doc };
      }
      if (kind === 'supervisor') {
        const doc = await this.accounts.createSupervisor(
          parseOrThrow(supervisorInputSchema, input),
        );
        return { id: doc._id, login: doc.login, after: doc };
      }
      const data = parseOrThrow(customerInputSchema, input);
      const doc = await this.accounts.createCustomer({
        ...data,
        customerSince: data.customerSince ? new Date(data.customerSince) : undefined,
      });
      return { id: doc._id, login: doc.login, after: doc };
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new AdminInputError(`${A_KIND[kind]} with this login already exists`);
      }
      throw error;
    }
  }

  /**
   * Changes the account `rawLogin`; `before` and `after` are its documents around the change
   * (for the console's audit log; `before` is read just ahead of the write).
   */
  async update(
    kind: AccountKind,
    rawLogin: string,
    changes: unknown,
  ): Promise<{ id: string; login: string; before: AccountDoc | null; after: AccountDoc }> {
    const login = rawLogin.toLowerCase();
    const before = await this.accounts.findForLogin(kind, login);
    let doc: AccountDoc | null;
    let revoke: boolean;
    if (kind === 'agent') {
      const data: AgentChanges = parseOrThrow(agentChangesSchema, changes);
      revoke = data.disabled === true || data.password !== undefined;
      doc = await this.accounts.updateAgent(login, data);
    } else if (kind === 'supervisor') {
      const data: SupervisorChanges = parseOrThrow(supervisorChangesSchema, changes);
      // Taking the admin right away ends the sessions too: a console keeps what it was given.
      revoke = data.disabled === true || data.password !== undefined || data.admin === false;
      doc = await this.accounts.updateSupervisor(login, data);
    } else {
      const parsed = parseOrThrow(customerChangesSchema, changes);
      const data: CustomerChanges = {
        ...parsed,
        customerSince: parsed.customerSince ? new Date(parsed.customerSince) : undefined,
      };
      revoke = data.disabled === true || data.password !== undefined;
      doc = await this.accounts.updateCustomer(login, data);
    }
    if (!doc) throw new AdminInputError(`no ${kind} with login "${login}"`);
    if (revoke) await this.servers.revokeSessions(kind, doc._id);
    if (kind === 'customer') await this.servers.customerChanged(doc._id);
    else if (kind === 'agent') await this.servers.agentChanged(doc._id);
    return { id: doc._id, login: doc.login, before, after: doc };
  }

  /** Creates each account, or updates it when the login exists; one failure stops nothing. */
  async importBulk(
    file: unknown,
    onProgress: (outcome: BulkOutcome, done: number, total: number) => void,
  ): Promise<BulkOutcome[]> {
    const data = parseOrThrow(bulkFileSchema, file);
    const items: { kind: AccountKind; index: number; input: unknown }[] = [
      ...(data.agents ?? []).map((input, index) => ({ kind: 'agent' as const, index, input })),
      ...(data.customers ?? []).map((input, index) => ({
        kind: 'customer' as const,
        index,
        input,
      })),
      ...(data.supervisors ?? []).map((input, index) => ({
        kind: 'supervisor' as const,
        index,
        input,
      })),
    ];
    const outcomes: BulkOutcome[] = [];
    for (const item of items) {
      const login =
        typeof item.input === 'object' && item.input !== null && 'login' in item.input
          ? String(item.input.login)
          : undefined;
      let outcome: BulkOutcome;
      try {
        const exists =
          login !== undefined &&
          (await this.accounts.findForLogin(item.kind, login.toLowerCase())) !== null;
        if (exists) {
          const changes = { ...(item.input as Record<string, unknown>) };
          delete changes.login;
          await this.update(item.kind, login, changes);
          outcome = { kind: item.kind, index: item.index, login, result: 'updated' };
        } else {
          await this.create(item.kind, item.input);
          outcome = { kind: item.kind, index: item.index, login, result: 'created' };
        }
      } catch (error) {
        if (!(error instanceof AdminInputError)) throw error;
        outcome = {
          kind: item.kind,
          index: item.index,
          login,
          result: 'failed',
          reason: error.message,
        };
      }
      outcomes.push(outcome);
      onProgress(outcome, outcomes.length, items.length);
    }
    return outcomes;
  }
}
