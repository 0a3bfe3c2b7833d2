// The people of the local runtime. Their ids are what `npm run token -- <id>` and the login pages take,
// so they stay short and stable; the seed data and the tests refer to them by id. Employees sign in at
// the broker (the user pool); partners at their own organisation's identity provider (PARTNER_IDPS).

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

/** A person known to a local partner identity provider (its `sub` is `id`). */
export interface IdpUser {
  id: string;
  email: string;
  name: string;
  title: string;
  /** What the IdP says of the address; the broker's trigger refuses unverified ones. */
  emailVerified: boolean;
}

/**
 * The local partner identity providers, one OIDC issuer each at `/idp/<provider>` of the local server.
 * Acme and Globex are registered demo organisations (the seed writes their ORG, ORGDOMAIN and IDP items
 * and links pat and gus to their accounts); Initech is not: an admin can add it in the app (issuer
 * `http://localhost:3000/idp/initech`) and Ian then signs in through it, with no restart.
 */
export const PARTNER_IDPS: readonly {
  provider: string;
  org: string;
  name: string;
  domain: string;
  registered: boolean;
  users: readonly IdpUser[];
}[] = Object.freeze([
  {
    provider: 'acme',
    org: 'acme',
    name: 'Acme Supplies',
    domain: 'acme.example',
    registered: true,
    users: [
      {
        id: 'pat',
        email: 'pat@acme.example',
        name: 'Pat Partner',
        title: 'Account Manager',
        emailVerified: true,
      },
      // For the bad-input cases: an address Acme never checked, and one outside Acme's domain.
      {
        id: 'una',
        email: 'una@acme.example',
        name: 'Una Verified',
        title: 'Temp (address not verified)',
        emailVerified: false,
      },
      {
        id: 'oscar',
        email: 'oscar@elsewhere.example',
        name: 'Oscar Outside',
        title: 'Contractor (address outside acme.example)',
        emailVerified: true,
      },
    ],
  },
  {
    provider: 'globex',
    org: 'globex',
    name: 'Globex Partners',
    domain: 'globex.example',
    registered: true,
    users: [
      { id: 'gus', email: 'gus@globex.example', name: 'Gus Guest', title: 'Consultant', emailVerified: true },
    ],
  },
  {
    provider: 'initech',
    org: 'initech',
    name: 'Initech',
    domain: 'initech.example',
    registered: false,
    users: [
      { id: 'ian', email: 'ian@initech.example', name: 'Ian Initech', title: 'Buyer', emailVerified: true },
    ],
  },
]);

/** The registered demo partner organisations (what the seed writes). */
export const PARTNER_ORGS: readonly { id: string; name: string }[] = Object.freeze(
  PARTNER_IDPS.filter((idp) => idp.registered).map((idp) => ({ id: idp.org, name: idp.name })),
);

/** The client the broker is registered as at every local partner IdP (a confidential client). */
export const LOCAL_IDP_CLIENT = Object.freeze({
  clientId: 'commonplace-broker',
  // Only ever a local demo secret: a real partner's secret lives in Secrets Manager / the ORG item.
  clientSecret: 'local-demo-secret',
});

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
