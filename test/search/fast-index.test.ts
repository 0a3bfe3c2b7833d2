import { describe, expect, it } from '@jest/globals';
import { CALLERS, generateCorpus } from '../../bench/search/corpus';
import type {
  AccessFilter,
  SearchDocument,
  SearchQuery,
  SearchResult,
} from '../../functions/domain/search/search-document';
import { EmbeddedSearchIndex } from '../../functions/search/embedded/embedded-index';
import { FastSearchIndex } from '../../functions/search/embedded/fast-index';
import { ACCESS, searchIndexContract } from './search-index.contract';

searchIndexContract('embedded (fast)', async () => ({
  index: new FastSearchIndex(),
  close: async () => undefined,
}));

const NOW = Date.parse('2026-01-15T12:00:00.000Z');
const clock = () => NOW;
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000).toISOString();

function doc(partial: Partial<SearchDocument> & Pick<SearchDocument, 'id' | 'title'>): SearchDocument {
  return {
    type: 'post',
    body: '',
    tags: [],
    spaceId: 'eng',
    spaceName: 'Engineering',
    audience: 'employees',
    partnerOrgs: [],
    authorId: 'alice',
    authorName: 'Alice Andersen',
    createdAt: daysAgo(5),
    updatedAt: daysAgo(5),
    likeCount: 0,
    commentCount: 0,
    saveCount: 0,
    url: `/x/${partial.id}`,
    ...partial,
  };
}

const q = (text: string, extra: Partial<SearchQuery> = {}): SearchQuery => ({
  text,
  limit: 20,
  offset: 0,
  ...extra,
});
const ids = (result: SearchResult) => result.hits.map((h) => h.document.id);
const admin = ACCESS.admin;

