// The people of the local runtime. Their ids are what `npm run token -- <id>` and the login page take,
// so they stay short and stable; the seed data and the tests refer to them by id.

export type Group = 'employee' | 'partner' | 'admin';

export interface DemoAccount {
  id: string;
  email: string;
  name: string;
  groups: Group[];
  /** Partner organisation id; only partner accounts have one. */
  org?: string;
  title: string;
}

export const PARTNER_ORGS: readonly { id: string; name: string }[] = Object.freeze([
  { id: 'acme', name: 'Acme Supplies' },
  { id: 'globex', name: 'Globex Partners' },
]);

export const DEMO_ACCOUNTS: readonly DemoAccount[] = Object.freeze([
  {
    id: 'alice',
    email: 'alice@commonplace.example',
    name: 'Alice Andersen',
    groups: ['employee'],
    title: 'Product Manager',
  },
  {
    id: 'bob',
    email: 'bob@commonplace.example',
    name: 'Bob Baker',
    groups: ['employee'],
    title: 'Software Engineer',
  },
  {
    id: 'admin',
    email: 'admin@commonplace.example',
    name: 'Ada Admin',
    groups: ['employee', 'admin'],
    title: 'IT Administrator',
  },
  {
    id: 'pat',
    email: 'pat@acme.example',
    name: 'Pat Partner',
    groups: ['partner'],
    org: 'acme',
    title: 'Account Manager, Acme Supplies',
  },
  {
    id: 'gus',
    email: 'gus@globex.example',
    name: 'Gus Guest',
    groups: ['partner'],
    org: 'globex',
    title: 'Consultant, Globex Partners',
  },
]);

export function findDemoAccount(id: string): DemoAccount | undefined {
  return DEMO_ACCOUNTS.find((account) => account.id === id);
}
