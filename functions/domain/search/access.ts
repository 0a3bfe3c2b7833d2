/**
 * The access rule for search documents, as a predicate. The embedded engine applies it directly; the
 * OpenSearch adapter translates the same rule into its query. Keep the two in step (the contract suite
 * in test/search checks they agree).
 */
import type { AccessFilter, SearchDocument } from './search-document';

export function canSeeDocument(access: AccessFilter, doc: SearchDocument): boolean {
  if (doc.type === 'profile') {
    // Employees see everyone; a partner sees employees and their own organisation; nobody else anyone.
    return access.people.allOrgs || (!!access.people.org && (!doc.org || doc.org === access.people.org));
  }
  // Before the admin rule: a private bookmark is its saver's alone.
  if (doc.audience === 'private') return !!access.userId && doc.authorId === access.userId;
  if (access.allContent) return true;
  if (access.employeeContent && doc.audience === 'employees') return true;
  if (!access.partnerOrg && doc.spaceId && access.memberSpaces.includes(doc.spaceId)) return true;
  // A partner never learns what another organisation's people saved, even in a space both may read.
  if (access.partnerOrg && doc.type === 'bookmark' && doc.authorOrg && doc.authorOrg !== access.partnerOrg)
    return false;
  return (
    !!access.partnerOrg &&
    doc.audience === 'partners' &&
    doc.partnerOrgs.includes(access.partnerOrg) &&
    !!doc.spaceId &&
    access.sharedSpaces.includes(doc.spaceId)
  );
}

export const NO_ACCESS: AccessFilter = {
  allContent: false,
  employeeContent: false,
  memberSpaces: [],
  sharedSpaces: [],
  people: { allOrgs: false },
};