describe('FastSearchIndex: writes', () => {
  it('replaces a document on upsert: old words stop matching, new ones match', async () => {
    const index = new FastSearchIndex(clock);
    await index.upsert([doc({ id: 'a', title: 'Quarterly forecast', tags: ['finance'] })]);
    await index.upsert([doc({ id: 'a', title: 'Incident review', tags: ['ops'] })]);
    expect(await index.count()).toBe(1);
    expect((await index.get('a'))?.title).toBe('Incident review');
    expect((await index.search(q('forecast'), admin)).total).toBe(0);
    const found = await index.search(q('incident'), admin);
    expect(ids(found)).toEqual(['a']);
    expect(found.facets.tag).toEqual([{ value: 'ops', count: 1 }]);
  });

  it('changes attributes without re-indexing text when only they change', async () => {
    const index = new FastSearchIndex(clock);
    await index.upsert([doc({ id: 'a', title: 'Roadmap', tags: ['plan', 'q1'] })]);
    await index.upsert([
      doc({ id: 'a', title: 'Roadmap', tags: ['plan', 'q1'], spaceId: 'ops', likeCount: 3 }),
    ]);
    expect(index.stats()).toMatchObject({ documents: 1, slots: 1, tombstones: 0 });
    const result = await index.search(q('roadmap'), admin);
    expect(result.facets.space).toEqual([{ value: 'ops', count: 1 }]);
    expect((await index.search(q('', { spaceId: 'eng' }), admin)).total).toBe(0);
    expect(result.hits[0].document.likeCount).toBe(3);
  });

  it('compacts tombstones without changing any answer', async () => {
    const { documents } = generateCorpus(3000, 7);
    const mutated = new FastSearchIndex(clock, { compactMinTombstones: 1_000_000 });
    await mutated.upsert(documents);
    // Remove a third, rewrite the text of another third.
    const removed = documents.filter((_, i) => i % 3 === 0).map((d) => d.id);
    await mutated.remove(removed);
    const rewritten = documents
      .filter((_, i) => i % 3 === 1)
      .map((d) => ({ ...d, title: `${d.title} kubernetes`, body: d.body.split(' ').reverse().join(' ') }));
    await mutated.upsert(rewritten);
    const survivors = new Map(documents.filter((_, i) => i % 3 === 2).map((d) => [d.id, d]));
    for (const d of rewritten) survivors.set(d.id, d);
    expect(mutated.stats().tombstones).toBe(2000);

    const fresh = new FastSearchIndex(clock);
    await fresh.upsert(documents.filter((d) => survivors.has(d.id)).map((d) => survivors.get(d.id)!));
    const queries = ['kubernetes', 'forecast', 'kalo', 'kubernetse', 'vimi kaze', ''];
    const answers = async (index: FastSearchIndex) =>
      Promise.all(
        queries.map(async (text) => {
          const r = await index.search(q(text, { limit: 10_000 }), CALLERS.employee);
          return {
            total: r.total,
            hits: new Map(r.hits.map((h) => [h.document.id, h.score])),
            facets: r.facets,
          };
        }),
      );
    const before = await answers(mutated);
    mutated.compact();
    expect(mutated.stats()).toMatchObject({
      documents: survivors.size,
      slots: survivors.size,
      tombstones: 0,
    });
    expect(mutated.stats().terms).toBeLessThanOrEqual(fresh.stats().terms + 0);
    const after = await answers(mutated);
    const expected = await answers(fresh);
    for (let i = 0; i < queries.length; i++) {
      for (const got of [before[i], after[i]]) {
        expect(got.total).toBe(expected[i].total);
        expect(got.facets).toEqual(expected[i].facets);
        expect([...got.hits.keys()].sort()).toEqual([...expected[i].hits.keys()].sort());
        for (const [id, score] of got.hits) expect(score).toBeCloseTo(expected[i].hits.get(id)!, 9);
      }
    }
    expect(await mutated.count()).toBe(survivors.size);
    expect(mutated.all().map((d) => d.id)).toEqual(
      documents.filter((d) => survivors.has(d.id)).map((d) => d.id),
    );
    // Still writable after compaction.
    await mutated.upsert([doc({ id: 'new', title: 'zanzibar' })]);
    expect(ids(await mutated.search(q('zanzibar'), admin))).toEqual(['new']);
  });

  it('compacts on its own once tombstones pile up', async () => {
    const index = new FastSearchIndex(clock, { compactMinTombstones: 10, compactRatio: 0.25 });
    await index.upsert(Array.from({ length: 40 }, (_, i) => doc({ id: `d${i}`, title: `word${i} common` })));
    await index.remove(Array.from({ length: 9 }, (_, i) => `d${i}`));
    expect(index.stats().tombstones).toBe(9);
    await index.remove(['d9', 'd10']);
    expect(index.stats()).toMatchObject({ documents: 29, slots: 29, tombstones: 0 });
    const common = await index.search(q('common', { limit: 100 }), admin);
    expect(common.total).toBe(29);
    expect(ids(common).filter((id) => Number(id.slice(1)) <= 10)).toEqual([]);
    expect(await index.get('d3')).toBeUndefined();
  });

  it('removes a space and follows space changes', async () => {
    const index = new FastSearchIndex(clock);
    await index.upsert([
      doc({ id: 'a', title: 'alpha', spaceId: 's1', audience: 'partners', partnerOrgs: ['acme'] }),
      doc({ id: 'b', title: 'alpha', spaceId: 's2' }),
    ]);
    const partner: AccessFilter = { ...ACCESS.acmePartner, sharedSpaces: ['s1'] };
    expect(ids(await index.search(q('alpha'), partner))).toEqual(['a']);
    expect(await index.updateSpace('s1', { audience: 'members', partnerOrgs: [], spaceName: 'S1' })).toBe(1);
    expect((await index.search(q('alpha'), partner)).total).toBe(0);
    expect((await index.get('a'))?.spaceName).toBe('S1');
    expect(await index.removeSpace('s2')).toBe(1);
    expect(await index.removeSpace('unknown')).toBe(0);
    expect(ids(await index.search(q('alpha'), admin))).toEqual(['a']);
  });

  it('matches no document for an unknown space, tag or author filter', async () => {
    const index = new FastSearchIndex(clock);
    await index.upsert([
      doc({ id: 'p', type: 'profile', title: 'Pat', spaceId: undefined, authorId: undefined }),
    ]);
    expect((await index.search(q('', { spaceId: 'nope' }), admin)).total).toBe(0);
    expect((await index.search(q('', { tag: 'nope' }), admin)).total).toBe(0);
    expect((await index.search(q('', { authorId: 'nope' }), admin)).total).toBe(0);
  });
});

