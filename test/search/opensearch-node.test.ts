// Runs against a REAL OpenSearch 2.19 node (test/opensearch-node, started by test/helpers/opensearch-node.ts).
// Locally it is skipped until the node is built (`bash .ci/opensearch-node.sh`); under CI=true it must run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, type Types } from '@opensearch-project/opensearch';
import { type OpenSearchNode, openSearchSuiteRuns, startOpenSearchNode } from '../helpers/opensearch-node';

const suite = openSearchSuiteRuns('opensearch-node.test.ts') ? describe : describe.skip;

const settings: Types.Indices_Common.IndexSettings = {
  number_of_shards: 1,
  number_of_replicas: 0,
  refresh_interval: '30s', // explicit: tests refresh when they need to see writes
  analysis: {
    // edge_ngram tokenizer and asciifolding filter come from the analysis-common module
    tokenizer: {
      autocomplete: { type: 'edge_ngram', min_gram: 2, max_gram: 12, token_chars: ['letter', 'digit'] },
    },
    analyzer: {
      folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
      autocomplete: { type: 'custom', tokenizer: 'autocomplete', filter: ['lowercase', 'asciifolding'] },
    },
  },
};

const mappings: Types.Common_Mapping.TypeMapping = {
  dynamic: 'strict',
  properties: {
    title: {
      type: 'text',
      analyzer: 'folded',
      fields: { prefix: { type: 'text', analyzer: 'autocomplete', search_analyzer: 'folded' } },
    },
    body: { type: 'text', analyzer: 'folded' },
    tags: { type: 'keyword' },
    views: { type: 'integer' },
    createdAt: { type: 'date' },
  },
};

const docs = [
  {
    id: 'p1',
    title: 'Crème brûlée for the team offsite',
    body: 'Caramelised sugar on top of a custard.',
    tags: ['food', 'events'],
    views: 10,
    createdAt: '2026-01-03T10:00:00Z',
  },
  {
    id: 'p2',
    title: 'Quarterly planning notes',
    body: 'Roadmap, hiring and the offsite agenda.',
    tags: ['planning', 'events'],
    views: 42,
    createdAt: '2026-01-05T09:30:00Z',
  },
  {
    id: 'p3',
    title: 'Café reviews near the office',
    body: 'Best crème and espresso within five minutes.',
    tags: ['food'],
    views: 7,
    createdAt: '2026-01-07T12:15:00Z',
  },
  {
    id: 'p4',
    title: 'Wiki migration checklist',
    body: 'Move pages, fix links, redirect old URLs.',
    tags: ['wiki', 'planning'],
    views: 3,
    createdAt: '2026-01-09T16:45:00Z',
  },
];

