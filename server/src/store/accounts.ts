import { randomUUID } from 'node:crypto';
import type { Filter } from 'mongodb';
import type { AgentUser, CustomerUser, Role, Tier, User } from '@callcenter/shared';
import { hashPassword } from '../auth/passwords';
import type { AccountDoc, AgentDoc, Collections, CustomerDoc } from './mongo';

export interface NewAgent {
  login: string;
  displayName: string;
  password: string;
  email?: string | null;
}

export interface NewCustomer extends NewAgent {
  tier: Tier;
  phone?: string | null;
  company?: string | null;
  customerSince?: Date;
  notes?: string | null;
}

export type AgentChanges = Partial<Omit<NewAgent, 'login'>> & { disabled?: boolean };
export type CustomerChanges = Partial<Omit<NewCustomer, 'login'>> & { disabled?: boolean };

export function agentToUser(doc: AgentDoc): AgentUser {
  return {
    id: doc._id,
    role: 'agent',
    login: doc.login,
    displayName: doc.displayName,
    profile: { email: doc.email },
  };
}

export function customerToUser(doc: CustomerDoc): CustomerUser {
  return {
    id: doc._id,
    role: 'customer',
    login: doc.login,
    displayName: doc.displayName,
    profile: {
      tier: doc.tier,
      email: doc.email,
      phone: doc.phone,
      company: doc.company,
      customerSince: doc.customerSince.toISOString(),
      notes: doc.notes,
    },
  };
}

/** Agents and customers: the accounts people log in with. */
export class AccountsRepository {
  constructor(private readonly collections: Collections) {}

  async findForLogin(role: Role, login: string): Promise<AccountDoc | null> {
    const collection = role === 'agent' ? this.collections.agents : this.collections.customers;
    // `login` is a validated string; the filter is built here, never taken from a client.
    return collection.findOne({ login } as Filter<AccountDoc>);
  }

  async findUser(role: Role, id: string): Promise<User | null> {
    if (role === 'agent') {
      const doc = await this.collections.agents.findOne({ _id: id });
      return doc ? agentToUser(doc) : null;
    }
    const doc = await this.collections.customers.findOne({ _id: id });
    return doc ? customerToUser(doc) : null;
  }

  async findCustomer(id: string): Promise<CustomerDoc | null> {
    return this.collections.customers.findOne({ _id: id });
  }

  async findAgent(id: string): Promise<AgentDoc | null> {
    return this.collections.agents.findOne({ _id: id });
  }

  async createAgent(input: NewAgent): Promise<AgentDoc> {
    const now = new Date();
    const doc: AgentDoc = {
      _id: randomUUID(),
      login: input.login,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      disabled: false,
      email: input.email ?? null,
      createdAt: now,
      updatedAt: now,
    };
    await this.collections.agents.insertOne(doc);
    return doc;
  }

  async createCustomer(input: NewCustomer): Promise<CustomerDoc> {
    const now = new Date();
    const doc: CustomerDoc = {
      _id: randomUUID(),
      login: input.login,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      disabled: false,
      email: input.email ?? null,
      tier: input.tier,
      phone: input.phone ?? null,
      company: input.company ?? null,
      customerSince: input.customerSince ?? now,
      notes: input.notes ?? null,
      createdAt: now,
      updatedAt: now,
    };
    await this.collections.customers.insertOne(doc);
    return doc;
  }

  /** Updates an agent by login; null when there is no such agent. */
  async updateAgent(login: string, changes: AgentChanges): Promise<AgentDoc | null> {
    const set = await this.commonChanges(changes);
    return this.collections.agents.findOneAndUpdate(
      { login },
      { $set: set },
      { returnDocument: 'after' },
    );
  }

  /** Updates a customer by login; null when there is no such customer. */
  async updateCustomer(login: string, changes: CustomerChanges): Promise<CustomerDoc | null> {
    const set: Partial<CustomerDoc> = await this.commonChanges(changes);
    if (changes.tier !== undefined) set.tier = changes.tier;
    if (changes.phone !== undefined) set.phone = changes.phone;
    if (changes.company !== undefined) set.company = changes.company;
    if (changes.notes !== undefined) set.notes = changes.notes;
    if (changes.customerSince !== undefined) set.customerSince = changes.customerSince;
    return this.collections.customers.findOneAndUpdate(
      { login },
      { $set: set },
      { returnDocument: 'after' },
    );
  }

  private async commonChanges(changes: AgentChanges): Promise<Partial<AccountDoc>> {
    const set: Partial<AccountDoc> = { updatedAt: new Date() };
    if (changes.displayName !== undefined) set.displayName = changes.displayName;
    if (changes.email !== undefined) set.email = changes.email;
    if (changes.disabled !== undefined) set.disabled = changes.disabled;
    if (changes.password !== undefined) set.passwordHash = await hashPassword(changes.password);
    return set;
  }
}