describe('FastSearchIndex: expansions', () => {
  it('caps a prefix at the most frequent terms', async () => {
    // zeta0 … zeta79: term i occurs in i + 1 documents.
    const documents: SearchDocument[] = [];
    for (let i = 0; i < 80; i++)
      for (let j = 0; j <= i; j++) documents.push(doc({ id: `z${i}-${j}`, title: `zeta${i}` }));
    const capped = new FastSearchIndex(clock, { maxPrefixExpansions: 50 });
    const uncapped = new FastSearchIndex(clock, { maxPrefixExpansions: Number.POSITIVE_INFINITY });
    await capped.upsert(documents);
    await uncapped.upsert(documents);
    const all = await uncapped.search(q('zet', { limit: 0 }), admin);
    expect(all.total).toBe(documents.length);
    const top = await capped.search(q('zet', { limit: 10_000 }), admin);
    // The 50 most frequent are zeta30 … zeta79.
    const terms = new Set(top.hits.map((h) => h.document.title));
    expect(terms.size).toBe(50);
    expect(terms.has('zeta79') && terms.has('zeta30') && !terms.has('zeta29')).toBe(true);
    expect(top.total).toBe(documents.filter((d) => Number(d.title.slice(4)) >= 30).length);
  });

  it('tolerates typos: one edit from 4 letters, two from 8, Levenshtein', async () => {
    const index = new FastSearchIndex(clock);
    await index.upsert([
      doc({ id: 'k', title: 'Kubernetes' }),
      doc({ id: 't', title: 'Terraform' }),
      doc({ id: 'l', title: 'Lunch' }),
      doc({ id: 'c', title: 'Café au lait' }),
      doc({ id: 'x', title: 'cat' }),
    ]);
    const found = async (text: string) => ids(await index.search(q(text), admin));
    expect(await found('kubernetse')).toContain('k'); // two substitutions, 10 letters
    expect(await found('xubernetes')).toContain('k'); // first letter wrong
    expect(await found('kubrnetes')).toContain('k'); // deletion
    expect(await found('terrafrom')).toContain('t'); // a transposition is two edits: 9 letters allow it
    expect(await found('lnuch')).not.toContain('l'); // 5 letters: one edit only
    expect(await found('lunck')).toContain('l');
    expect(await found('cafe')).toContain('c'); // diacritics folded
    expect(await found('CAFÉ')).toContain('c');
    expect(await found('cot')).not.toContain('x'); // 3 letters: exact (or prefix) only
    expect(await found('ca')).toEqual([]); // 2 letters: no prefix either
    const hit = (await index.search(q('kubernetse'), admin)).hits[0];
    expect(hit.titleHighlight).toBe('<mark>Kubernetes</mark>');
  });

  it('suggests with every word a prefix, all words required, trimmed and without comments', async () => {
    const index = new FastSearchIndex(clock);
    await index.upsert([
      doc({ id: 'a', title: 'Kubernetes upgrade guide' }),
      doc({ id: 'b', title: 'Kubernetes costs' }),
      doc({ id: 'c', type: 'comment', title: 'Comment on Kubernetes upgrade guide' }),
      doc({ id: 'd', title: 'Kubernetes upgrade secrets', spaceId: 'lead', audience: 'members' }),
    ]);
    const titles = async (text: string, access: AccessFilter = ACCESS.employee) =>
      (await index.suggest(text, access, 8)).map((s) => s.title).sort();
    expect(await titles('kub up')).toEqual(['Kubernetes upgrade guide']);
    expect(await titles('k')).toEqual(['Kubernetes costs', 'Kubernetes upgrade guide']);
    expect(await titles('alice')).toHaveLength(2); // author names
    expect(await titles('alice', ACCESS.acmePartner)).toEqual([]);
    expect(await titles('   ')).toEqual([]);
  });
});

/**
 * Parity with the MiniSearch adapter on a generated corpus: the same hit sets, totals, facets, scores,
 * authors and suggestions, for a batch of queries and callers (with uncapped expansions; with the
 * default caps, hits are a subset).
 */
