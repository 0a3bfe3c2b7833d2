/**
 * The people directory's entries: small items written in the same transaction as the profile, one per
 * list a person is in — by name, by @handle, by department, by location. Each carries what a directory
 * row shows, so a page of any list is one Query with no second read. GSI1 holds the list of one
 * audience scope (employees, or one partner organisation), GSI2 the same list over everyone (what
 * employees browse); a partner reads two GSI1 lists (employees and their own organisation), never
 * another organisation's (docs/data-model.md, "People directory").
 */
import { keys } from '../../data/keys';
import type { Item, TransactItem } from '../../data/table';
import type { Profile } from '../profiles/profile';

export type DirectoryFacet = 'name' | 'handle' | 'dept' | 'loc';

/** What a directory row shows of a person. */
export interface DirectoryPerson {
  userId: string;
  name: string;
  handle: string;
  title?: string;
  department?: string;
  location?: string;
  org?: string;
  kind: 'employee' | 'partner';
  /** false when deactivated; absent when active. */
  active?: boolean;
}

/** The scope of a person's own lists: `employees` or `ORG#<org>`. */
export const scopeOf = (org: string | undefined) => (org ? `ORG#${org}` : 'employees');

/** A department or location as a list key: case and spacing do not make two lists. */
export function facetValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The list (GSI partition) of a facet; `value` for department and location. */
export function directoryList(scope: string, facet: DirectoryFacet, value?: string): string {
  return keys.directoryList(scope, value === undefined ? facet : `${facet}#${facetValue(value)}`);
}

/** Sort key of a person in a list: by name (or handle), the id making it unique. */
export function directorySortKey(
  profile: Pick<Profile, 'name' | 'handle' | 'userId'>,
  facet: DirectoryFacet,
) {
  return `${facet === 'handle' ? profile.handle : profile.name.toLowerCase()}#${profile.userId}`;
}

export function directoryPerson(profile: Profile): DirectoryPerson {
  return {
    userId: profile.userId,
    name: profile.name,
    handle: profile.handle,
    ...(profile.title ? { title: profile.title } : {}),
    ...(profile.department ? { department: profile.department } : {}),
    ...(profile.location ? { location: profile.location } : {}),
    ...(profile.org ? { org: profile.org } : {}),
    kind: profile.kind,
    ...(profile.active === false ? { active: false } : {}),
  };
}

/** The entries a profile has: name and handle always, department and location when filled in. */
export function directoryEntries(profile: Profile): Item[] {
  const scope = scopeOf(profile.org);
  const facets: [DirectoryFacet, string | undefined][] = [
    ['name', undefined],
    ['handle', undefined],
    ...(profile.department ? [['dept', profile.department] as [DirectoryFacet, string]] : []),
    ...(profile.location ? [['loc', profile.location] as [DirectoryFacet, string]] : []),
  ];
  const person = directoryPerson(profile);
  return facets.map(([facet, value]) => {
    const sortKey = directorySortKey(profile, facet);
    return {
      ...keys.directoryEntry(profile.userId, facet),
      type: 'directoryEntry',
      ...person,
      GSI1PK: directoryList(scope, facet, value),
      GSI1SK: sortKey,
      GSI2PK: directoryList('all', facet, value),
      GSI2SK: sortKey,
    };
  });
}

/**
 * The transaction items that bring a person's entries from `before` to `after`: every entry put again
 * (a name or title change shows in every list), and a department or location entry deleted when that
 * field was cleared. At most 6 items.
 */
export function directoryWrites(before: Profile | undefined, after: Profile): TransactItem[] {
  const puts = directoryEntries(after);
  const kept = new Set(puts.map((item) => item.SK));
  const deletes = (before ? directoryEntries(before) : [])
    .filter((item) => !kept.has(item.SK))
    .map((item) => ({ Delete: { Key: { PK: item.PK, SK: item.SK } } }));
  return [...puts.map((Item) => ({ Put: { Item } })), ...deletes];
}
