/**
 * SCIM 2.0 Users (RFC 7643 core User schema and the enterprise extension's department and manager;
 * RFC 7644 create, get, list with the filters clients send (`userName eq`, `externalId eq`,
 * `emails[type eq "work"].value eq`), replace, patch, delete; `meta.version` checked against
 * `If-Match`) for a provisioning
 * client such as Entra ID or Okta. The client is trusted as a whole (its bearer token is checked by
 * the SCIM app, functions/scim/app.ts); it manages employees only. Delete deactivates: the person can
 * no longer sign in, their content and their place in the org chart stay.
 */
import { keys } from '../../data/keys';
import type { DomainContext } from '../context';
import { DomainError } from '../errors';
import { type Profile, toProfile } from '../profiles/profile';
import { PeopleProvisioning, type ProvisionedPerson } from './provisioning';
import { toReportingLine } from './reporting-line';
import type { ReportingService } from './reporting-service';
import type { SignInAccounts } from './sign-in-accounts';

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SCIM_PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A SCIM error (RFC 7644 §3.12): the app answers it in SCIM's error format. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly scimType?: string,
  ) {
    super(detail);
  }
}

/** What SCIM can set of a person, flattened. */
interface ScimState {
  userName: string;
  name: string;
  title?: string;
  department?: string;
  phone?: string;
  active: boolean;
  externalId?: string;
  /** undefined: not given (left as it is); null: none. */
  managerId?: string | null;
}

export class ScimService {
  private readonly provisioning: PeopleProvisioning;

  constructor(
    private readonly ctx: DomainContext,
    private readonly reporting: ReportingService,
    signIn?: SignInAccounts,
  ) {
    this.provisioning = new PeopleProvisioning(ctx, signIn);
  }

  async create(body: unknown, baseUrl: string) {
    const state = stateFromResource(body);
    const existing = (await this.provisioning.findByEmails([state.userName])).get(state.userName);
    if (existing) throw new ScimError(409, `A user with userName ${state.userName} exists`, 'uniqueness');
    const { profile } = await this.provisioning.upsert(toPerson(state), undefined, { indexExternalId: true });
    await this.applyManager(profile, state.managerId);
    return this.get(profile.userId, baseUrl);
  }

  async get(userId: string, baseUrl: string) {
    const [item, line] = await this.ctx.table.getMany([keys.profile(userId), keys.reportingLine(userId)]);
    if (item?.kind !== 'employee') throw new ScimError(404, `User ${userId} not found`);
    return toResource(toProfile(item), line ? toReportingLine(line).managerId : undefined, baseUrl);
  }

  /**
   * A filter Entra ID and Okta send before creating (`userName eq "…"`, `externalId eq "…"`, the work
   * address); without one, the first page. Any other filter is a 400 `invalidFilter`.
   */
  async list(filter: string | undefined, startIndex: number, count: number, baseUrl: string) {
    let profiles: Profile[];
    if (filter) {
      const { attribute, value } = parseFilter(filter);
      const found =
        attribute === 'externalId'
          ? await this.provisioning.findByExternalId(value)
          : (await this.provisioning.findByEmails([value.toLowerCase()])).get(value.toLowerCase());
      profiles = found && found.kind === 'employee' ? [found] : [];
    } else {
      // Employees by name; a SCIM offset would mean reading every row before it, so only the first page.
      if (startIndex > 1)
        throw new ScimError(400, 'Without a filter only startIndex=1 is served', 'invalidValue');
      const page = await this.ctx.table.query({
        index: 'GSI1',
        partition: keys.directoryList('employees', 'name'),
        limit: Math.max(1, count),
      });
      const items = await this.ctx.table.getMany(
        page.items.map((entry) => keys.profile(entry.userId as string)),
      );
      profiles = items.filter((item) => !!item).map((item) => toProfile(item!));
    }
    const shown = count === 0 ? [] : profiles;
    return {
      schemas: [SCIM_LIST],
      totalResults: profiles.length,
      startIndex,
      itemsPerPage: shown.length,
      Resources: shown.map((profile) => toResource(profile, undefined, baseUrl)),
    };
  }