describe('FastSearchIndex: same answers as the MiniSearch adapter', () => {
  function corpus() {
    const { documents, words } = generateCorpus(2000, 99);
    const extra: SearchDocument[] = [
      doc({
        id: 'post:space-0:accents',
        title: 'Café Müller — Über naïve façades',
        body: 'Straße, CAFÉ; déjà-vu (résumé)! kubernetes',
        spaceId: 'space-0',
        tags: ['Café', 'cafe'],
        updatedAt: daysAgo(1),
      }),
      doc({
        id: 'post:space-0:dup-tags',
        title: 'Dup tags',
        body: 'x',
        spaceId: 'space-0',
        tags: [words[14], words[14]],
      }),
    ];
    const profiles: SearchDocument[] = Array.from({ length: 60 }, (_, i) => {
      const org = i % 3 === 0 ? undefined : i % 3 === 1 ? 'acme' : 'globex';
      return doc({
        id: `profile:-:user-${i}`,
        type: 'profile',
        title: `Person ${i}`,
        body: `${words[i * 3]} ${words[i * 5 + 1]} engineer`,
        skills: [words[i + 200], 'kubernetes'],
        authorId: `user-${i}`,
        authorName: `Person ${i}`,
        org,
        authorOrg: org,
        spaceId: undefined,
        spaceName: undefined,
        audience: undefined,
        url: `/people/user-${i}`,
      });
    });
    return { documents: [...documents, ...extra, ...profiles], words };
  }

  function random(seed: number) {
    let state = seed >>> 0;
    return () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }

  function queries(words: string[], docs: SearchDocument[]) {
    const r = random(5);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const typo = (w: string) => {
      const i = Math.floor(r() * w.length);
      const kind = r();
      if (kind < 0.33) return w.slice(0, i) + w.slice(i + 1);
      if (kind < 0.66) return `${w.slice(0, i)}x${w.slice(i + 1)}`;
      return `${w.slice(0, i)}${w[i + 1] ?? ''}${w[i]}${w.slice(i + 2)}`;
    };
    const texts = [
      'kubernetes',
      'kubernetse',
      'forecast',
      'cafe',
      'Über naive',
      'person',
      'person 12',
      '!!!',
      words[0],
      words[1],
      `${words[3]} ${words[3]}`,
    ];
    for (let i = 0; i < 14; i++) texts.push(pick(words.slice(0, 400)));
    for (let i = 0; i < 8; i++) texts.push(pick(words.slice(400)));
    for (let i = 0; i < 10; i++) texts.push(pick(words).slice(0, 3 + Math.floor(r() * 4)));
    for (let i = 0; i < 10; i++) texts.push(typo(pick(words.filter((w) => w.length >= 4))));
    for (let i = 0; i < 8; i++) texts.push(`${pick(words)} ${pick(words)} ${pick(words).slice(0, 4)}`);
    const filtered: SearchQuery[] = texts.map((text) => q(text, { limit: 100_000 }));
    const content = docs.filter((d) => d.type !== 'profile');
    for (let i = 0; i < 12; i++) {
      const sample = pick(content);
      const text = i % 3 === 0 ? '' : pick(texts);
      const extra: Partial<SearchQuery> = { limit: 100_000 };
      if (i % 4 === 0) extra.types = ['comment', 'profile'];
      if (i % 4 === 1) extra.spaceId = sample.spaceId;
      if (i % 4 === 2) extra.tag = sample.tags[0];
      if (i % 4 === 3) extra.authorId = sample.authorId;
      if (i % 2 === 0) extra.from = sample.updatedAt.slice(0, 10);
      else extra.to = sample.updatedAt.slice(0, 7);
      filtered.push(q(text, extra));
    }
    return filtered;
  }

  const callers: Record<string, AccessFilter> = {
    ...CALLERS,
    globex: {
      allContent: false,
      employeeContent: false,
      memberSpaces: [],
      partnerOrg: 'globex',
      sharedSpaces: ['space-5', 'space-11', 'space-2'],
      people: { allOrgs: false, org: 'globex' },
    },
    member: { ...CALLERS.employee, employeeContent: false, memberSpaces: ['space-1', 'space-10'] },
    nobody: ACCESS.nobody,
  };

  /** Differences between two answers to the same question, as readable strings (empty when alike). */
  function differences(a: SearchResult, b: SearchResult, exactScores: boolean): string[] {
    const out: string[] = [];
    const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
    if (a.total !== b.total) out.push(`total ${a.total} vs ${b.total}`);
    if (JSON.stringify(a.facets) !== JSON.stringify(b.facets))
      out.push(`facets ${JSON.stringify(a.facets)} vs ${JSON.stringify(b.facets)}`);
    const scores = new Map(b.hits.map((h) => [h.document.id, h.score]));
    const mine = a.hits.map((h) => h.document.id).sort();
    if (JSON.stringify(mine) !== JSON.stringify([...scores.keys()].sort())) out.push('hit sets differ');
    if (!exactScores || out.length) return out;
    for (const hit of a.hits)
      if (!close(hit.score, scores.get(hit.document.id)!)) out.push(`score of ${hit.document.id}`);
    // Ranking: the same scores position by position (ids may only swap on exact ties).
    a.hits.forEach((hit, i) => {
      const other = b.hits[i];
      if (!close(hit.score, other.score)) out.push(`rank ${i}: ${hit.document.id} vs ${other.document.id}`);
      else if (
        hit.document.id === other.document.id &&
        (hit.snippet !== other.snippet || hit.titleHighlight !== other.titleHighlight)
      )
        out.push(`highlights of ${hit.document.id}: ${hit.snippet} vs ${other.snippet}`);
    });
    const authors = (r: SearchResult) =>
      r.authors.map((x) => `${x.authorId}|${x.authorName}|${x.authorOrg}|${x.documents.map((d) => d.id)}`);
    if (JSON.stringify(authors(a)) !== JSON.stringify(authors(b)))
      out.push(`authors ${authors(a)} vs ${authors(b)}`);
    else
      a.authors.forEach((x, i) => {
        if (!close(x.score, b.authors[i].score)) out.push(`author score ${i}`);
      });
    return out;
  }

  it('on a freshly built index: hit sets, totals, facets, scores, authors, suggestions', async () => {
    const { documents, words } = corpus();
    const reference = new EmbeddedSearchIndex(clock);
    const fast = new FastSearchIndex(clock, {
      maxPrefixExpansions: Number.POSITIVE_INFINITY,
      maxFuzzyExpansions: Number.POSITIVE_INFINITY,
    });
    const capped = new FastSearchIndex(clock);
    for (const index of [reference, fast, capped]) await index.upsert(documents);
    let compared = 0;
    const problems: string[] = [];
    for (const query of queries(words, documents)) {
      for (const access of Object.values(callers)) {
        const expected = await reference.search(query, access);
        const label = `${JSON.stringify(query)} as ${JSON.stringify(access)}`;
        for (const problem of differences(await fast.search(query, access), expected, true))
          problems.push(`${label}: ${problem}`);
        const page = { ...query, limit: 7, offset: 3 };
        for (const problem of differences(
          await fast.search(page, access),
          await reference.search(page, access),
          true,
        ))
          problems.push(`${label} (page): ${problem}`);
        // Capped expansions: a subset of the hits.
        const fewer = await capped.search(query, access);
        const all = new Set(expected.hits.map((h) => h.document.id));
        if (!fewer.hits.every((h) => all.has(h.document.id))) problems.push(`${label}: capped not a subset`);
        compared++;
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(compared).toBeGreaterThan(300);

    for (const prefix of ['person', 'person 1', words[2].slice(0, 3), words[7], 'caf', 'zzzz']) {
      for (const access of Object.values(callers)) {
        const expected = (await reference.suggest(prefix, access, 1000)).map((s) => s.url).sort();
        expect((await fast.suggest(prefix, access, 1000)).map((s) => s.url).sort()).toEqual(expected);
      }
    }
  }, 120_000);

  it('after replacements, removals, space changes and compactions: the answers of a fresh index', async () => {
    const { documents, words } = corpus();
    const fast = new FastSearchIndex(clock, {
      maxPrefixExpansions: Number.POSITIVE_INFINITY,
      maxFuzzyExpansions: Number.POSITIVE_INFINITY,
      compactMinTombstones: 200,
    });
    const r = random(11);
    await fast.upsert(documents);
    const replaced = documents
      .filter(() => r() < 0.2)
      .map((d) => ({ ...d, title: `${words[Math.floor(r() * 500)]} ${d.title}`, likeCount: 99 }));
    const removed = new Set(documents.filter(() => r() < 0.15).map((d) => d.id));
    await fast.upsert(replaced.slice(0, 150));
    await fast.remove([...removed]);
    await fast.upsert(replaced.slice(150));
    await fast.updateSpace('space-2', { audience: 'members', partnerOrgs: [], spaceName: 'Two' });
    await fast.updateSpace('space-3', { audience: 'partners', partnerOrgs: ['acme'], spaceName: '3' });
    await fast.removeSpace('space-4');
    expect(fast.stats().slots).toBeLessThan(documents.length + replaced.length); // compacted at least once
    expect(fast.stats().tombstones).toBeGreaterThan(0); // and holds tombstones now

    // The same operations on a Map (which, like the index, keeps a replaced entry's position).
    const latest = new Map(documents.map((d) => [d.id, d]));
    for (const d of replaced.slice(0, 150)) latest.set(d.id, d);
    for (const id of removed) latest.delete(id);
    for (const d of replaced.slice(150)) latest.set(d.id, d);
    // updateSpace changes the index's copies, never the caller's objects: the same change applied here.
    const spaceChanges: Record<string, Partial<SearchDocument>> = {
      'space-2': { audience: 'members', partnerOrgs: [], spaceName: 'Two' },
      'space-3': { audience: 'partners', partnerOrgs: ['acme'], spaceName: '3' },
    };
    const survivors = [...latest.values()]
      .filter((d) => d.spaceId !== 'space-4')
      .map((d) => (d.spaceId && spaceChanges[d.spaceId] ? { ...d, ...spaceChanges[d.spaceId] } : d));
    // Built fresh rather than mutated alongside: MiniSearch's background vacuum is not exercised here.
    const reference = new EmbeddedSearchIndex(clock);
    await reference.upsert(survivors);
    expect(await fast.count()).toBe(survivors.length);

    const problems: string[] = [];
    for (const query of queries(words, documents).slice(0, 50)) {
      for (const access of [callers.admin, callers.employee, callers.partner, callers.globex]) {
        const found = differences(
          await fast.search(query, access),
          await reference.search(query, access),
          true,
        );
        for (const problem of found) problems.push(`${JSON.stringify(query)}: ${problem}`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  }, 120_000);
});

describe('FastSearchIndex: expertise, topics and activity as the reference ranking', () => {
  /** The search corpus as everyone's work: posts, comments, pages with several editors, bookmarks. */
  function workCorpus(count: number) {
    const { documents, words } = generateCorpus(count, 5);
    const reshaped = documents.map((d, i): SearchDocument => {
      const type = d.type === 'comment' ? 'comment' : (['post', 'page', 'bookmark'] as const)[i % 3];
      const author = `user-${(i * 7) % 40}`;
      const contributors = type === 'page' ? [author, `user-${(i * 11) % 40}`] : [author];
      return {
        ...d,
        id: `${type}:${d.spaceId}:${i}`,
        type,
        authorId: author,
        contributors: [...new Set(contributors)],
      };
    });
    return { documents: reshaped, words };
  }

  it('ranks the same people, scores, counts and evidence as the MiniSearch adapter, before and after changes', async () => {
    const { documents, words } = workCorpus(3000);
    const fast = new FastSearchIndex(clock, { compactMinTombstones: 10 });
    const oracle = new EmbeddedSearchIndex(clock);
    for (const index of [fast, oracle]) await index.upsert(documents);
    const compare = async () => {
      for (const access of Object.values(CALLERS)) {
        for (const topic of ['kubernetes', words[0], words[300], `${words[5]} ${words[50]}`, 'kubernetse']) {
          const query = { topic, tag: topic, now: NOW, limit: 15, evidence: 3 };
          const [a, b] = [await fast.expertise(query, access), await oracle.expertise(query, access)];
          expect(a.total).toBe(b.total);
          expect(a.people.map((p) => [p.userId, p.contributions, p.evidence.map((d) => d.id)])).toEqual(
            b.people.map((p) => [p.userId, p.contributions, p.evidence.map((d) => d.id)]),
          );
          for (const [i, p] of a.people.entries()) expect(p.score).toBeCloseTo(b.people[i].score, 9);
        }
        for (const userId of ['user-0', 'user-3', 'user-39']) {
          expect(await fast.topicsOf(userId, access, 10, NOW)).toEqual(
            await oracle.topicsOf(userId, access, 10, NOW),
          );
          expect(await fast.activityOf(userId, access, { limit: 7 })).toEqual(
            await oracle.activityOf(userId, access, { limit: 7 }),
          );
        }
      }
    };
    await compare();
    // Replace some (new editors), remove some: the contributor index follows.
    const changed = documents
      .slice(0, 200)
      .map((d) => ({ ...d, contributors: ['user-99'], body: `${d.body} kubernetes` }));
    for (const index of [fast, oracle]) {
      await index.upsert(changed);
      await index.remove(documents.slice(200, 400).map((d) => d.id));
    }
    await compare();
    expect((await fast.activityOf('user-99', CALLERS.admin, { limit: 500 })).documents).toHaveLength(200);
  });
});
