import { randomUUID } from 'node:crypto';
import type { Collection, Filter } from 'mongodb';
import type {
  AccountRole,
  AgentStatus,
  AgentUser,
  CustomerUser,
  SupervisorUser,
  Tier,
  User,
} from '@callcenter/shared';
import { DEFAULT_AGENT_CAPACITY } from '@callcenter/shared';
import { hashPassword } from '../passwords';
import type { AccountDoc, AgentDoc, Collections, CustomerDoc, SupervisorDoc } from './documents';

interface NewAccount {
  login: string;
  displayName: string;
  password: string;
  email?: string | null;
}

export interface NewAgent extends NewAccount {
  capacity?: number;
}

export interface NewSupervisor extends NewAccount {
  admin?: boolean;
}

export interface NewCustomer extends NewAccount {
  tier: Tier;
  phone?: string | null;
  company?: string | null;
  customerSince?: Date;
  notes?: string | null;
}

/** The fields every new account has, agent or customer. */
async function newAccount(input: NewAccount, now: Date): Promise<AccountDoc> {
  return {
    _id: randomUUID(),
    login: input.login,
    displayName: input.displayName,
    passwordHash: await hashPassword(input.password),
    disabled: false,
    email: input.email ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

export type AgentChanges = Partial<Omit<NewAgent, 'login'>> & { disabled?: boolean };
export type SupervisorChanges = Partial<Omit<NewSupervisor, 'login'>> & { disabled?: boolean };
export type CustomerChanges = Partial<Omit<NewCustomer, 'login'>> & { disabled?: boolean };

/** An agent's capacity, with the default for accounts made before capacities existed. */
export function agentCapacity(doc: Pick<AgentDoc, 'capacity'>): number {
  return doc.capacity ?? DEFAULT_AGENT_CAPACITY;
}

export function agentToUser(doc: AgentDoc): AgentUser {
  return {
    id: doc._id,
    role: 'agent',
    login: doc.login,
    displayName: doc.displayName,
    profile: { email: doc.email },
  };
}

export function supervisorToUser(doc: SupervisorDoc): SupervisorUser {
  return {
    id: doc._id,
    role: 'supervisor',
    login: doc.login,
    displayName: doc.displayName,
    profile: { email: doc.email, admin: doc.admin },
  };
}

/** The account as its owner sees it after login. */
export function accountToUser(role: AccountRole, doc: AccountDoc): User {
  if (role === 'agent') return agentToUser(doc);
  if (role === 'supervisor') return supervisorToUser(doc as SupervisorDoc);
  return customerToUser(doc as CustomerDoc);
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
      ...(doc.language !== undefined && { language: doc.language }),
    },
  };
}

// An admin's change drops the entry on every node at once (PROFILE_CHANGED); the refresh
// only catches what bypassed the admin tool.
const PROFILE_TTL_MS = 60_000;
const PROFILE_MAX_STALE_MS = 600_000;
const PROFILE_CACHE_SIZE = 100_000;

/** Agents and customers: the accounts people log in with. */
export class AccountsRepository {
  private readonly profiles = new Map<
    string,
    { doc: CustomerDoc; readAt: number; refreshing: boolean }
  >();

  constructor(private readonly collections: Collections) {}

  /** One indexed lookup per login (`login_unique`; on FerretDB, its PostgreSQL GIN companion). */
  findForLogin(role: AccountRole, login: string): Promise<AccountDoc | null> {
    // `login` is a validated string; the filter is built here, never by a client.
    return this.collectionOf(role).findOne({ login } as Filter<AccountDoc>);
  }

  async findUser(role: AccountRole, id: string): Promise<User | null> {
    const doc = await this.collectionOf(role).findOne({ _id: id } as Filter<AccountDoc>);
    return doc ? accountToUser(role, doc) : null;
  }

  private collectionOf(role: AccountRole): Collection<AccountDoc> {
    const byRole = {
      agent: this.collections.agents,
      customer: this.collections.customers,
      supervisor: this.collections.supervisors,
    };
    return byRole[role] as unknown as Collection<AccountDoc>;
  }

  async findSupervisor(id: string): Promise<SupervisorDoc | null> {
    return this.collections.supervisors.findOne({ _id: id });
  }

  /** A customer read now (for decisions that must be current); it refreshes the profile cache. */
  async findCustomer(id: string): Promise<CustomerDoc | null> {
    const readAt = Date.now();
    const doc = await this.collections.customers.findOne({ _id: id });
    if (!doc) {
      this.profiles.delete(id);
      return null;
    }
    if (this.profiles.size >= PROFILE_CACHE_SIZE) this.profiles.clear();
    this.profiles.set(id, { doc, readAt, refreshing: false });
    return doc;
  }

