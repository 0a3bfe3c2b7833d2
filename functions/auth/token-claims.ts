/**
 * The claims the API trusts, derived from what Cognito knows about the user at sign-in and what the
 * table says about their identity provider and organisation. Pure rules, no AWS and no I/O: the
 * pre-token-generation trigger gathers the facts (sign-in-directory.ts) and applies these; the same
 * trigger runs in the local broker; the tests pin the rules down.
 *
 * - A native user-pool user is an employee; membership of the Cognito `admin` group adds `admin`.
 * - A user who came through one of the company's own identity providers (`employeeProviders`, from
 *   cdk.json) is an employee too, and an admin when in the `admin` group.
 * - A user who came through any other provider is a partner of the organisation that provider is
 *   mapped to in the table (IDP item → ORG item), never an employee and never an admin. Refused:
 *   a provider the table does not know (unknown, or removed by an admin), an organisation that is gone,
 *   suspended or past its end date, a user past their own end date, no e-mail, an unverified e-mail
 *   (OIDC), and an e-mail outside the organisation's domains — its IdP may assert any address
 *   (`ceo@commonplace.example`), and the address names the person everywhere (profile, @handle).
 */
import type { Group } from '../domain/principal';

export interface SignedInUser {
  userName: string;
  /** `event.request.userAttributes`: all string-valued, `identities` is a JSON string. */
  userAttributes: Readonly<Record<string, string | undefined>>;
  /** Cognito groups the user belongs to (`event.request.groupConfiguration.groupsToOverride`). */
  cognitoGroups: readonly string[];
}

export interface CommonplaceClaims {
  email?: string;
  name: string;
  groups: Group[];
  org?: string;
  /**
   * The person an employee acts as when it is not the token's `sub`: one provisioned by an HR import
   * or SCIM before their first sign-in, linked to this sign-in then (sign-in-directory.ts).
   */
  person?: string;
}

/** What the table holds about a partner organisation, as far as sign-in is concerned (the ORG item). */
export interface OrganisationFacts {
  id: string;
  name?: string;
  /** Lower-case e-mail domains; a subdomain of one counts too. */
  emailDomains: readonly string[];
  /** Absent means active. */
  status?: 'active' | 'suspended';
  /** ISO-8601; from then on the organisation's users are refused. */
  accessEndsAt?: string;
}

/** The facts the trigger reads for a partner sign-in: IDP item, then the ORG item and the user's profile. */
export interface PartnerFacts {
  /** The IDP item's organisation id; undefined when the table has no such provider. */
  orgId?: string;
  /** The ORG item; undefined when the organisation is gone. */
  organisation?: OrganisationFacts;
  /** The user's own end date (`accessEndsAt` on their profile), if any. */
  userAccessEndsAt?: string;
}

/** Who an employee's sign-in acts as, as the table says (sign-in-directory.ts). */
export interface EmployeePerson {
  /** The sign-in's own subject, or the provisioned person it is (or has just been) linked to. */
  personId: string;
  /** false when that person is deactivated (SCIM, an HR import): the sign-in is refused. */
  active: boolean;
  /** Why the sign-in cannot be anyone: its address's provisioned person is another sign-in's already. */
  conflict?: string;
}

/** Reads the partner facts of a provider and a user (the table in AWS and locally). */
export interface SignInDirectory {
  partnerFacts(providerName: string, userId: string): Promise<PartnerFacts>;
  /**
   * For an employee: the person this sign-in (`subject`) is. At a first sign-in with a verified address
   * (`verifiedEmail`, undefined when not verified) that an import or SCIM provisioned, links the two.
   */
  employeePerson(subject: string, verifiedEmail: string | undefined): Promise<EmployeePerson>;
}

/** The access token's claim naming the person a sign-in acts as, when that is not its `sub`. */
export const PERSON_CLAIM = 'person_id';

export class SignInRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInRefused';
  }
}

/** Cognito group whose members (native, or from an employee provider) are Commonplace admins. */
export const ADMIN_GROUP = 'admin';

/** How the user arrived: natively, through an employee provider, or through a partner provider. */
export type SignInRoute =
  | { kind: 'native' }
  | { kind: 'employee'; provider: string; providerType: string }
  | { kind: 'partner'; provider: string; providerType: string };

interface Identity {
  providerName?: unknown;
  providerType?: unknown;
}

/**
 * Which route the user came by. Cognito sets `identities` for federated users (and for native users
 * linked to a provider) and marks users created by federation as `EXTERNAL_PROVIDER`.
 */
