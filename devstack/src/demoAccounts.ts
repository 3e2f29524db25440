import type {
  AccountsRepository,
  NewAgent,
  NewCustomer,
  NewSupervisor,
} from '@callcenter/server/storage';

/** Demo accounts for a local try-out; created by `npm start` when missing. Never in production. */
export const DEMO_AGENTS: NewAgent[] = [
  {
    login: 'alice',
    displayName: 'Alice Martin',
    password: 'demo-alice',
    email: 'alice@support.example',
  },
  {
    login: 'bruno',
    displayName: 'Bruno Costa',
    password: 'demo-bruno',
    email: 'bruno@support.example',
  },
  { login: 'chen', displayName: 'Chen Wei', password: 'demo-chen', email: 'chen@support.example' },
];

/** A supervisor with the administration right, for the console at /supervisor/. */
export const DEMO_SUPERVISORS: NewSupervisor[] = [
  {
    login: 'sofia',
    displayName: 'Sofia Reyes',
    password: 'demo-sofia',
    email: 'sofia@support.example',
    admin: true,
  },
];

export const DEMO_CUSTOMERS: NewCustomer[] = [
  {
    login: 'dana',
    displayName: 'Dana Whitfield',
    password: 'demo-dana',
    tier: 'platinum',
    email: 'dana@whitfield-logistics.example',
    phone: '+1 415 555 0142',
    company: 'Whitfield Logistics',
    customerSince: new Date('2019-04-12T00:00:00Z'),
    notes: 'Key account; prefers email follow-ups.',
  },
  {
    login: 'emeka',
    displayName: 'Emeka Obi',
    password: 'demo-emeka',
    tier: 'gold',
    email: 'emeka.obi@mail.example',
    phone: '+44 20 7946 0958',
    company: null,
    customerSince: new Date('2021-09-03T00:00:00Z'),
    notes: null,
  },
  {
    login: 'farah',
    displayName: 'Farah Haddad',
    password: 'demo-farah',
    tier: 'gold',
    email: 'farah@haddad-design.example',
    phone: '+33 1 70 36 39 50',
    company: 'Haddad Design',
    customerSince: new Date('2022-01-20T00:00:00Z'),
    notes: null,
  },
  {
    login: 'gus',
    displayName: 'Gus Lindqvist',
    password: 'demo-gus',
    tier: 'standard',
    email: 'gus.lindqvist@mail.example',
    phone: '+46 8 123 456 78',
    company: null,
    customerSince: new Date('2024-06-30T00:00:00Z'),
    notes: null,
  },
  {
    login: 'hana',
    displayName: 'Hana Sato',
    password: 'demo-hana',
    tier: 'standard',
    email: 'hana.sato@mail.example',
    phone: '+81 3 1234 5678',
    company: 'Sato Studio',
    customerSince: new Date('2025-02-14T00:00:00Z'),
    notes: 'Second contact this month about billing.',
  },
];

/** Creates the demo accounts that do not exist yet; returns how many were created. */
export async function seedDemoAccounts(accounts: AccountsRepository): Promise<number> {
  let created = 0;
  for (const agent of DEMO_AGENTS) {
    if (!(await accounts.findForLogin('agent', agent.login))) {
      await accounts.createAgent(agent);
      created += 1;
    }
  }
  for (const supervisor of DEMO_SUPERVISORS) {
    if (!(await accounts.findForLogin('supervisor', supervisor.login))) {
      await accounts.createSupervisor(supervisor);
      created += 1;
    }
  }
  for (const customer of DEMO_CUSTOMERS) {
    if (!(await accounts.findForLogin('customer', customer.login))) {
      await accounts.createCustomer(customer);
      created += 1;
    }
  }
  return created;
}
