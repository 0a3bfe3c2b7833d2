/**
 * Expertise, "knows about" and activity on OpenSearch: each one search request. The access filter is
 * part of every query, as in index-queries.ts; contribution scores are computed by a Painless script
 * with exactly the formula of functions/domain/search/expertise.ts (kind × tagged × recency), so the
 * answers equal the embedded engine's (the contract suite checks it).
 */
import {
  CONTRIBUTION_TYPES,
  CONTRIBUTION_WEIGHT,
  RECENCY_FLOOR,
  RECENCY_HALF_LIFE_DAYS,
  TAGGED_FACTOR,
} from '../../domain/search/expertise';
import type {
  AccessFilter,
  ActivityPage,
  ActivityResult,
  ExpertiseQuery,
  ExpertiseResult,
  SearchDocument,
  TopicWeight,
} from '../../domain/search/search-document';
import { accessQuery, textQuery } from './index-queries';
import type { OpenSearchHttp } from './opensearch-http';
import { errorType, explained, type Json } from './plumbing';

const SCORE_SOURCE = `
double age = Math.max(0L, params.now - doc['updatedAt'].value.toInstant().toEpochMilli()) / 86400000.0;
double w = params.weights[doc['type'].value];
if (params.tag != '' && doc['tags'].contains(params.tag)) { w = w * params.tagged; }
return w * (params.floor + (1 - params.floor) * Math.pow(2, -age / params.halfLife));`;

function scoreScript(now: number, tag: string | undefined): Json {
  return {
    lang: 'painless',
    source: SCORE_SOURCE,
    params: {
      now,
      tag: tag ?? '',
      weights: CONTRIBUTION_WEIGHT,
      tagged: TAGGED_FACTOR,
      floor: RECENCY_FLOOR,
      halfLife: RECENCY_HALF_LIFE_DAYS,
    },
  };
}

const CONTRIBUTIONS = { terms: { type: [...CONTRIBUTION_TYPES] } };
const contributedBy = (userId: string) => ({ term: { contributors: userId } });

interface Hit {
  _source: SearchDocument;
  sort?: unknown[];
}

export class ExpertiseReader {
  constructor(
    private readonly client: OpenSearchHttp,
    private readonly alias: string,
  ) {}

  async expertise(query: ExpertiseQuery, access: AccessFilter): Promise<ExpertiseResult> {
    return explained('expertise', async () => {
      const text = query.topic.trim();
      if (!text || query.limit <= 0) return { total: 0, people: [] };
      const script = scoreScript(query.now, query.tag);
      const body = {
        size: 0,
        track_total_hits: true,
        query: { bool: { must: [textQuery(text, access)], filter: [accessQuery(access), CONTRIBUTIONS] } },
        aggs: {
          people: {
            terms: { field: 'contributors', size: query.limit, order: [{ score: 'desc' }, { _key: 'asc' }] },
            aggs: {
              score: { sum: { script } },
              evidence: {
                top_hits: {
                  size: query.evidence,
                  sort: [
                    { _script: { type: 'number', script, order: 'desc' } },
                    { updatedAt: { order: 'desc' } },
                    { id: { order: 'asc' } },
                  ],
                },
              },
            },
          },
        },
      };
      const raw = await this.read<{
        hits: { total: { value: number } };
        aggregations: {
          people: {
            buckets: {
              key: string;
              doc_count: number;
              score: { value: number };
              evidence: { hits: { hits: Hit[] } };
            }[];
          };
        };
      }>(body);
      if (!raw) return { total: 0, people: [] };
      return {
        total: raw.hits.total.value,
        people: raw.aggregations.people.buckets.map((bucket) => ({
          userId: bucket.key,
          score: bucket.score.value,
          contributions: bucket.doc_count,
          evidence: bucket.evidence.hits.hits.map((hit) => hit._source),
        })),
      };
    });
  }

  async topicsOf(userId: string, access: AccessFilter, limit: number, now: number): Promise<TopicWeight[]> {
    return explained('topicsOf', async () => {
      if (limit <= 0) return [];
      const body = {
        size: 0,
        query: { bool: { filter: [accessQuery(access), CONTRIBUTIONS, contributedBy(userId)] } },
        aggs: {
          topics: {
            terms: { field: 'tags', size: limit, order: [{ score: 'desc' }, { _key: 'asc' }] },
            aggs: { score: { sum: { script: scoreScript(now, undefined) } } },
          },
        },
      };
      const raw = await this.read<{
        aggregations: { topics: { buckets: { key: string; doc_count: number; score: { value: number } }[] } };
      }>(body);
      if (!raw) return [];
      return raw.aggregations.topics.buckets.map((b) => ({
        tag: b.key,
        score: b.score.value,
        count: b.doc_count,
      }));
    });
  }

  async activityOf(userId: string, access: AccessFilter, page: ActivityPage): Promise<ActivityResult> {
    return explained('activityOf', async () => {
      const body = {
        size: page.limit + 1,
        query: { bool: { filter: [accessQuery(access), CONTRIBUTIONS, contributedBy(userId)] } },
        sort: [{ updatedAt: { order: 'desc' } }, { id: { order: 'asc' } }],
        ...(page.after ? { search_after: [Date.parse(page.after.updatedAt), page.after.id] } : {}),
      };
      const raw = await this.read<{ hits: { hits: Hit[] } }>(body);
      if (!raw) return { documents: [], more: false };
      const documents = raw.hits.hits.map((hit) => hit._source);
      return { documents: documents.slice(0, page.limit), more: documents.length > page.limit };
    });
  }

  /** One search against the alias; undefined before anything has been indexed. */
  private async read<T>(body: Json): Promise<T | undefined> {
    try {
      const response = await this.client.search({ index: this.alias, body: body as never });
      return response.body as unknown as T;
    } catch (error) {
      if (errorType(error) === 'index_not_found_exception') return undefined;
      throw error;
    }
  }
}