export function signInRoute(user: SignedInUser, employeeProviders: readonly string[]): SignInRoute {
  const raw = user.userAttributes.identities;
  let identities: Identity[] = [];
  if (raw) {
    try {
      const parsed: unknown = JSON.parse(raw);
      identities = Array.isArray(parsed) ? (parsed as Identity[]) : [];
    } catch {
      throw new SignInRefused('The identities attribute is not valid JSON');
    }
  }
  const linked = new Map<string, string>();
  for (const identity of identities) {
    if (typeof identity?.providerName !== 'string' || identity.providerName === '') continue;
    linked.set(identity.providerName, typeof identity.providerType === 'string' ? identity.providerType : '');
  }
  if (linked.size === 0) {
    if (user.userAttributes['cognito:user_status'] === 'EXTERNAL_PROVIDER')
      throw new SignInRefused('A federated user without a known identity provider');
    return { kind: 'native' };
  }
  const names = [...linked.keys()];
  const employee = names.filter((name) => employeeProviders.includes(name));
  const partner = names.filter((name) => !employeeProviders.includes(name));
  if (partner.length === 0)
    return { kind: 'employee', provider: employee[0], providerType: linked.get(employee[0]) ?? '' };
  if (employee.length > 0) {
    // An employee account linked to a partner's provider would be both at once: refuse instead.
    throw new SignInRefused(
      `User is linked to both an employee provider and a partner provider (${names.join(', ')})`,
    );
  }
  if (partner.length > 1) {
    // A user linked to two partners' providers could see both organisations' spaces: refuse instead.
    throw new SignInRefused(
      `User is linked to providers of several partner organisations (${partner.join(', ')})`,
    );
  }
  return { kind: 'partner', provider: partner[0], providerType: linked.get(partner[0]) ?? '' };
}

/** Derives the Commonplace claims of a user, or throws `SignInRefused` to stop the sign-in. */
export function deriveClaims(
  user: SignedInUser,
  route: SignInRoute,
  facts: PartnerFacts | undefined,
  now: Date,
): CommonplaceClaims {
  const attributes = user.userAttributes;
  const email = attributes.email || undefined;
  const name =
    attributes.name ||
    [attributes.given_name, attributes.family_name].filter(Boolean).join(' ') ||
    email ||
    user.userName;

  if (route.kind !== 'partner') {
    if (route.kind === 'employee' && !email)
      throw new SignInRefused(`The company's identity provider ${route.provider} sent no e-mail address`);
    const groups: Group[] = ['employee'];
    if (user.cognitoGroups.includes(ADMIN_GROUP)) groups.push('admin');
    return { email, name, groups };
  }

  const { provider } = route;
  if (!facts?.orgId) throw new SignInRefused(`Identity provider ${provider} is unknown or has been removed`);
  const org = facts.organisation;
  if (!org) throw new SignInRefused(`The partner organisation of identity provider ${provider} was removed`);
  const orgName = org.name ?? org.id;
  if (org.status === 'suspended')
    throw new SignInRefused(`Access for ${orgName} is suspended. Ask your contact at the company.`);
  if (ended(org.accessEndsAt, now))
    throw new SignInRefused(`Access for ${orgName} ended on ${day(org.accessEndsAt)}.`);
  if (ended(facts.userAccessEndsAt, now))
    throw new SignInRefused(`Your access ended on ${day(facts.userAccessEndsAt)}.`);
  if (!email) throw new SignInRefused(`Your identity provider (${provider}) sent no e-mail address`);
  // An OIDC provider says whether it checked the address; a SAML assertion comes from the partner's own
  // directory, which is authoritative for its domains (Cognito has no verified flag for SAML).
  if (route.providerType !== 'SAML' && attributes.email_verified !== 'true')
    throw new SignInRefused(`Your identity provider (${provider}) did not verify the e-mail ${email}`);
  if (!inDomains(email, org.emailDomains))
    throw new SignInRefused(`The e-mail ${email} is not in a domain of partner organisation ${org.id}`);
  return { email, name, groups: ['partner'], org: org.id };
}

/**
 * The address an employee's sign-in may be linked by (to a person an import or SCIM provisioned), or
 * undefined: only one the identity provider verified — Cognito's `email_verified` for native users and
 * OIDC providers; a SAML assertion of the company's own directory is authoritative, as for partners.
 */
export function verifiedEmployeeEmail(user: SignedInUser, route: SignInRoute): string | undefined {
  if (route.kind === 'partner') return undefined;
  const email = user.userAttributes.email?.trim().toLowerCase();
  if (!email) return undefined;
  const saml = route.kind === 'employee' && route.providerType === 'SAML';
  return saml || user.userAttributes.email_verified === 'true' ? email : undefined;
}

/** Applies what the table says of an employee's person to their claims, or refuses the sign-in. */
export function withEmployeePerson(
  claims: CommonplaceClaims,
  subject: string,
  person: EmployeePerson,
): CommonplaceClaims {
  if (person.conflict) throw new SignInRefused(person.conflict);
  if (!person.active)
    throw new SignInRefused('Your account has been deactivated and cannot sign in. Ask your administrator.');
  return person.personId === subject ? claims : { ...claims, person: person.personId };
}

function ended(at: string | undefined, now: Date): boolean {
  if (!at) return false;
  const time = Date.parse(at);
  // An end date that does not parse ends access: default deny.
  return Number.isNaN(time) || time <= now.getTime();
}

function day(at: string | undefined): string {
  return at && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString().slice(0, 10) : String(at);
}

/** The address's domain is one of `domains` or a subdomain of one (case-insensitive). */
export function inDomains(email: string, domains: readonly string[]): boolean {
  const at = email.lastIndexOf('@');
  if (at < 1) return false;
  const domain = email.slice(at + 1).toLowerCase();
  return domains.some((d) => domain === d.toLowerCase() || domain.endsWith(`.${d.toLowerCase()}`));
}

/** Parses the trigger's `EMPLOYEE_IDENTITY_PROVIDERS`: provider names, comma-separated. */
export function parseEmployeeProviders(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}
