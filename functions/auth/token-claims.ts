/**
 * The claims the API trusts, derived from what Cognito knows about the user at sign-in. Pure rules, no
 * AWS: the pre-token-generation trigger applies them, the tests pin them down.
 *
 * - A native user-pool user is an employee; membership of the Cognito `admin` group adds `admin`.
 * - A user who came through a partner's identity provider is a partner of the organisation that
 *   provider is mapped to, never an employee and never an admin, whatever Cognito groups they are in.
 * - A federated user whose provider is not mapped to an organisation gets no token at all (default
 *   deny): a provider added to the pool by hand must not quietly let people in as employees.
 * - A partner's e-mail must be in one of its organisation's domains: its IdP may assert any address
 *   (`ceo@commonplace.example`), and the address names the person everywhere (profile, @handle).
 */
import type { Group } from '../domain/principal';

/** A partner organisation as the trigger knows it: its id and the e-mail domains its users have. */
export interface PartnerOrganisation {
  org: string;
  emailDomains: readonly string[];
}

/** Cognito identity provider name → partner organisation, as deployed from cdk.json. */
export type PartnerOrganisations = Readonly<Record<string, PartnerOrganisation>>;

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
}

export class SignInRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInRefused';
  }
}

/** Cognito group whose native members are Commonplace admins. */
export const ADMIN_GROUP = 'admin';

interface Identity {
  providerName?: unknown;
  providerType?: unknown;
}

/** Derives the Commonplace claims of a user, or throws `SignInRefused` to stop the sign-in. */
export function deriveClaims(user: SignedInUser, partners: PartnerOrganisations): CommonplaceClaims {
  const attributes = user.userAttributes;
  const email = attributes.email || undefined;
  const name =
    attributes.name ||
    [attributes.given_name, attributes.family_name].filter(Boolean).join(' ') ||
    email ||
    user.userName;

  const providers = federatedProviders(user);
  if (providers.length === 0) {
    const groups: Group[] = ['employee'];
    if (user.cognitoGroups.includes(ADMIN_GROUP)) groups.push('admin');
    return { email, name, groups };
  }

  const mapped = providers.filter((provider) => Object.hasOwn(partners, provider));
  const orgs = new Set(mapped.map((provider) => partners[provider].org));
  if (orgs.size === 0) {
    throw new SignInRefused(
      `Identity provider ${providers.join(', ')} is not mapped to a partner organisation`,
    );
  }
  if (orgs.size > 1) {
    // A user linked to two partners' providers would see both organisations' spaces: refuse instead.
    throw new SignInRefused(
      `User is linked to providers of several partner organisations (${[...orgs].join(', ')})`,
    );
  }
  const partner = partners[mapped[0]];
  if (!email || !inDomains(email, partner.emailDomains)) {
    throw new SignInRefused(
      `The e-mail ${email ?? '(none)'} is not in a domain of partner organisation ${partner.org}`,
    );
  }
  return { email, name, groups: ['partner'], org: partner.org };
}

/** The address's domain is one of `domains` or a subdomain of one (case-insensitive). */
function inDomains(email: string, domains: readonly string[]): boolean {
  const at = email.lastIndexOf('@');
  if (at < 1) return false;
  const domain = email.slice(at + 1).toLowerCase();
  return domains.some((d) => domain === d.toLowerCase() || domain.endsWith(`.${d.toLowerCase()}`));
}

/**
 * Names of the external identity providers the user is linked to. Cognito sets `identities` for
 * federated users (and for native users linked to a provider) and marks users created by federation
 * as `EXTERNAL_PROVIDER`; either one makes the user federated.
 */
function federatedProviders(user: SignedInUser): string[] {
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
  const names = identities
    .map((identity) => identity.providerName)
    .filter((name): name is string => typeof name === 'string' && name !== '');
  if (names.length === 0 && user.userAttributes['cognito:user_status'] === 'EXTERNAL_PROVIDER') {
    throw new SignInRefused('A federated user without a known identity provider');
  }
  return [...new Set(names)];
}

/**
 * Parses the trigger's `PARTNER_ORGANISATIONS` environment variable: a JSON object of provider name to
 * `{ "org": "<id>", "emailDomains": ["<domain>", …] }`.
 */
export function parsePartnerOrganisations(json: string | undefined): PartnerOrganisations {
  if (!json) return {};
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('PARTNER_ORGANISATIONS must be a JSON object of provider name to organisation');
  }
  const map: Record<string, PartnerOrganisation> = {};
  for (const [provider, value] of Object.entries(parsed)) {
    const { org, emailDomains } = (value ?? {}) as { org?: unknown; emailDomains?: unknown };
    if (typeof org !== 'string' || org === '')
      throw new Error(`PARTNER_ORGANISATIONS.${provider}.org must be an organisation id`);
    if (
      !Array.isArray(emailDomains) ||
      emailDomains.length === 0 ||
      !emailDomains.every((d) => typeof d === 'string' && d !== '')
    ) {
      throw new Error(`PARTNER_ORGANISATIONS.${provider}.emailDomains must list the organisation's domains`);
    }
    map[provider] = Object.freeze({ org, emailDomains: Object.freeze([...emailDomains]) });
  }
  return Object.freeze(map);
}
