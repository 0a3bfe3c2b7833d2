/**
 * `npm run bench:people:expertise [-- --people 5000 --docs 100000 --rounds 5 --opensearch]`: the
 * expertise half of bench/people (issue 15). On the embedded engine the local runtime uses
 * (FastSearchIndex): "who knows about X" (expertise), "knows about" (topicsOf) and a person's activity
 * (activityOf) at 5,000 people and 100,000 documents — posts, comments, pages edited by up to four
 * people, bookmarks — for an admin, an employee and a partner. With `--opensearch` the same corpus and
 * questions run on the real 2.19 test node (test/opensearch-node, `bash .ci/opensearch-node.sh`),
 * timed at the client over loopback HTTP. Prints a Markdown table for docs/performance.md.
 *
 * The DynamoDB side of these routes is not here: it is a constant 2–3 requests (the caller's
 * memberships or shares, one BatchGetItem of the ranked people or one GetItem of the profile),
 * asserted in test/integration/expertise.test.ts whatever the data size.
 */
import type { SearchDocument, SearchIndex } from '../../functions/domain/search/search-document';
import { FastSearchIndex } from '../../functions/search/embedded/fast-index';
import { CALLERS, generateCorpus, percentile } from '../search/corpus';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const PEOPLE = option('people', 5_000);
const DOCS = option('docs', 100_000);
const ROUNDS = option('rounds', 5);
const withOpenSearch = args.includes('--opensearch');

function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The search corpus, reshaped into everyone's work: who wrote, edited, commented and saved what. */
function expertiseCorpus() {
  const random = rng(11);
  const { documents, words } = generateCorpus(DOCS);
  // A few people write a lot, most a little (Zipf-like over 5,000 people).
  const person = () => `user-${Math.floor(PEOPLE * random() ** 2.5)}`;
  const reshaped: SearchDocument[] = documents.map((doc, i) => {
    const author = person();
    const roll = random();
    const type: SearchDocument['type'] =
      doc.type === 'comment' ? 'comment' : roll < 0.6 ? 'post' : roll < 0.8 ? 'page' : 'bookmark';
    const editors =
      type === 'page'
        ? [...new Set([author, ...Array.from({ length: Math.floor(random() * 4) }, person)])]
        : [author];
    return {
      ...doc,
      id: `${type}:${doc.spaceId}:${i}`,
      type,
      authorId: editors[editors.length - 1],
      authorName: `Person ${editors[editors.length - 1]}`,
      contributors: editors,
    };
  });
  const profiles: SearchDocument[] = Array.from({ length: PEOPLE }, (_, i) => ({
    id: `profile:-:user-${i}`,
    type: 'profile',
    title: `Person user-${i}`,
    body: 'Engineer',
    tags: [],
    authorId: `user-${i}`,
    authorName: `Person user-${i}`,
    partnerOrgs: [],
    skills: [words[(i * 13) % 500]],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    likeCount: 0,
    commentCount: 0,
    saveCount: 0,
    url: `/people/user-${i}`,
  }));
  return { documents: [...reshaped, ...profiles], words };
}

const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 1);

async function measure(engine: string, index: SearchIndex, documents: SearchDocument[], words: string[]) {
  const started = performance.now();
  for (let i = 0; i < documents.length; i += 2000) await index.upsert(documents.slice(i, i + 2000));
  await index.refresh();
  const indexSeconds = (performance.now() - started) / 1000;
  // A topic word at a mid rank, a tag, a common word, a rare one, two words, a typo.
  const topics = [
    'kubernetes',
    'forecast',
    words[0],
    words[7 * 3],
    words[2000],
    `${words[10]} ${words[900]}`,
    'kubernetse',
  ];
  const now = Date.now();
  const people = Array.from({ length: 20 }, (_, i) => `user-${(i * 97) % PEOPLE}`);
  const times = { expertise: [] as number[], topicsOf: [] as number[], activityOf: [] as number[] };
  const listed: number[] = [];
  const matched: number[] = [];
  const timed = async <T>(into: number[], run: () => Promise<T>) => {
    const t0 = performance.now();
    const result = await run();
    into.push(performance.now() - t0);
    return result;
  };
  for (let round = 0; round <= ROUNDS; round++) {
    const sink = round === 0 ? { expertise: [], topicsOf: [], activityOf: [] } : times; // round 0 warms up
    for (const access of Object.values(CALLERS)) {
      for (const topic of topics) {
        const result = await timed(sink.expertise, () =>
          index.expertise({ topic, tag: topic, now, limit: 30, evidence: 3 }, access),
        );
        if (round === 1) {
          listed.push(result.people.length);
          matched.push(result.total);
        }
      }
      for (const userId of people) {
        await timed(sink.topicsOf, () => index.topicsOf(userId, access, 25, now));
        await timed(sink.activityOf, () => index.activityOf(userId, access, { limit: 20 }));
      }
    }
  }
  const row = (name: string, values: number[]) =>
    `| ${engine} | ${name} | ${values.length} | ${fmt(percentile(values, 50))} ms | ${fmt(percentile(values, 95))} ms | ${fmt(Math.max(...values))} ms |`;
  return {
    indexSeconds,
    medianMatches: percentile(matched, 50),
    maxMatches: Math.max(...matched),
    medianListed: percentile(listed, 50),
    rows: [
      row('expertise (who knows about X)', times.expertise),
      row('topicsOf (knows about)', times.topicsOf),
      row('activityOf (20 a page)', times.activityOf),
    ],
  };
}

const { documents, words } = expertiseCorpus();
console.log(`${PEOPLE} people, ${DOCS} documents (+ ${PEOPLE} profiles), ${ROUNDS} rounds × 3 callers`);
const results: { name: string; result: Awaited<ReturnType<typeof measure>> }[] = [];
const fast = new FastSearchIndex();
results.push({ name: 'embedded (fast)', result: await measure('embedded (fast)', fast, documents, words) });

if (withOpenSearch) {
  const { openSearchNodeAvailable, startOpenSearchNode } = await import('../../test/helpers/opensearch-node');
  const { OpenSearchIndex } = await import('../../functions/search/opensearch/opensearch-index');
  if (!openSearchNodeAvailable())
    console.log('OpenSearch skipped: build the node with `bash .ci/opensearch-node.sh`');
  else {
    const node = await startOpenSearchNode();
    const index = OpenSearchIndex.create({ node: node.url, alias: 'bench-expertise', sigv4: false });
    try {
      await index.ensureIndex();
      const name = 'OpenSearch 2.19.6 (1 node, 512 MB heap, loopback)';
      results.push({ name, result: await measure(name, index, documents, words) });
    } finally {
      await index.close();
      await node.stop();
    }
  }
}

for (const { name, result } of results)
  console.log(
    `${name}: indexed in ${fmt(result.indexSeconds)} s; matching contributions per topic: median ${result.medianMatches}, max ${result.maxMatches}; people listed (≤ 30): median ${result.medianListed}`,
  );
console.log('\n| engine | question | runs | p50 | p95 | max |\n| --- | --- | --- | --- | --- | --- |');
for (const { result } of results) for (const line of result.rows) console.log(line);
