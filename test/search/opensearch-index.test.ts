// The OpenSearch adapter against a REAL OpenSearch 2.19 node (test/opensearch-node): index definition,
// versioned indices behind the alias and the reindex swap, space updates, security trimming inside the
// query, highlighting, prefix/typo matching and facets. The behaviour both adapters share is checked by
// the contract suite; this file covers what is specific to OpenSearch.
// Locally it is skipped until the node is built (`bash .ci/opensearch-node.sh`); under CI=true it must run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@opensearch-project/opensearch';
import type {
  AccessFilter,
  SearchDocument,
  SearchQuery,
} from '../../functions/domain/search/search-document';
import { OpenSearchHttp } from '../../functions/search/opensearch/opensearch-http';
import { OpenSearchIndex } from '../../functions/search/opensearch/opensearch-index';
import { type OpenSearchNode, openSearchSuiteRuns, startOpenSearchNode } from '../helpers/opensearch-node';

const suite = openSearchSuiteRuns('opensearch-index.test.ts') ? describe : describe.skip;

const NOW = Date.parse('2026-03-01T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000).toISOString();

function doc(
  partial: Partial<SearchDocument> & Pick<SearchDocument, 'id' | 'type' | 'title'>,
): SearchDocument {
  return {
    body: '',
    tags: [],
    partnerOrgs: [],
    createdAt: daysAgo(5),
    updatedAt: daysAgo(5),
    likeCount: 0,
    commentCount: 0,
    saveCount: 0,
    url: `/x/${partial.id}`,
    ...partial,
  };
}

const ops = { spaceId: 'ops', spaceName: 'Operations', audience: 'employees' as const, partnerOrgs: [] };
const board = { spaceId: 'board', spaceName: 'Board', audience: 'members' as const, partnerOrgs: [] };
const acme = { spaceId: 'acme', spaceName: 'Acme', audience: 'partners' as const, partnerOrgs: ['acme'] };
const HOSTILE = 'Before <script>alert("x")</script> & \'quoted\' a/b — the rollback procedure works.';

const DOCS: SearchDocument[] = [
  doc({
    id: 'post:ops:1',
    type: 'post',
    title: 'Kubernetes rollback runbook',
    body: 'Steps for a safe rollback of a deployment.',
    tags: ['kubernetes', 'runbook'],
    authorId: 'alice',
    authorName: 'Alice Andersen',
    ...ops,
  }),
  doc({
    id: 'post:ops:2',
    type: 'post',
    title: 'Crème brûlée Friday',
    body: 'Dessert in the kitchen.',
    tags: ['food'],
    authorId: 'bob',
    authorName: 'Bob Baker',
    ...ops,
    updatedAt: daysAgo(200),
  }),
  doc({
    id: 'post:ops:3',
    type: 'post',
    title: 'Incident <img src=x onerror=alert(1)> review',
    body: HOSTILE,
    tags: ['runbook'],
    authorId: 'alice',
    authorName: 'Alice Andersen',
    ...ops,
  }),
  doc({
    id: 'comment:ops:4',
    type: 'comment',
    title: 'Comment on “Kubernetes rollback runbook”',
    body: 'The rollback worked for us too.',
    authorId: 'bob',
    authorName: 'Bob Baker',
    ...ops,
    postId: '1',
  }),
  doc({
    id: 'post:board:5',
    type: 'post',
    title: 'Confidential rollback of the merger',
    body: 'Board only: rollback plan.',
    tags: ['merger'],
    authorId: 'ceo',
    authorName: 'Cleo Executive',
    ...board,
  }),
  doc({
    id: 'post:acme:6',
    type: 'post',
    title: 'Acme rollback schedule',
    body: 'Pallets and the rollback window.',
    tags: ['logistics'],
    authorId: 'pat',
    authorName: 'Pat Partner',
    authorOrg: 'acme',
    ...acme,
    updatedAt: '2026-01-31T23:30:00.000Z',
  }),
  doc({
    id: 'profile:-:alice',
    type: 'profile',
    title: 'Alice Andersen',
    body: 'Site reliability engineer',
    authorId: 'alice',
    authorName: 'Alice Andersen',
    skills: ['kubernetes', 'rollback'],
    url: '/people/alice',
  }),
  doc({
    id: 'profile:-:pat',
    type: 'profile',
    title: 'Pat Partner',
    body: 'Rollback coordinator at Acme',
    authorId: 'pat',
    authorName: 'Pat Partner',
    org: 'acme',
    authorOrg: 'acme',
    url: '/people/pat',
  }),
];

const none = { allContent: false, employeeContent: false, memberSpaces: [], sharedSpaces: [] };
const ACCESS = {
  employee: { ...none, employeeContent: true, people: { allOrgs: true } },
  boardMember: { ...none, employeeContent: true, memberSpaces: ['board'], people: { allOrgs: true } },
  admin: { ...none, allContent: true, employeeContent: true, people: { allOrgs: true } },
  acmePartner: {
    ...none,
    partnerOrg: 'acme',
    sharedSpaces: ['acme'],
    people: { allOrgs: false, org: 'acme' },
  },
  globexPartner: {
    ...none,
    partnerOrg: 'globex',
    sharedSpaces: ['acme'],
    people: { allOrgs: false, org: 'globex' },
  },
  // A partner who is (wrongly) listed as a member of a space still gets nothing through membership.
  partnerAsMember: {
    ...none,
    partnerOrg: 'globex',
    memberSpaces: ['ops', 'board'],
    people: { allOrgs: false, org: 'globex' },
  },
  nobody: { ...none, people: { allOrgs: false } },
} satisfies Record<string, AccessFilter>;

const q = (text: string, extra: Partial<SearchQuery> = {}): SearchQuery => ({
  text,
  limit: 20,
  offset: 0,
  ...extra,
});
const ids = (result: { hits: { document: SearchDocument }[] }) => result.hits.map((h) => h.document.id);

suite('OpenSearchIndex (real OpenSearch 2.19)', () => {
  let node: OpenSearchNode | undefined;
  let client: Client;
  /** What the adapter uses (the client's transport layer); `client` is the full client, for inspecting the node. */
  let http: OpenSearchHttp;
  let index: OpenSearchIndex;
  beforeAll(async () => {
    node = await startOpenSearchNode();
    client = new Client({ node: node.url });
    http = new OpenSearchHttp(node.url);
    // _update_by_query and _delete_by_query (space changes) come from the reindex module, which every
    // AWS domain has and the test node loads: fail loudly if it ever goes missing.
    const plugins = (await client.cat.plugins({ format: 'json' })).body as Array<{ component: string }>;
    expect(plugins.map((p) => p.component)).toContain('org.opensearch.index.reindex.ReindexPlugin');
    index = new OpenSearchIndex({ client: http, alias: 'cp', now: () => NOW, aliasCacheMs: 50 });
    const started = Date.now();
    await index.upsert(DOCS);
    await index.refresh();
    console.info(
      `OpenSearch node ready in ${node.startMs} ms; index created and ${DOCS.length} documents searchable in ${Date.now() - started} ms`,
    );
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await http?.close();
    await node?.stop();
  }, 60_000);

  describe('index definition', () => {
    it('creates a versioned index behind the alias from code: strict mapping, explicit refresh interval, slow-log thresholds, folding analyzers', async () => {
      expect(await index.ensureIndex()).toBe('cp-v1');
      expect(Object.keys((await client.indices.getAlias({ name: 'cp' })).body)).toEqual(['cp-v1']);

      const settings = (await client.indices.getSettings({ index: 'cp-v1' })).body['cp-v1'].settings?.index;
      expect(settings?.refresh_interval).toBe('1s');
      // Slow logs have thresholds, so the domain's published slow logs are not empty.
      expect(settings?.search?.slowlog?.threshold?.query?.warn).toBe('1s');
      expect(settings?.indexing?.slowlog?.threshold?.index?.warn).toBe('1s');
      const mapping = (await client.indices.getMapping({ index: 'cp-v1' })).body['cp-v1'].mappings;
      expect(mapping.dynamic).toBe('strict');
      expect(mapping.properties?.partnerOrgs.type).toBe('keyword');

      const folded = await client.indices.analyze({
        index: 'cp-v1',
        body: { analyzer: 'folded', text: 'Crème Brûlée' },
      });
      expect(folded.body.tokens?.map((t) => t.token)).toEqual(['creme', 'brulee']);
      const grams = await client.indices.analyze({
        index: 'cp-v1',
        body: { field: 'title.prefix', text: 'Kube' },
      });
      expect(grams.body.tokens?.map((t) => t.token)).toEqual(['k', 'ku', 'kub', 'kube']);

      const bad = { ...DOCS[0], id: 'post:ops:bad', unexpected: true } as SearchDocument;
      await expect(index.upsert([bad])).rejects.toThrow(/strict_dynamic_mapping_exception/);
    });

    it('creates the first index once, however many writers start at the same time', async () => {
      const writers = [1, 2, 3].map(() => new OpenSearchIndex({ client: http, alias: 'race' }));
      const created = await Promise.all(writers.map((writer) => writer.ensureIndex()));
      expect(new Set(created)).toEqual(new Set(['race-v1']));
      expect(Object.keys((await client.indices.getAlias({ name: 'race' })).body)).toEqual(['race-v1']);
    });

    it('answers reads with nothing before anything was indexed (and readers never create indices)', async () => {
      const empty = new OpenSearchIndex({ client: http, alias: 'nothing-yet' });
      expect(await empty.count()).toBe(0);
      expect(await empty.get('post:ops:1')).toBeUndefined();
      expect((await empty.search(q('rollback'), ACCESS.admin)).total).toBe(0);
      expect(await empty.suggest('roll', ACCESS.admin, 5)).toEqual([]);
      await empty.refresh();
      expect((await client.indices.get({ index: 'nothing-yet*' })).body).toEqual({});
    });
  });

  describe('search', () => {
    it('ranks by field boosts with typo tolerance, accent folding and the last word as a prefix', async () => {
      const rollback = ids(await index.search(q('rollback', { types: ['post'] }), ACCESS.employee));
      expect(rollback[0]).toBe('post:ops:1'); // title and tag over body-only mentions
      expect(rollback).toEqual(expect.arrayContaining(['post:ops:1', 'post:ops:3']));
      expect(ids(await index.search(q('rolback'), ACCESS.employee))).toContain('post:ops:1');
      expect(ids(await index.search(q('kuberne'), ACCESS.employee))).toContain('post:ops:1');
      expect(ids(await index.search(q('creme brulee'), ACCESS.employee))).toEqual(['post:ops:2']);
      expect(ids(await index.search(q('runbook kube', { types: ['post'] }), ACCESS.employee))[0]).toBe(
        'post:ops:1',
      );
      // "who knows about X": a person's skills are searched
      expect(ids(await index.search(q('kubernetes', { types: ['profile'] }), ACCESS.employee))).toEqual([
        'profile:-:alice',
      ]);
    });

    it('applies the freshness boost 1 + 0.5·e^(−age/30 days)', async () => {
      const [fresh] = (
        await index.search(q('', { types: ['post'], spaceId: 'ops', tag: 'kubernetes' }), ACCESS.employee)
      ).hits;
      const [old] = (await index.search(q('', { types: ['post'], tag: 'food' }), ACCESS.employee)).hits;
      expect(fresh.score).toBeCloseTo(1 + 0.5 * Math.exp(-5 / 30), 4);
      expect(old.score).toBeCloseTo(1 + 0.5 * Math.exp(-200 / 30), 4);
    });

    it('highlights with <mark> in text escaped exactly like escapeHtml, whatever the document contains', async () => {
      const [hit] = (await index.search(q('procedure'), ACCESS.employee)).hits;
      expect(hit.document.id).toBe('post:ops:3');
      expect(hit.snippet).toBe(
        'Before &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; a/b — the rollback <mark>procedure</mark> works.',
      );
      const [titled] = (await index.search(q('incident'), ACCESS.employee)).hits;
      expect(titled.titleHighlight).toBe('<mark>Incident</mark> &lt;img src=x onerror=alert(1)&gt; review');
      expect(titled.snippet).toBe(
        'Before &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; a/b — the rollback procedure works.',
      );
    });

    it('cuts long bodies to a fragment around the match, with ellipses', async () => {
      const filler = 'Lorem ipsum dolor sit amet consectetur. '.repeat(20);
      await index.upsert([
        doc({
          id: 'post:ops:long',
          type: 'post',
          title: 'Long read',
          body: `${filler}The zeppelin landed safely. ${filler}`,
          ...ops,
        }),
      ]);
      await index.refresh();
      const [hit] = (await index.search(q('zeppelin'), ACCESS.employee)).hits;
      expect(hit.snippet).toMatch(/^….*<mark>zeppelin<\/mark>.*…$/);
      expect(hit.snippet.length).toBeLessThan(400);
      await index.remove(['post:ops:long']);
      await index.refresh();
    });

    it('counts facets over the matches the caller may read, after every filter', async () => {
      const all = await index.search(q('rollback'), ACCESS.employee);
      expect(all.facets.type).toEqual([
        { value: 'post', count: 2 },
        { value: 'profile', count: 2 },
        { value: 'comment', count: 1 },
      ]);
      expect(all.facets.space).toEqual([{ value: 'ops', count: 3 }]);
      expect(all.facets.tag).toEqual([
        { value: 'runbook', count: 2 },
        { value: 'kubernetes', count: 1 },
      ]);
      expect(all.total).toBe(5);

      const posts = await index.search(
        q('rollback', { types: ['post'], tag: 'runbook' }),
        ACCESS.boardMember,
      );
      expect(posts.total).toBe(2);
      expect(posts.facets.type).toEqual([{ value: 'post', count: 2 }]);
      expect(posts.facets.space).toEqual([{ value: 'ops', count: 2 }]);

      const admin = await index.search(q('rollback'), ACCESS.admin);
      expect(admin.facets.space.map((f) => f.value).sort()).toEqual(['acme', 'board', 'ops']);
    });

    it('ranks authors by what they wrote, with their best documents as evidence', async () => {
      const { authors } = await index.search(q('rollback'), ACCESS.employee);
      expect(authors.map((a) => a.authorId)).toEqual(['alice', 'bob']);
      expect(authors[0]).toMatchObject({ authorName: 'Alice Andersen' });
      expect(authors[0].documents.map((d) => d.id)).toEqual(['post:ops:1', 'post:ops:3']);
      expect(authors[0].score).toBeGreaterThan(authors[1].score);
      expect(authors.flatMap((a) => a.documents).some((d) => d.type === 'profile')).toBe(false);
    });

    it('filters by author (their content and their profile) and by inclusive dates', async () => {
      expect(ids(await index.search(q('', { authorId: 'pat' }), ACCESS.admin)).sort()).toEqual([
        'post:acme:6',
        'profile:-:pat',
      ]);
      // `to` includes the whole day or month it names
      expect(ids(await index.search(q('', { spaceId: 'acme', to: '2026-01-31' }), ACCESS.admin))).toEqual([
        'post:acme:6',
      ]);
      expect(ids(await index.search(q('', { spaceId: 'acme', to: '2026-01' }), ACCESS.admin))).toEqual([
        'post:acme:6',
      ]);
      expect(ids(await index.search(q('', { spaceId: 'acme', to: '2026-01-30' }), ACCESS.admin))).toEqual([]);
      expect(ids(await index.search(q('', { spaceId: 'acme', from: '2026-02-01' }), ACCESS.admin))).toEqual(
        [],
      );
      expect(ids(await index.search(q('', { spaceId: 'acme', from: '2026-01-31' }), ACCESS.admin))).toEqual([
        'post:acme:6',
      ]);
    });

    it('pages with offset and limit, and totals stay exact', async () => {
      const first = await index.search(q('rollback', { limit: 3 }), ACCESS.admin);
      const second = await index.search(q('rollback', { limit: 3, offset: 3 }), ACCESS.admin);
      const all = await index.search(q('rollback', { limit: 20 }), ACCESS.admin);
      expect([...ids(first), ...ids(second)]).toEqual(ids(all).slice(0, 6));
      expect(first.total).toBe(all.total);
      expect((await index.search(q('rollback', { limit: 0 }), ACCESS.admin)).total).toBe(all.total);
    });

    it('suggests titles and people for a prefix, under the same access filter', async () => {
      const titles = async (prefix: string, access: AccessFilter) =>
        (await index.suggest(prefix, access, 5)).map((s) => s.title);
      expect(await titles('kube roll', ACCESS.employee)).toEqual(['Kubernetes rollback runbook']);
      expect(await titles('ali', ACCESS.employee)).toContain('Alice Andersen');
      expect(await titles('conf', ACCESS.employee)).toEqual([]);
      expect(await titles('conf', ACCESS.boardMember)).toEqual(['Confidential rollback of the merger']);
      expect(await titles('pat', ACCESS.globexPartner)).toEqual([]);
      expect(await titles('pat', ACCESS.acmePartner)).toContain('Pat Partner');
      const rollbacks = await titles('rollb', ACCESS.admin);
      expect(rollbacks.some((t) => t.startsWith('Comment on'))).toBe(false);
      expect(await index.suggest('rollb', ACCESS.admin, 2)).toHaveLength(2);
    });
  });

  describe('security trimming inside the query', () => {
    it('gives a partner of another organisation no hits, totals, facets, snippets or authors from content shared with someone else', async () => {
      for (const access of [ACCESS.globexPartner, ACCESS.partnerAsMember, ACCESS.nobody]) {
        const result = await index.search(q('rollback pallets acme confidential'), access);
        expect(ids(result).filter((id) => !id.startsWith('profile:-:alice'))).toEqual([]);
        expect(result.total).toBe(result.hits.length);
        expect(result.facets.space).toEqual([]);
        expect(result.facets.tag).toEqual([]);
        expect(result.authors).toEqual([]);
        expect(result.hits.map((h) => h.snippet + h.titleHighlight).join(' ')).not.toMatch(
          /pallet|acme|merger/i,
        );
      }
      expect((await index.search(q(''), ACCESS.nobody)).total).toBe(0);
      // employees are visible to partners, other organisations' people are not
      expect(ids(await index.search(q('', { types: ['profile'] }), ACCESS.globexPartner))).toEqual([
        'profile:-:alice',
      ]);
    });

    it('shows a partner exactly the content shared with its organisation, and never through empty lists', async () => {
      const acmeResult = await index.search(q('rollback'), ACCESS.acmePartner);
      expect(ids(acmeResult).sort()).toEqual(['post:acme:6', 'profile:-:alice', 'profile:-:pat']);
      expect(acmeResult.facets.space).toEqual([{ value: 'acme', count: 1 }]);
      const shared = await index.search(q(''), { ...ACCESS.acmePartner, sharedSpaces: [] });
      expect(ids(shared).filter((id) => !id.startsWith('profile:'))).toEqual([]);
      const member = await index.search(q(''), { ...ACCESS.nobody, memberSpaces: [] });
      expect(member.total).toBe(0);
    });
  });

  describe('space changes', () => {
    it('rewrites access fields of a whole space with update_by_query, and removes a space with delete_by_query', async () => {
      const extra = doc({
        id: 'post:acme:7',
        type: 'post',
        title: 'Acme second note',
        body: 'Rollback follow-up.',
        ...acme,
      });
      await index.upsert([extra]);

      expect(
        await index.updateSpace('acme', {
          audience: 'partners',
          partnerOrgs: ['globex'],
          spaceName: 'Acme (globex)',
        }),
      ).toBe(2);
      await index.refresh(); // update_by_query already refreshed; harmless
      expect(
        ids(await index.search(q('rollback'), ACCESS.acmePartner)).filter((id) => !id.startsWith('profile:')),
      ).toEqual([]);
      expect(ids(await index.search(q('rollback'), ACCESS.globexPartner)).sort()).toEqual([
        'post:acme:6',
        'post:acme:7',
        'profile:-:alice',
      ]);
      expect((await index.get('post:acme:6'))?.spaceName).toBe('Acme (globex)');

      // audience removed entirely (a space without one): nobody but admins and members
      expect(
        await index.updateSpace('acme', { audience: undefined, partnerOrgs: [], spaceName: 'Acme' }),
      ).toBe(2);
      expect((await index.get('post:acme:6'))?.audience).toBeUndefined();
      expect(ids(await index.search(q('rollback'), ACCESS.globexPartner))).toEqual(['profile:-:alice']);

      await index.updateSpace('acme', { audience: 'partners', partnerOrgs: ['acme'], spaceName: 'Acme' });
      expect(await index.removeSpace('acme')).toBe(2);
      expect(await index.get('post:acme:7')).toBeUndefined();
      expect(ids(await index.search(q('pallets'), ACCESS.admin))).toEqual([]);
      expect(await index.removeSpace('acme')).toBe(0);

      await index.upsert([DOCS.find((d) => d.id === 'post:acme:6')!]);
      await index.remove(['post:ops:never-existed']); // not an error
      await index.refresh();
    });
  });

  describe('reindex', () => {
    it('builds a new index beside the live one and swaps the alias atomically, with searches answering throughout', async () => {
      const before = await index.count();
      let searching = true;
      const totals: number[] = [];
      const searches = (async () => {
        while (searching) totals.push((await index.search(q('rollback'), ACCESS.admin)).total);
      })();

      try {
        const writer = await index.beginReindex();
        expect(writer.index).toBe('cp-v2');
        await expect(index.beginReindex()).rejects.toThrow(/in progress/);

        // Live writes during the reindex reach both indices…
        const changed = { ...DOCS[0], title: 'Kubernetes rollback runbook (v2)', updatedAt: daysAgo(1) };
        await index.upsert([changed]);
        await index.remove(['comment:ops:4']);
        // …and the scan's older copies of those two do not overwrite them
        const started = Date.now();
        const outcome = await writer.upsert(DOCS);
        console.info(`reindex writer: ${DOCS.length} documents in ${Date.now() - started} ms`);
        expect(outcome).toEqual({ written: DOCS.length - 2, skipped: 2 });
        const renamed = { audience: 'members' as const, partnerOrgs: [], spaceName: 'Board (renamed)' };
        expect(await writer.updateSpace('board', renamed)).toBe(1);

        // The alias still points at the old index while the new one fills.
        expect(Object.keys((await client.indices.getAlias({ name: 'cp' })).body)).toEqual(['cp-v1']);
        expect((await index.get('post:board:5'))?.spaceName).toBe('Board');

        const finished = await index.finishReindex(writer);
        expect(finished).toEqual({ index: 'cp-v2', previous: ['cp-v1'], documents: DOCS.length - 1 });
      } finally {
        searching = false;
        await searches;
      }

      expect(Object.keys((await client.indices.getAlias({ name: 'cp' })).body)).toEqual(['cp-v2']);
      expect((await client.indices.exists({ index: 'cp-v1' })).body).toBe(false);
      expect((await client.indices.existsAlias({ name: 'cp-reindex' })).body).toBe(false);
      const settings = (await client.indices.getSettings({ index: 'cp-v2' })).body['cp-v2'].settings?.index;
      expect(settings?.refresh_interval).toBe('1s');

      expect(await index.count()).toBe(before - 1);
      expect((await index.get('post:ops:1'))?.title).toBe('Kubernetes rollback runbook (v2)');
      expect(await index.get('comment:ops:4')).toBeUndefined();
      expect((await index.get('post:board:5'))?.spaceName).toBe('Board (renamed)');
      expect(totals.length).toBeGreaterThan(0);
      expect(totals.every((total) => total > 0)).toBe(true);

      // Writes after the swap go to the new index only.
      await index.upsert([DOCS.find((d) => d.id === 'comment:ops:4')!]);
      await index.refresh();
      expect(ids(await index.search(q('worked'), ACCESS.employee))).toEqual(['comment:ops:4']);
    });

    it('drops an unfinished reindex without touching the live index', async () => {
      const writer = await index.beginReindex();
      await writer.upsert(DOCS.slice(0, 2));
      expect(await index.abortReindex()).toEqual([writer.index]);
      expect((await client.indices.exists({ index: writer.index })).body).toBe(false);
      expect(Object.keys((await client.indices.getAlias({ name: 'cp' })).body)).toEqual(['cp-v2']);
      await index.upsert([DOCS[1]]); // live writes no longer look for the dropped index
      await index.refresh();
      expect(await index.count()).toBe(DOCS.length);
    });
  });
});
