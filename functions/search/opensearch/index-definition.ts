/**
 * The OpenSearch index, as code: settings, analyzers and the strict mapping of SearchDocument. Any
 * change here needs a reindex (a new versioned index behind the alias), so bump DEFINITION_VERSION;
 * it is stored in the mapping's _meta, where an operator can see which definition an index was built
 * from.
 */
import type { Types } from '@opensearch-project/opensearch';

export const DEFINITION_VERSION = 2;

/** How soon a write becomes searchable; the write→searchable budget is 1 s. */
export const REFRESH_INTERVAL = '1s';

/** Prefixes longer than this are cut to it at query time, so a long typed word still finds its grams. */
export const PREFIX_MAX_GRAM = 20;

/** The versioned indices behind an alias: `${alias}-v1`, `${alias}-v2`, … */
export const versionedIndexName = (alias: string, version: number) => `${alias}-v${version}`;

/** The version of `${alias}-v<n>`, or undefined for any other name. */
export function indexVersion(alias: string, index: string): number | undefined {
  const prefix = `${alias}-v`;
  if (!index.startsWith(prefix)) return undefined;
  const rest = index.slice(prefix.length);
  return /^[1-9]\d*$/.test(rest) ? Number(rest) : undefined;
}

/** Marks the index a reindex is writing into (also tells writers in other processes to write there too). */
export const reindexAliasName = (alias: string) => `${alias}-reindex`;

type IndexSettings = Types.Indices_Common.IndexSettings;
type TypeMapping = Types.Common_Mapping.TypeMapping;

export function indexSettings(options: { refreshInterval?: string } = {}): IndexSettings {
  return {
    number_of_shards: 1,
    // One replica as soon as there is a second data node (two zones in AWS); none on a single node.
    auto_expand_replicas: '0-1',
    refresh_interval: options.refreshInterval ?? REFRESH_INTERVAL,
    // Without thresholds the slow logs the domain publishes stay empty. Set against the search budget
    // (p95 well under 200 ms); dynamic settings, so changing them needs no reindex.
    search: {
      slowlog: {
        threshold: {
          query: { warn: '1s', info: '200ms' },
          fetch: { warn: '500ms', info: '100ms' },
        },
      },
    },
    indexing: { slowlog: { threshold: { index: { warn: '1s', info: '200ms' } } } },
    analysis: {
      filter: {
        prefix_grams: { type: 'edge_ngram', min_gram: 1, max_gram: PREFIX_MAX_GRAM },
        prefix_truncate: { type: 'truncate', length: PREFIX_MAX_GRAM },
      },
      analyzer: {
        // Accent- and case-insensitive words: "Crème" and "creme" are the same term.
        folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
        // Every leading part of every word, for type-ahead: "kube" is a term of "Kubernetes".
        prefix_index: {
          type: 'custom',
          tokenizer: 'standard',
          filter: ['lowercase', 'asciifolding', 'prefix_grams'],
        },
        prefix_search: {
          type: 'custom',
          tokenizer: 'standard',
          filter: ['lowercase', 'asciifolding', 'prefix_truncate'],
        },
      },
    },
  } as IndexSettings;
}

const keyword = { type: 'keyword' } as const;
const folded = { type: 'text', analyzer: 'folded' } as const;
// Offsets in the postings let the highlighter skip re-analysing long bodies (and its size limit).
const foldedWithOffsets = { ...folded, index_options: 'offsets' } as const;
const prefixField = { type: 'text', analyzer: 'prefix_index', search_analyzer: 'prefix_search' } as const;
const count = { type: 'integer' } as const;

export function indexMappings(): TypeMapping {
  return {
    dynamic: 'strict',
    _meta: { definition: DEFINITION_VERSION },
    properties: {
      id: keyword,
      type: keyword,
      title: { ...foldedWithOffsets, fields: { prefix: prefixField } },
      body: foldedWithOffsets,
      // Exact values for filters and facets; the `text` sub-field for matching words in them.
      tags: { ...keyword, fields: { text: folded } },
      authorId: keyword,
      authorName: { ...folded, fields: { prefix: prefixField } },
      authorOrg: keyword,
      spaceId: keyword,
      spaceName: { type: 'keyword', index: false },
      audience: keyword,
      partnerOrgs: keyword,
      org: keyword,
      skills: { ...folded, fields: { keyword } },
      createdAt: { type: 'date' },
      updatedAt: { type: 'date' },
      likeCount: count,
      commentCount: count,
      saveCount: count,
      url: { type: 'keyword', index: false, doc_values: false },
      postId: keyword,
      // Who did the work (a page's editors): expertise and activity group and filter by it (v2).
      contributors: keyword,
    },
  } as TypeMapping;
}

/** The body of a create-index request. */
export function indexDefinition(options: { refreshInterval?: string; aliases?: string[] } = {}) {
  return {
    settings: indexSettings(options),
    mappings: indexMappings(),
    ...(options.aliases?.length
      ? { aliases: Object.fromEntries(options.aliases.map((name) => [name, {}])) }
      : {}),
  };
}
