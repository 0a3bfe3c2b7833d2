/**
 * The people directory: everyone the caller may see, by name, filtered by department, location, skill
 * or organisation, and a type-ahead on name and @handle. Every page is a constant number of requests:
 * one Query per list read (one for employees, two for a partner), plus one BatchGetItem of profiles
 * when filtering by skill (skill items carry no row). A second filter is applied to the rows of the
 * first, so such a page may hold fewer rows than asked and still carry a cursor.
 */
import { keys } from '../../data/keys';
import type { Item, Page } from '../../data/table';
import { normalizeTag } from '../content/names';
import type { DomainContext } from '../context';
import { InvalidInput } from '../errors';
import { isPartner, type Principal } from '../principal';
import { toProfile } from '../profiles/profile';
import { canSeePerson } from '../spaces/space-access';
import {
  type DirectoryFacet,
  type DirectoryPerson,
  directoryList,
  directoryPerson,
  facetValue,
  scopeOf,
} from './directory-entry';
import { type MergedList, readMerged, userIdOfSortKey } from './merged-lists';

export interface DirectoryQuery {
  department?: string;
  location?: string;
  skill?: string;
  /** `employees` or a partner organisation's id. */
  org?: string;
  order?: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

export class DirectoryService {
  constructor(private readonly ctx: DomainContext) {}

  async list(principal: Principal, query: DirectoryQuery): Promise<Page<DirectoryPerson>> {
    const scopes = this.scopes(principal, query.org);
    if (scopes === 'none') return { items: [] };
    const descending = query.order === 'desc';
    if (query.skill) return this.withSkill(principal, query, scopes, descending);
    const [facet, value]: [DirectoryFacet, string | undefined] = query.department
      ? ['dept', query.department]
      : query.location
        ? ['loc', query.location]
        : ['name', undefined];
    const lists = this.entryLists(scopes, facet, value);
    const page = await readMerged(this.ctx.table, lists, {
      limit: query.limit,
      cursor: query.cursor,
      descending,
    });
    const rows = page.items
      .map(entryRow)
      .filter((row) => matches(row, query) && canSeePerson(principal, row));
    return { items: rows, cursor: page.cursor };
  }

  /** Up to `limit` people whose name or @handle starts with `prefix`: 2 Queries (a partner: 4). */
  async suggest(principal: Principal, prefix: string, limit: number): Promise<DirectoryPerson[]> {
    const scopes = this.scopes(principal, undefined);
    if (scopes === 'none') return [];
    const wanted = prefix.trim().replace(/\s+/g, ' ').toLowerCase().replace(/^@/, '');
    if (!wanted || wanted.includes('#')) return [];
    const lists = [
      ...this.entryLists(scopes, 'name', undefined, wanted),
      ...this.entryLists(scopes, 'handle', undefined, wanted),
    ];
    const page = await readMerged(this.ctx.table, lists, { limit: limit * 2 });
    const seen = new Set<string>();
    const rows: DirectoryPerson[] = [];
    for (const row of page.items.map(entryRow)) {
      if (seen.has(row.userId) || !canSeePerson(principal, row)) continue;
      seen.add(row.userId);
      rows.push(row);
    }
    // Name matches and handle matches arrive interleaved by key: show them by name.
    return rows.sort((a, b) => a.name.localeCompare(b.name)).slice(0, limit);
  }

  /**
   * The lists (audience scopes) the caller reads: `all` (GSI2: everyone) for an employee without an
   * organisation filter; a partner reads employees and their own organisation, and an organisation
   * filter naming another organisation reads nothing.
   */
  private scopes(principal: Principal, org: string | undefined): string[] | 'all' | 'none' {
    if (isPartner(principal)) {
      const own = principal.org ? [scopeOf(principal.org)] : [];
      if (org === undefined) return ['employees', ...own];
      if (org === 'employees') return ['employees'];
      return org === principal.org ? own : 'none';
    }
    if (!canSeePerson(principal, {})) return 'none';
    if (org === undefined) return 'all';
    return [org === 'employees' ? 'employees' : scopeOf(org)];
  }

  private entryLists(
    scopes: string[] | 'all',
    facet: DirectoryFacet,
    value: string | undefined,
    prefix?: string,
  ): MergedList[] {
    const keyOf = (sortKey: string) => keys.directoryEntry(userIdOfSortKey(sortKey), facet);
    if (scopes === 'all')
      return [{ index: 'GSI2', partition: directoryList('all', facet, value), keyOf, beginsWith: prefix }];
    return scopes.map((scope) => ({
      index: 'GSI1' as const,
      partition: directoryList(scope, facet, value),
      keyOf,
      beginsWith: prefix,
    }));
  }

  /** People with a skill: the skill items' lists (as GET /people?skill= always read), then their profiles. */
  private async withSkill(
    principal: Principal,
    query: DirectoryQuery,
    scopes: string[] | 'all',
    descending: boolean,
  ): Promise<Page<DirectoryPerson>> {
    const skill = normalizeTag((query.skill ?? '').trim().replace(/\s+/g, '-'));
    if (!skill)
      throw new InvalidInput('Skills start with a letter and hold letters, digits, - and _', [
        { field: 'skill', message: 'not a skill' },
      ]);
    const keyOf = (sortKey: string) => keys.skill(userIdOfSortKey(sortKey), skill);
    const lists: MergedList[] =
      scopes === 'all'
        ? [{ index: 'GSI1', partition: keys.peopleWithSkill(skill), keyOf }]
        : scopes.map((scope) => ({
            index: 'GSI2' as const,
            partition: keys.skillHolders(skill, scope === 'employees' ? undefined : scope.slice(4)),
            keyOf,
          }));
    const page = await readMerged(this.ctx.table, lists, {
      limit: query.limit,
      cursor: query.cursor,
      descending,
    });
    const profiles = await this.ctx.table.getMany(
      page.items.map((item) => keys.profile(item.userId as string)),
    );
    const rows = profiles
      .filter((item): item is Item => !!item)
      .map((item) => directoryPerson(toProfile(item)))
      .filter((row) => matches(row, query) && canSeePerson(principal, row));
    return { items: rows, cursor: page.cursor };
  }
}

function entryRow(item: Item): DirectoryPerson {
  const { userId, name, handle, title, department, location, org, kind, active } = item as Item &
    DirectoryPerson;
  return {
    userId,
    name,
    handle,
    ...(title ? { title } : {}),
    ...(department ? { department } : {}),
    ...(location ? { location } : {}),
    ...(org ? { org } : {}),
    kind,
    ...(active === false ? { active: false } : {}),
  };
}

/** The filters besides the one whose list was read. */
function matches(row: DirectoryPerson, query: DirectoryQuery): boolean {
  if (query.department && facetValue(row.department ?? '') !== facetValue(query.department)) return false;
  if (query.location && facetValue(row.location ?? '') !== facetValue(query.location)) return false;
  if (query.org !== undefined && (query.org === 'employees' ? !!row.org : row.org !== query.org))
    return false;
  return true;
}