  /**
   * A customer as read about PROFILE_TTL_MS ago, for what every message and every take shows
   * (name, tier, profile): a store read per message would cost more than the message. Past
   * its TTL an entry is still served while one read refreshes it in the background, so the
   * messages of many customers never wait together on the store when their entries age out;
   * an entry older than PROFILE_MAX_STALE_MS is read before use. An admin's change drops
   * the entry on every node (forgetProfile), as does the end of the customer's conversation;
   * decisions that must be current (may this account ask for a chat) use findCustomer.
   */
  async customerProfile(id: string): Promise<CustomerDoc | null> {
    const now = Date.now();
    const cached = this.profiles.get(id);
    if (cached && now - cached.readAt < PROFILE_MAX_STALE_MS) {
      if (now - cached.readAt >= PROFILE_TTL_MS && !cached.refreshing) {
        cached.refreshing = true;
        this.findCustomer(id).catch(() => {
          // The entry stays as it was; the next use past its TTL tries again.
          cached.refreshing = false;
        });
      }
      return cached.doc;
    }
    return this.findCustomer(id);
  }

  /** Drops a cached profile that just changed (an admin's edit, or an ended conversation's count). */
  forgetProfile(id: string): void {
    this.profiles.delete(id);
  }

  async findAgent(id: string): Promise<AgentDoc | null> {
    return this.collections.agents.findOne({ _id: id });
  }

  async createAgent(input: NewAgent): Promise<AgentDoc> {
    const doc: AgentDoc = {
      ...(await newAccount(input, new Date())),
      ...(input.capacity !== undefined && { capacity: input.capacity }),
    };
    await this.collections.agents.insertOne(doc);
    return doc;
  }

  async createSupervisor(input: NewSupervisor): Promise<SupervisorDoc> {
    const doc: SupervisorDoc = {
      ...(await newAccount(input, new Date())),
      admin: input.admin ?? false,
    };
    await this.collections.supervisors.insertOne(doc);
    return doc;
  }

  async createCustomer(input: NewCustomer): Promise<CustomerDoc> {
    const now = new Date();
    const doc: CustomerDoc = {
      ...(await newAccount(input, now)),
      tier: input.tier,
      phone: input.phone ?? null,
      company: input.company ?? null,
      customerSince: input.customerSince ?? now,
      notes: input.notes ?? null,
    };
    await this.collections.customers.insertOne(doc);
    return doc;
  }

  /** Updates an agent by login; null when there is no such agent. */
  async updateAgent(login: string, changes: AgentChanges): Promise<AgentDoc | null> {
    const set: Partial<AgentDoc> = await this.commonChanges(changes);
    if (changes.capacity !== undefined) set.capacity = changes.capacity;
    return this.collections.agents.findOneAndUpdate(
      { login },
      { $set: set },
      { returnDocument: 'after' },
    );
  }

  /** Updates a supervisor by login; null when there is no such supervisor. */
  async updateSupervisor(login: string, changes: SupervisorChanges): Promise<SupervisorDoc | null> {
    const set: Partial<SupervisorDoc> = await this.commonChanges(changes);
    if (changes.admin !== undefined) set.admin = changes.admin;
    return this.collections.supervisors.findOneAndUpdate(
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

  /**
   * Keeps the language a customer's app shows; true when it changed (the cached profile is
   * dropped then, so this node's next Customer Info shows it).
   */
  async setCustomerLanguage(id: string, language: string): Promise<boolean> {
    const result = await this.collections.customers.updateOne(
      { _id: id, language: { $ne: language } },
      { $set: { language } },
    );
    if (result.modifiedCount === 0) return false;
    this.forgetProfile(id);
    return true;
  }

  /** Every enabled agent's id and name, by name (the team list). */
  async enabledAgents(): Promise<{ id: string; displayName: string }[]> {
    const docs = await this.collections.agents
      .find({ disabled: false }, { projection: { _id: 1, displayName: 1 } })
      .toArray();
    return docs
      .map((doc) => ({ id: doc._id, displayName: doc.displayName }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  /** Keeps the availability an agent chose, for when the live state is lost. */
  async rememberAgentStatus(id: string, status: AgentStatus): Promise<void> {
    await this.collections.agents.updateOne({ _id: id }, { $set: { status } });
  }

  private async commonChanges(
    changes: AgentChanges | CustomerChanges | SupervisorChanges,
  ): Promise<Partial<AccountDoc>> {
    const set: Partial<AccountDoc> = { updatedAt: new Date() };
    if (changes.displayName !== undefined) set.displayName = changes.displayName;
    if (changes.email !== undefined) set.email = changes.email;
    if (changes.disabled !== undefined) set.disabled = changes.disabled;
    if (changes.password !== undefined) set.passwordHash = await hashPassword(changes.password);
    return set;
  }
}