suite('OpenSearch node (real 2.19)', () => {
  let node: OpenSearchNode | undefined;
  let client: Client;

  beforeAll(async () => {
    node = await startOpenSearchNode();
    console.info(`OpenSearch test node ready at ${node.url} in ${node.startMs} ms (pid ${node.pid})`);
    client = new Client({ node: node.url });
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await node?.stop();
  }, 60_000);

  it('runs 2.19 with netty4 HTTP, analysis-common and painless loaded', async () => {
    const info = await client.info();
    expect(info.body.version.number).toMatch(/^2\.19\./);
    const plugins = await client.cat.plugins({ format: 'json' });
    const components = (plugins.body as Array<{ component: string }>).map((p) => p.component);
    expect(components).toEqual(
      expect.arrayContaining([
        'org.opensearch.transport.Netty4Plugin',
        'org.opensearch.analysis.common.CommonAnalysisPlugin',
        'org.opensearch.painless.PainlessPlugin',
      ]),
    );
    const health = await client.cluster.health({ wait_for_status: 'green', timeout: '10s' });
    expect(health.body.status).toBe('green');
  });

  it('creates an index with an explicit mapping, refresh_interval and analysis-common analyzers', async () => {
    await client.indices.create({ index: 'x-v1', body: { settings, mappings } });
    await client.indices.putAlias({ index: 'x-v1', name: 'x' });

    const got = await client.indices.getSettings({ index: 'x-v1' });
    expect(got.body['x-v1'].settings?.index?.refresh_interval).toBe('30s');
    const mapping = await client.indices.getMapping({ index: 'x' });
    expect(mapping.body['x-v1'].mappings.properties?.tags.type).toBe('keyword');

    const folded = await client.indices.analyze({
      index: 'x-v1',
      body: { analyzer: 'folded', text: 'Crème Brûlée' },
    });
    expect(folded.body.tokens?.map((t) => t.token)).toEqual(['creme', 'brulee']);
    const grams = await client.indices.analyze({
      index: 'x-v1',
      body: { analyzer: 'autocomplete', text: 'Café' },
    });
    expect(grams.body.tokens?.map((t) => t.token)).toEqual(['ca', 'caf', 'cafe']);

    const bulk = await client.bulk({
      index: 'x',
      refresh: 'true',
      body: docs.flatMap(({ id, ...doc }) => [{ index: { _id: id } }, doc]),
    });
    expect(bulk.body.errors).toBe(false);
    const count = await client.count({ index: 'x' });
    expect(count.body.count).toBe(docs.length);

    // dynamic: strict is enforced by the real mapping
    await expect(client.index({ index: 'x', id: 'bad', body: { title: 't', unknown: 1 } })).rejects.toThrow(
      /strict_dynamic_mapping_exception/,
    );
  });

  it('searches with a match query (accent-insensitive) and highlights', async () => {
    const res = await client.search({
      index: 'x',
      body: {
        query: { match: { title: 'creme brulee' } },
        highlight: { fields: { title: {} }, pre_tags: ['<em>'], post_tags: ['</em>'] },
      },
    });
    const hits = res.body.hits.hits;
    expect(hits.map((h) => h._id)).toEqual(['p1']);
    expect(hits[0].highlight?.title?.[0]).toBe('<em>Crème</em> <em>brûlée</em> for the team offsite');

    // prefix search through the edge_ngram sub-field
    const prefix = await client.search({ index: 'x', body: { query: { match: { 'title.prefix': 'caf' } } } });
    expect(prefix.body.hits.hits.map((h) => h._id)).toEqual(['p3']);
  });

  it('aggregates tags with a terms aggregation', async () => {
    // the client's generated TermsAggregation type rejects `field` (a typing quirk); the request is valid
    const aggs = { tags: { terms: { field: 'tags', size: 10 } } } as Record<
      string,
      Types.Common_Aggregations.AggregationContainer
    >;
    const res = await client.search({ index: 'x', body: { size: 0, aggs } });
    type TermsResult = { buckets: Array<{ key: string; doc_count: number }> };
    const buckets = (res.body.aggregations?.tags as TermsResult | undefined)?.buckets ?? [];
    expect(Object.fromEntries(buckets.map((b) => [b.key, b.doc_count]))).toEqual({
      events: 2,
      food: 2,
      planning: 2,
      wiki: 1,
    });
  });

  it('runs a painless script', async () => {
    await client.update({
      index: 'x',
      id: 'p4',
      refresh: 'true',
      body: { script: { lang: 'painless', source: 'ctx._source.views += params.by', params: { by: 5 } } },
    });
    const doc = await client.get({ index: 'x', id: 'p4' });
    expect((doc.body._source as { views: number }).views).toBe(8);
  });

  it('moves an alias from x-v1 to x-v2 atomically', async () => {
    await client.indices.create({ index: 'x-v2', body: { settings, mappings } });
    await client.bulk({
      index: 'x-v2',
      refresh: 'true',
      body: [{ index: { _id: 'n1' } }, { title: 'Reindexed crème', tags: ['food'], views: 1 }],
    });

    await client.indices.updateAliases({
      body: {
        actions: [{ remove: { index: 'x-v1', alias: 'x' } }, { add: { index: 'x-v2', alias: 'x' } }],
      },
    });

    const alias = await client.indices.getAlias({ name: 'x' });
    expect(Object.keys(alias.body)).toEqual(['x-v2']);
    const res = await client.search({ index: 'x', body: { query: { match: { title: 'creme' } } } });
    expect(res.body.hits.hits.map((h) => `${h._index}/${h._id}`)).toEqual(['x-v2/n1']);
    // the old index is still there, no longer behind the alias
    const old = await client.count({ index: 'x-v1' });
    expect(old.body.count).toBe(docs.length);
  });
});
