/**
 * Search for a person: works out what they may read (from the table, at query time), asks the index
 * with that filter inside the query, and shapes hits, facets and "who knows about X".
 */
import { keys } from '../../data/keys';
import type { DomainContext } from '../context';
import { InvalidInput } from '../errors';
import { isAdmin, isEmployee, isPartner, type Principal } from '../principal';
import { canSeePerson, visibleAuthor } from '../spaces/space-access';
import { NO_ACCESS } from './access';
import type { AccessFilter, SearchDocument, SearchIndex, SearchType } from './search-document';

export interface SearchParams {
  q: string;
  type?: SearchType[];
  space?: string;
  tag?: string;
  author?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

const MAX_OFFSET = 1000;

export class SearchService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly index: SearchIndex,
  ) {}

  /** What the caller may read, as the index's access filter. Default deny. */
  async accessFor(principal: Principal): Promise<AccessFilter> {
    if (isPartner(principal)) {
      if (!principal.org) return NO_ACCESS;
      const shared = await this.collect(keys.sharedWith(principal.org));
      return {
        userId: principal.userId,
        allContent: false,
        employeeContent: false,
        memberSpaces: [],
        partnerOrg: principal.org,
        sharedSpaces: shared,
        people: { allOrgs: false, org: principal.org },
      };
    }
    if (!isEmployee(principal)) return NO_ACCESS;
    if (isAdmin(principal))
      return {
        userId: principal.userId,
        allContent: true,
        employeeContent: true,
        memberSpaces: [],
        sharedSpaces: [],
        people: { allOrgs: true },
      };
    const memberSpaces = await this.collect(keys.membershipsOf(principal.userId));
    return {
      userId: principal.userId,
      allContent: false,
      employeeContent: true,
      memberSpaces,
      sharedSpaces: [],
      people: { allOrgs: true },
    };
  }

  async search(principal: Principal, params: SearchParams) {
    const offset = decodeOffset(params.cursor);
    const access = await this.accessFor(principal);
    // Filtering by someone the caller may not see would confirm that they exist: answer as for nobody.
    if (params.author && isPartner(principal)) {
      const author = await this.ctx.table.get(keys.profile(params.author));
      if (!author || !canSeePerson(principal, author as { org?: string })) {
        return {
          total: 0,
          items: [],
          facets: { type: [], space: [], tag: [] },
          people: [],
          cursor: undefined,
        };
      }
    }
    const result = await this.index.search(
      {
        text: params.q,
        types: params.type,
        spaceId: params.space,
        tag: params.tag,
        authorId: params.author,
        from: params.from,
        to: params.to,
        limit: params.limit,
        offset,
      },
      access,
    );
    const spaceNames = new Map<string, string>();
    for (const hit of result.hits)
      if (hit.document.spaceId && hit.document.spaceName)
        spaceNames.set(hit.document.spaceId, hit.document.spaceName);
    const missing = result.facets.space.map((f) => f.value).filter((id) => !spaceNames.has(id));
    if (missing.length) {
      const spaces = await this.ctx.table.getMany(missing.map((id) => keys.space(id)));
      spaces.forEach((space, i) => {
        if (space) spaceNames.set(missing[i], space.name as string);
      });
    }
    const next = offset + result.hits.length;
    return {
      total: result.total,
      items: result.hits
        .map((hit) => ({ ...hit, document: visibleAuthor(principal, hit.document) }))
        .map((hit) => ({
          type: hit.document.type,
          id: hit.document.id,
          spaceId: hit.document.spaceId,
          spaceName: hit.document.spaceName,
          postId: hit.document.postId,
          title: hit.document.title,
          titleHighlight: hit.titleHighlight,
          snippet: hit.snippet,
          url: hit.document.url,
          tags: hit.document.tags,
          authorId: hit.document.authorId,
          authorName: hit.document.authorName,
          authorOrg: hit.document.authorOrg,
          updatedAt: hit.document.updatedAt,
          likeCount: hit.document.likeCount,
          score: Math.round(hit.score * 1000) / 1000,
        })),
      facets: {
        type: result.facets.type,
        space: result.facets.space.map((f) => ({ ...f, label: spaceNames.get(f.value) ?? f.value })),
        tag: result.facets.tag,
      },
      people:
        params.q.trim() && offset === 0 ? await this.people(principal, params.q, access, result.authors) : [],
      cursor:
        next < result.total && next < MAX_OFFSET
          ? Buffer.from(String(next)).toString('base64url')
          : undefined,
    };
  }

  /**
   * "Who knows about X": people ranked by what they wrote that matches (scores summed over their
   * visible documents) and by their profile (skills, title) matching. Evidence is shown with each.
   */
  private async people(
    principal: Principal,
    q: string,
    access: AccessFilter,
    authors: Awaited<ReturnType<SearchIndex['search']>>['authors'],
  ) {
    const profiles = await this.index.search({ text: q, types: ['profile'], limit: 10, offset: 0 }, access);
    const ranked = new Map<
      string,
      {
        userId: string;
        name: string;
        org?: string;
        title?: string;
        score: number;
        evidence: { kind: string; title: string; url: string }[];
      }
    >();
    for (const author of authors) {
      if (isPartner(principal) && author.authorOrg && author.authorOrg !== principal.org) continue;
      ranked.set(author.authorId, {
        userId: author.authorId,
        name: author.authorName,
        ...(author.authorOrg ? { org: author.authorOrg } : {}),
        score: author.score,
        evidence: author.documents.map((d: SearchDocument) => ({ kind: d.type, title: d.title, url: d.url })),
      });
    }
    for (const hit of profiles.hits) {
      const doc = hit.document;
      const userId = doc.authorId!;
      const entry = ranked.get(userId) ?? {
        userId,
        name: doc.title,
        ...(doc.org ? { org: doc.org } : {}),
        score: 0,
        evidence: [],
      };
      entry.score += hit.score * 1.5; // a stated skill counts for more than a single mention
      entry.title = doc.body.split('. ')[0] || undefined;
      entry.evidence.unshift({
        kind: 'profile',
        title: doc.skills?.length ? `Skills: ${doc.skills.join(', ')}` : 'Profile',
        url: doc.url,
      });
      ranked.set(userId, entry);
    }
    return [...ranked.values()]
      .sort((a, b) => b.score - a.score)
      .slice(0, 5)
      .map((p) => ({ ...p, score: Math.round(p.score * 1000) / 1000 }));
  }

  async suggest(principal: Principal, q: string) {
    const access = await this.accessFor(principal);
    return { items: await this.index.suggest(q, access, 8) };
  }

  /** All values of one GSI1 partition's `spaceId` (memberships or shares), paging through. */
  private async collect(partition: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.ctx.table.query({ index: 'GSI1', partition, limit: 500, cursor });
      for (const item of page.items) ids.push(item.spaceId as string);
      cursor = page.cursor;
    } while (cursor && ids.length < 5000);
    return ids;
  }
}

function decodeOffset(cursor?: string): number {
  if (!cursor) return 0;
  const value = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(value) || value < 0 || value > MAX_OFFSET) {
    throw new InvalidInput('The cursor is not valid for this search', [
      { field: 'cursor', message: 'invalid cursor' },
    ]);
  }
  return value;
}