  async replace(userId: string, body: unknown, baseUrl: string, ifMatch?: string) {
    const current = await this.current(userId, ifMatch);
    const state = stateFromResource(body);
    await this.write(current, state);
    return this.get(userId, baseUrl);
  }

  async patch(userId: string, body: unknown, baseUrl: string, ifMatch?: string) {
    const current = await this.current(userId, ifMatch);
    const state = applyPatch(stateOf(current), body);
    await this.write(current, state);
    return this.get(userId, baseUrl);
  }

  /** Delete deactivates (the person's posts, pages and place in the chart stay). */
  async deactivate(userId: string, ifMatch?: string) {
    const current = await this.current(userId, ifMatch);
    await this.write(current, { ...stateOf(current), active: false });
  }

  /**
   * The person as stored; with `If-Match`, only at that version (412 otherwise). The write that follows
   * is conditioned on the version read here (provisioning.ts), so a change in between is refused too.
   */
  private async current(userId: string, ifMatch?: string): Promise<Profile> {
    const item = await this.ctx.table.get(keys.profile(userId));
    if (item?.kind !== 'employee') throw new ScimError(404, `User ${userId} not found`);
    const profile = toProfile(item);
    if (ifMatch !== undefined && !etagMatches(ifMatch, etagOf(profile)))
      throw new ScimError(412, `User ${userId} has changed: its version is now ${etagOf(profile)}`);
    return profile;
  }

  private async write(current: Profile, state: ScimState) {
    const { profile } = await this.provisioning.upsert(
      { ...toPerson(state), source: current.source ?? 'scim' },
      current,
      { indexExternalId: true },
    );
    await this.applyManager(profile, state.managerId);
  }

  private async applyManager(profile: Profile, managerId: string | null | undefined) {
    if (managerId === undefined) return;
    try {
      await this.reporting.moveUnder(profile.userId, managerId ?? undefined);
    } catch (error) {
      if (error instanceof DomainError) throw new ScimError(400, `manager: ${error.message}`, 'invalidValue');
      throw error;
    }
  }
}

/** The resource's ETag: its version, weak (RFC 7644 §3.14). */
export function etagOf(profile: Pick<Profile, 'version'>): string {
  return `W/"${profile.version ?? 1}"`;
}

/** `If-Match`: `*`, or a list of ETags of which one is this one (weak or not: the version is the same). */
function etagMatches(header: string, etag: string): boolean {
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => bare(tag) === bare(etag));
}

const FILTERS: [RegExp, 'userName' | 'externalId'][] = [
  [/^\s*userName\s+eq\s+"([^"]{1,320})"\s*$/i, 'userName'],
  [/^\s*externalId\s+eq\s+"([^"]{1,120})"\s*$/i, 'externalId'],
  // Entra ID's and Okta's form for the work address; our userName is that address.
  [/^\s*emails\[\s*type\s+eq\s+"work"\s*\]\.value\s+eq\s+"([^"]{1,320})"\s*$/i, 'userName'],
  [/^\s*emails(?:\.value)?\s+eq\s+"([^"]{1,320})"\s*$/i, 'userName'],
];

