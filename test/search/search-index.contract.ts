/**
 * One contract for every SearchIndex adapter: the same documents, the same questions, the same
 * answers (as far as each engine allows — ranking is compared by order of clearly different matches,
 * never by raw scores). Run by embedded-index.test.ts and opensearch-contract.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type {
  AccessFilter,
  SearchDocument,
  SearchIndex,
} from '../../functions/domain/search/search-document';

export interface ContractTarget {
  index: SearchIndex;
  close(): Promise<void>;
}

const now = new Date();
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

function doc(
  partial: Partial<SearchDocument> & Pick<SearchDocument, 'id' | 'type' | 'title'>,
): SearchDocument {
  return {
    body: '',
    tags: [],
    partnerOrgs: [],
    createdAt: daysAgo(10),
    updatedAt: daysAgo(10),
    likeCount: 0,
    commentCount: 0,
    saveCount: 0,
    url: `/x/${partial.id}`,
    ...partial,
  };
}

const eng = {
  spaceId: 'engineering',
  spaceName: 'Engineering',
  audience: 'employees' as const,
  partnerOrgs: [],
};
const lead = {
  spaceId: 'leadership',
  spaceName: 'Leadership',
  audience: 'members' as const,
  partnerOrgs: [],
};
const acme = {
  spaceId: 'acme-space',
  spaceName: 'Acme space',
  audience: 'partners' as const,
  partnerOrgs: ['acme'],
};
const both = {
  spaceId: 'joint',
  spaceName: 'Joint',
  audience: 'partners' as const,
  partnerOrgs: ['acme', 'globex'],
};

export const CONTRACT_DOCUMENTS: SearchDocument[] = [
  doc({
    id: 'post:engineering:1',
    type: 'post',
    title: 'Kubernetes upgrade guide',
    body: 'How we upgraded the cluster without downtime.',
    tags: ['kubernetes', 'ops'],
    authorId: 'alice',
    authorName: 'Alice Andersen',
    ...eng,
    likeCount: 5,
  }),
  doc({
    id: 'post:engineering:2',
    type: 'post',
    title: 'Lunch menu',
    body: 'Kubernetes was mentioned once at lunch, nothing more.',
    tags: ['food'],
    authorId: 'bob',
    authorName: 'Bob Baker',
    ...eng,
  }),
  doc({
    id: 'post:engineering:3',
    type: 'post',
    title: 'Terraform modules',
    body: 'Reusable infrastructure modules <script>alert(1)</script> for everyone.',
    tags: ['ops'],
    authorId: 'alice',
    authorName: 'Alice Andersen',
    ...eng,
    updatedAt: daysAgo(400),
    createdAt: daysAgo(400),
  }),
  doc({
    id: 'comment:engineering:4',
    type: 'comment',
    title: 'Comment on “Kubernetes upgrade guide”',
    body: 'Great kubernetes write-up',
    authorId: 'bob',
    authorName: 'Bob Baker',
    ...eng,
    postId: '1',
  }),
  doc({
    id: 'post:leadership:5',
    type: 'post',
    title: 'Secret reorganisation plan',
    body: 'Kubernetes team merges with platform.',
    tags: ['planning'],
    authorId: 'admin',
    authorName: 'Ada Admin',
    ...lead,
  }),
  doc({
    id: 'post:acme-space:6',
    type: 'post',
    title: 'Acme delivery forecast',
    body: 'Pallets for kubernetes hardware.',
    tags: ['logistics'],
    authorId: 'bob',
    authorName: 'Bob Baker',
    ...acme,
  }),
  doc({
    id: 'post:joint:7',
    type: 'post',
    title: 'Joint roadmap',
    body: 'Shared kubernetes roadmap.',
    tags: ['roadmap'],
    authorId: 'gus',
    authorName: 'Gus Guest',
    authorOrg: 'globex',
    ...both,
  }),
  doc({
    id: 'profile:-:alice',
    type: 'profile',
    title: 'Alice Andersen',
    body: 'Platform engineer',
    authorId: 'alice',
    authorName: 'Alice Andersen',
    skills: ['kubernetes', 'terraform'],
    url: '/people/alice',
  }),
  doc({
    id: 'profile:-:pat',
    type: 'profile',
    title: 'Pat Partner',
    body: 'Logistics lead',
    authorId: 'pat',
    authorName: 'Pat Partner',
    org: 'acme',
    authorOrg: 'acme',
    url: '/people/pat',
  }),
  doc({
    id: 'profile:-:gus',
    type: 'profile',
    title: 'Gus Guest',
    body: 'Kubernetes consultant',
    authorId: 'gus',
    authorName: 'Gus Guest',
    org: 'globex',
    authorOrg: 'globex',
    skills: ['kubernetes'],
    url: '/people/gus',
  }),
];

export const ACCESS = {
  admin: {
    allContent: true,
    employeeContent: true,
    memberSpaces: [],
    sharedSpaces: [],
    people: { allOrgs: true },
  } satisfies AccessFilter,
  employee: {
    allContent: false,
    employeeContent: true,
    memberSpaces: [],
    sharedSpaces: [],
    people: { allOrgs: true },
  } satisfies AccessFilter,
  leadMember: {
    allContent: false,
    employeeContent: true,
    memberSpaces: ['leadership'],
    sharedSpaces: [],
    people: { allOrgs: true },
  } satisfies AccessFilter,
  acmePartner: {
    allContent: false,
    employeeContent: false,
    memberSpaces: [],
    partnerOrg: 'acme',
    sharedSpaces: ['acme-space', 'joint'],
    people: { allOrgs: false, org: 'acme' },
  } satisfies AccessFilter,
  globexPartner: {
    allContent: false,
    employeeContent: false,
    memberSpaces: [],
    partnerOrg: 'globex',
    sharedSpaces: ['joint'],
    people: { allOrgs: false, org: 'globex' },
  } satisfies AccessFilter,
  nobody: {
    allContent: false,
    employeeContent: false,
    memberSpaces: [],
    sharedSpaces: [],
    people: { allOrgs: false },
  } satisfies AccessFilter,
};

const q = (text: string, extra: Record<string, unknown> = {}) => ({ text, limit: 20, offset: 0, ...extra });
const ids = (result: { hits: { document: SearchDocument }[] }) => result.hits.map((h) => h.document.id);

export function searchIndexContract(name: string, start: () => Promise<ContractTarget>) {
  describe(`SearchIndex contract: ${name}`, () => {
    let target: ContractTarget;
    let index: SearchIndex;

    beforeAll(async () => {
      target = await start();
      index = target.index;
      await index.upsert(CONTRACT_DOCUMENTS);
      await index.upsert(CONTRACT_DOCUMENTS.slice(0, 2)); // idempotent
      await index.refresh();
    }, 120_000);

    afterAll(async () => {
      await target?.close();
    });

    it('stores each document once, by id', async () => {
      expect(await index.count()).toBe(CONTRACT_DOCUMENTS.length);
      expect((await index.get('post:engineering:1'))?.title).toBe('Kubernetes upgrade guide');
    });

    it('ranks a title match above a passing mention in the body', async () => {
      const found = ids(await index.search(q('kubernetes', { types: ['post'] }), ACCESS.employee));
      expect(found[0]).toBe('post:engineering:1');
      expect(found).toContain('post:engineering:2');
      expect(found.indexOf('post:engineering:1')).toBeLessThan(found.indexOf('post:engineering:2'));
    });

    it('matches prefixes as you type and tolerates typos', async () => {
      expect(ids(await index.search(q('terraf'), ACCESS.employee))).toContain('post:engineering:3');
      expect(ids(await index.search(q('kubernetse'), ACCESS.employee))).toContain('post:engineering:1');
    });

    it('filters by type, space, tag, author and date', async () => {
      expect(ids(await index.search(q('kubernetes', { types: ['comment'] }), ACCESS.employee))).toEqual([
        'comment:engineering:4',
      ]);
      expect(ids(await index.search(q('', { tag: 'ops' }), ACCESS.employee)).sort()).toEqual([
        'post:engineering:1',
        'post:engineering:3',
      ]);
      expect(
        ids(await index.search(q('kubernetes', { authorId: 'bob', types: ['post'] }), ACCESS.employee)),
      ).toEqual(['post:engineering:2']);
      expect(ids(await index.search(q('', { spaceId: 'leadership' }), ACCESS.leadMember))).toEqual([
        'post:leadership:5',
      ]);
      const recent = ids(
        await index.search(q('', { types: ['post'], from: daysAgo(30).slice(0, 10) }), ACCESS.employee),
      );
      expect(recent).not.toContain('post:engineering:3');
      expect(recent).toContain('post:engineering:1');
    });

    it('never returns, counts or facets content the caller cannot read', async () => {
      const employee = await index.search(q('kubernetes'), ACCESS.employee);
      expect(ids(employee)).not.toContain('post:leadership:5');
      expect(ids(employee)).not.toContain('post:acme-space:6');
      expect(employee.facets.space.map((f) => f.value)).not.toContain('leadership');
      expect(employee.facets.tag.map((f) => f.value)).not.toContain('planning');

      expect(ids(await index.search(q('kubernetes'), ACCESS.leadMember))).toContain('post:leadership:5');
      expect(ids(await index.search(q('kubernetes'), ACCESS.admin))).toEqual(
        expect.arrayContaining(['post:leadership:5', 'post:acme-space:6', 'post:joint:7']),
      );

      const acmeResult = await index.search(q('kubernetes'), ACCESS.acmePartner);
      expect(
        ids(acmeResult)
          .filter((id) => !id.startsWith('profile:'))
          .sort(),
      ).toEqual(['post:acme-space:6', 'post:joint:7']);
      expect(ids(acmeResult)).not.toContain('profile:-:gus');

      const globexResult = await index.search(q('kubernetes forecast pallets acme'), ACCESS.globexPartner);
      expect(ids(globexResult)).not.toContain('post:acme-space:6');
      expect(globexResult.facets.space.map((f) => f.value)).toEqual(globexResult.total ? ['joint'] : []);
      expect(globexResult.hits.map((h) => h.snippet).join(' ')).not.toMatch(/pallet/i);
      expect(globexResult.authors.map((a) => a.authorId)).not.toContain('bob');

      const nobody = await index.search(q('kubernetes'), ACCESS.nobody);
      expect(nobody.total).toBe(0);
      expect(nobody.facets.type).toEqual([]);
      expect(nobody.authors).toEqual([]);
    });

    it('shows a private bookmark to its saver only, admins included', async () => {
      const saved = doc({
        id: 'bookmark:-:alice~quagga',
        type: 'bookmark',
        title: 'Quagga notes',
        body: 'Private quagga reading',
        authorId: 'alice',
        authorName: 'Alice Andersen',
        audience: 'private',
      });
      await index.upsert([saved]);
      await index.refresh();
      try {
        expect(ids(await index.search(q('quagga'), { ...ACCESS.employee, userId: 'alice' }))).toEqual([
          saved.id,
        ]);
        expect(ids(await index.search(q('quagga'), { ...ACCESS.employee, userId: 'bob' }))).toEqual([]);
        const admin = await index.search(q('quagga'), { ...ACCESS.admin, userId: 'admin' });
        expect([admin.total, admin.facets.type, admin.authors]).toEqual([0, [], []]);
        expect(await index.suggest('quag', { ...ACCESS.admin, userId: 'admin' }, 5)).toEqual([]);
      } finally {
        await index.remove([saved.id]);
        await index.refresh();
      }
    });

    it('never shows a partner a bookmark by another organisation’s person, even in a space both read', async () => {
      const saved = doc({
        id: 'bookmark:-:gus~okapi',
        type: 'bookmark',
        title: 'Okapi supplier list',
        authorId: 'gus',
        authorName: 'Gus Guest',
        authorOrg: 'globex',
        ...both,
      });
      await index.upsert([saved]);
      await index.refresh();
      try {
        expect(ids(await index.search(q('okapi'), ACCESS.globexPartner))).toEqual([saved.id]);
        expect(ids(await index.search(q('okapi'), { ...ACCESS.admin, userId: 'admin' }))).toEqual([saved.id]);
        const acme = await index.search(q('okapi'), ACCESS.acmePartner);
        expect([acme.total, acme.facets.type, acme.authors]).toEqual([0, [], []]);
      } finally {
        await index.remove([saved.id]);
        await index.refresh();
      }
    });

    it('shows partners employees and their own organisation, never another organisation', async () => {
      const people = ids(await index.search(q('', { types: ['profile'] }), ACCESS.acmePartner)).sort();
      expect(people).toEqual(['profile:-:alice', 'profile:-:pat']);
      expect(ids(await index.search(q('', { types: ['profile'] }), ACCESS.employee)).sort()).toEqual([
        'profile:-:alice',
        'profile:-:gus',
        'profile:-:pat',
      ]);
    });

    it('counts facets over every visible match', async () => {
      const result = await index.search(q('kubernetes'), ACCESS.employee);
      const byType = Object.fromEntries(result.facets.type.map((f) => [f.value, f.count]));
      expect(byType.post).toBe(2);
      expect(byType.comment).toBe(1);
      expect(result.total).toBe(result.facets.type.reduce((n, f) => n + f.count, 0));
    });

    it('highlights matches with <mark> in escaped text', async () => {
      const [hit] = (await index.search(q('reusable', { types: ['post'] }), ACCESS.employee)).hits;
      expect(hit.snippet).toMatch(/<mark>Reusable<\/mark>/i);
      expect(hit.snippet).not.toMatch(/<script/);
      expect(hit.snippet).toMatch(/&lt;script&gt;|alert/);
    });

    it('ranks authors by what they wrote about the query', async () => {
      const result = await index.search(q('kubernetes'), ACCESS.employee);
      const authors = result.authors.map((a) => a.authorId);
      expect(authors).toEqual(expect.arrayContaining(['alice', 'bob']));
      expect(result.authors.find((a) => a.authorId === 'alice')!.documents[0].id).toBe('post:engineering:1');
    });

    it('pages without duplicates', async () => {
      const first = await index.search(q('kubernetes', { limit: 2 }), ACCESS.admin);
      const second = await index.search(q('kubernetes', { limit: 2, offset: 2 }), ACCESS.admin);
      expect(first.hits).toHaveLength(2);
      expect(ids(second).some((id) => ids(first).includes(id))).toBe(false);
      expect(first.total).toBe(second.total);
    });

    it('suggests titles for a prefix, trimmed', async () => {
      const titles = (await index.suggest('kube', ACCESS.employee, 5)).map((s) => s.title);
      expect(titles).toContain('Kubernetes upgrade guide');
      expect((await index.suggest('secret', ACCESS.employee, 5)).map((s) => s.title)).not.toContain(
        'Secret reorganisation plan',
      );
      expect((await index.suggest('secret', ACCESS.leadMember, 5)).map((s) => s.title)).toContain(
        'Secret reorganisation plan',
      );
    });

    it('ranks people by their visible contributions to a topic, with evidence, the same on every engine', async () => {
      const extra = [
        doc({
          id: 'page:engineering:9',
          type: 'page',
          title: 'Kubernetes runbook',
          authorId: 'carol',
          authorName: 'Carol Chen',
          contributors: ['carol', 'alice'],
          ...eng,
          updatedAt: daysAgo(2),
        }),
        doc({
          id: 'bookmark:-:dave~1',
          type: 'bookmark',
          title: 'Kubernetes the hard way',
          authorId: 'dave',
          authorName: 'Dave Dunn',
          ...eng,
          updatedAt: daysAgo(800),
        }),
      ];
      await index.upsert(extra);
      await index.refresh();
      try {
        const at = now.getTime();
        const expert = (access: AccessFilter) =>
          index.expertise(
            { topic: 'kubernetes', tag: 'kubernetes', now: at, limit: 10, evidence: 2 },
            access,
          );
        const employee = await expert(ACCESS.employee);
        expect(employee.people.map((p) => p.userId)).toEqual(['alice', 'bob', 'carol', 'dave']);
        const alice = employee.people[0];
        // post (3) tagged with the topic (×1.5), 10 days old; a page she edited (2), 2 days old.
        const r = (days: number) => 0.25 + 0.75 * 2 ** (-days / 180);
        expect(alice.score).toBeCloseTo(4.5 * r(10) + 2 * r(2), 6);
        expect(alice.contributions).toBe(2);
        expect(alice.evidence.map((d) => d.id)).toEqual(['post:engineering:1', 'page:engineering:9']);
        expect(employee.people[1].score).toBeCloseTo(4 * r(10), 6); // a post and a comment
        expect(employee.people[1].evidence.map((d) => d.id)).toEqual([
          'post:engineering:2',
          'comment:engineering:4',
        ]);
        expect(employee.people[3].score).toBeCloseTo(r(800), 6);
        // Nobody is listed for work the caller cannot read.
        expect(employee.people.map((p) => p.userId)).not.toContain('admin');
        expect((await expert(ACCESS.leadMember)).people.map((p) => p.userId)).toContain('admin');
        expect((await expert(ACCESS.acmePartner)).people.map((p) => p.userId).sort()).toEqual(['bob', 'gus']);
        expect(
          (await expert(ACCESS.acmePartner)).people
            .find((p) => p.userId === 'bob')!
            .evidence.map((d) => d.id),
        ).toEqual(['post:acme-space:6']);
        expect((await expert(ACCESS.nobody)).people).toEqual([]);
        // Profiles are claims, not work: a skill alone lists nobody.
        expect(
          (await index.expertise({ topic: 'consultant', now: at, limit: 10, evidence: 2 }, ACCESS.admin))
            .people,
        ).toEqual([]);

        // "Knows about": the tags of one person's visible work, weighted the same way.
        const topics = await index.topicsOf('alice', ACCESS.employee, 5, at);
        expect(topics.map((t) => [t.tag, t.count])).toEqual([
          ['ops', 2],
          ['kubernetes', 1],
        ]);
        expect(topics[1].score).toBeCloseTo(3 * r(10), 6);
        expect(await index.topicsOf('admin', ACCESS.employee, 5, at)).toEqual([]);
        expect((await index.topicsOf('admin', ACCESS.leadMember, 5, at)).map((t) => t.tag)).toEqual([
          'planning',
        ]);

        // Activity: newest first, paged by (updatedAt, id), trimmed.
        const first = await index.activityOf('alice', ACCESS.employee, { limit: 2 });
        expect(first.documents.map((d) => d.id)).toEqual(['page:engineering:9', 'post:engineering:1']);
        expect(first.more).toBe(true);
        const last = first.documents[1];
        const second = await index.activityOf('alice', ACCESS.employee, {
          limit: 2,
          after: { updatedAt: last.updatedAt, id: last.id },
        });
        expect(second.documents.map((d) => d.id)).toEqual(['post:engineering:3']);
        expect(second.more).toBe(false);
        expect((await index.activityOf('admin', ACCESS.employee, { limit: 5 })).documents).toEqual([]);
        expect(
          (await index.activityOf('gus', ACCESS.acmePartner, { limit: 5 })).documents.map((d) => d.id),
        ).toEqual(['post:joint:7']);
      } finally {
        await index.remove(extra.map((d) => d.id));
        await index.refresh();
      }
    });

    it('follows a space being unshared, and removal of documents and spaces', async () => {
      expect(
        await index.updateSpace('joint', {
          audience: 'partners',
          partnerOrgs: ['globex'],
          spaceName: 'Joint',
        }),
      ).toBe(1);
      await index.refresh();
      const stillShared = { ...ACCESS.acmePartner }; // even if the caller still thinks joint is shared
      expect(ids(await index.search(q('roadmap'), stillShared))).not.toContain('post:joint:7');
      expect(ids(await index.search(q('roadmap'), ACCESS.globexPartner))).toContain('post:joint:7');

      await index.remove(['post:engineering:2']);
      await index.refresh();
      expect(await index.get('post:engineering:2')).toBeUndefined();
      expect(ids(await index.search(q('lunch'), ACCESS.admin))).not.toContain('post:engineering:2');

      expect(await index.removeSpace('acme-space')).toBe(1);
      await index.refresh();
      expect(ids(await index.search(q('forecast'), ACCESS.admin))).toEqual([]);
    });
  });
}