/** The filters provisioning clients send; any other is refused, saying which are served. */
export function parseFilter(filter: string): { attribute: 'userName' | 'externalId'; value: string } {
  for (const [pattern, attribute] of FILTERS) {
    const match = pattern.exec(filter);
    if (match) return { attribute, value: match[1].replace(/\\"/g, '"') };
  }
  throw new ScimError(
    400,
    'Only the filters userName eq "…", externalId eq "…" and emails[type eq "work"].value eq "…" are supported',
    'invalidFilter',
  );
}

function toPerson(state: ScimState): ProvisionedPerson {
  return {
    email: state.userName,
    name: state.name,
    ...(state.title !== undefined ? { title: state.title } : {}),
    ...(state.department !== undefined ? { department: state.department } : {}),
    ...(state.phone !== undefined ? { phone: state.phone } : {}),
    active: state.active,
    source: 'scim',
    ...(state.externalId ? { externalId: state.externalId } : {}),
  };
}

function stateOf(profile: Profile): ScimState {
  return {
    userName: profile.email.toLowerCase(),
    name: profile.name,
    title: profile.title,
    department: profile.department,
    phone: profile.phone,
    active: profile.active !== false,
    externalId: profile.externalId,
  };
}

const EMAIL = /^[^\s@<>()",;:]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/;

function text(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > max)
    throw new ScimError(400, `${field} must be a string of at most ${max} characters`, 'invalidValue');
  return value.trim().replace(/\s+/g, ' ');
}

function bool(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  // Entra ID sends "True" / "False" as strings in PATCH.
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw new ScimError(400, `${field} must be true or false`, 'invalidValue');
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** A User resource as sent (POST, PUT) → what is stored. Unknown attributes are ignored (RFC 7643 §2). */
export function stateFromResource(body: unknown): ScimState {
  const resource = record(body);
  if (!Array.isArray(resource.schemas) || !resource.schemas.includes(SCIM_USER))
    throw new ScimError(400, `schemas must include ${SCIM_USER}`, 'invalidSyntax');
  const userName = text(resource.userName, 'userName', 320)?.toLowerCase();
  if (!userName) throw new ScimError(400, 'userName is required', 'invalidValue');
  if (!EMAIL.test(userName)) throw new ScimError(400, 'userName must be the e-mail address', 'invalidValue');
  const name = record(resource.name);
  const displayName =
    text(resource.displayName, 'displayName', 120) ??
    text(name.formatted, 'name.formatted', 120) ??
    [text(name.givenName, 'name.givenName', 60), text(name.familyName, 'name.familyName', 60)]
      .filter(Boolean)
      .join(' ');
  if (!displayName) throw new ScimError(400, 'displayName or name is required', 'invalidValue');
  const enterprise = record(resource[SCIM_ENTERPRISE]);
  const phones = Array.isArray(resource.phoneNumbers) ? resource.phoneNumbers.map(record) : [];
  const manager = enterprise.manager;
  return {
    userName,
    name: displayName,
    title: text(resource.title, 'title', 120) ?? '',
    department: text(enterprise.department, 'department', 120) ?? '',
    phone: text(phones[0]?.value, 'phoneNumbers', 40) ?? '',
    active: resource.active === undefined ? true : bool(resource.active, 'active'),
    externalId: text(resource.externalId, 'externalId', 120),
    managerId:
      manager === undefined
        ? undefined
        : manager === null || manager === ''
          ? null
          : (text(typeof manager === 'string' ? manager : record(manager).value, 'manager', 64) ?? null),
  };
}

/** PATCH operations (RFC 7644 §3.5.2) on the attributes Entra ID and Okta send. */
export function applyPatch(state: ScimState, body: unknown): ScimState {
  const patch = record(body);
  if (!Array.isArray(patch.schemas) || !patch.schemas.includes(SCIM_PATCH))
    throw new ScimError(400, `schemas must include ${SCIM_PATCH}`, 'invalidSyntax');
  if (!Array.isArray(patch.Operations) || patch.Operations.length === 0 || patch.Operations.length > 50)
    throw new ScimError(400, 'Operations must hold 1 to 50 operations', 'invalidSyntax');
  const next = { ...state };
  for (const raw of patch.Operations) {
    const op = record(raw);
    const kind = String(op.op ?? '').toLowerCase();
    if (!['add', 'replace', 'remove'].includes(kind))
      throw new ScimError(400, `op ${String(op.op)} is not add, replace or remove`, 'invalidSyntax');
    const path = typeof op.path === 'string' ? op.path.trim() : undefined;
    const values: [string, unknown][] =
      path !== undefined
        ? [[path, op.value]]
        : Object.entries(record(op.value)).flatMap(([k, v]) =>
            k === SCIM_ENTERPRISE || k === 'name'
              ? Object.entries(record(v)).map(
                  ([sub, value]) =>
                    [`${k === 'name' ? 'name.' : `${SCIM_ENTERPRISE}:`}${sub}`, value] as [string, unknown],
                )
              : [[k, v] as [string, unknown]],
          );
    for (const [attribute, value] of values) {
      const removing = kind === 'remove';
      switch (attribute.replace(`${SCIM_ENTERPRISE}:`, 'enterprise:').toLowerCase()) {
        case 'active':
          if (removing) throw new ScimError(400, 'active cannot be removed', 'mutability');
          next.active = bool(value, 'active');
          break;
        case 'username':
          if (removing) throw new ScimError(400, 'userName cannot be removed', 'mutability');
          next.userName = text(value, 'userName', 320)?.toLowerCase() ?? next.userName;
          if (!EMAIL.test(next.userName))
            throw new ScimError(400, 'userName must be the e-mail address', 'invalidValue');
          break;
        case 'displayname':
        case 'name.formatted':
          if (!removing) next.name = text(value, attribute, 120) || next.name;
          break;
        case 'name.givenname':
          if (!removing)
            next.name = [text(value, attribute, 60), next.name.split(' ').slice(1).join(' ')]
              .filter(Boolean)
              .join(' ');
          break;
        case 'name.familyname':
          if (!removing)
            next.name = [next.name.split(' ')[0], text(value, attribute, 60)].filter(Boolean).join(' ');
          break;
        case 'title':
          next.title = removing ? '' : (text(value, 'title', 120) ?? '');
          break;
        case 'externalid':
          next.externalId = removing ? undefined : text(value, 'externalId', 120);
          break;
        case 'phonenumbers':
        case 'phonenumbers[type eq "work"].value':
          next.phone = removing
            ? ''
            : (text(Array.isArray(value) ? record(value[0]).value : value, 'phoneNumbers', 40) ?? '');
          break;
        case 'enterprise:department':
          next.department = removing ? '' : (text(value, 'department', 120) ?? '');
          break;
        case 'enterprise:manager':
          next.managerId =
            removing || value === null || value === ''
              ? null
              : (text(typeof value === 'string' ? value : record(value).value, 'manager', 64) ?? null);
          break;
        default:
          // Attributes Commonplace does not keep (addresses, locale, …) are accepted and ignored.
          break;
      }
    }
  }
  return next;
}

export function toResource(profile: Profile, managerId: string | undefined, baseUrl: string) {
  const [givenName, ...rest] = profile.name.split(' ');
  return {
    schemas: [SCIM_USER, SCIM_ENTERPRISE],
    id: profile.userId,
    ...(profile.externalId ? { externalId: profile.externalId } : {}),
    userName: profile.email,
    name: { formatted: profile.name, givenName, ...(rest.length ? { familyName: rest.join(' ') } : {}) },
    displayName: profile.name,
    ...(profile.title ? { title: profile.title } : {}),
    emails: [{ value: profile.email, type: 'work', primary: true }],
    ...(profile.phone ? { phoneNumbers: [{ value: profile.phone, type: 'work' }] } : {}),
    active: profile.active !== false,
    [SCIM_ENTERPRISE]: {
      ...(profile.department ? { department: profile.department } : {}),
      ...(managerId ? { manager: { value: managerId } } : {}),
    },
    meta: {
      resourceType: 'User',
      created: profile.createdAt,
      lastModified: profile.updatedAt ?? profile.createdAt,
      location: `${baseUrl}/Users/${profile.userId}`,
      version: etagOf(profile),
    },
  };
}
