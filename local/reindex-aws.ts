/**
 * The operator's reindex for a deployment: scans the table (TABLE_NAME, AWS_REGION) and builds a new
 * OpenSearch index at SEARCH_ENDPOINT, signed with the operator's credentials; live writes from the
 * indexer reach the new index too while it fills; then the alias moves in one call (no downtime) and
 * the old index is deleted. The operator's role must be mapped in the domain
 * (`commonplace:searchOperatorRoleArns`, see docs/deploy.md).
 */
import { createDocumentClient } from '../functions/data/table';
import { rebuildDocuments, scanIndexableItems } from '../functions/domain/search/reindex';
import { OpenSearchIndex } from '../functions/search/opensearch/opensearch-index';
import { progressBar } from './progress-bar';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(
      `${name} is not set. Usage: TABLE_NAME=… SEARCH_ENDPOINT=https://… AWS_REGION=… npm run reindex -- --aws`,
    );
    process.exit(2);
  }
  return value;
}

export async function reindexAws() {
  const tableName = required('TABLE_NAME');
  const endpoint = required('SEARCH_ENDPOINT');
  const client = createDocumentClient();
  const index = OpenSearchIndex.create({
    node: endpoint,
    alias: process.env.SEARCH_ALIAS ?? 'commonplace',
    sigv4: !endpoint.startsWith('http://'),
  });
  await index.ensureIndex();
  const writer = await index.beginReindex();
  const scan = progressBar('Scanning table ');
  const bar = progressBar('Indexing       ');
  try {
    await rebuildDocuments(
      scanIndexableItems(client, tableName),
      async (documents) => void (await writer.upsert(documents)),
      {
        onProgress: (progress) =>
          progress.phase === 'scan' ? scan.update(progress.done) : bar.update(progress.done, progress.total),
      },
    );
    const outcome = await index.finishReindex(writer);
    bar.finish(
      `Alias now points at ${outcome.index} (${outcome.documents} documents); removed ${outcome.previous.join(', ') || 'nothing'}.`,
    );
  } catch (error) {
    await index.abortReindex();
    throw error;
  } finally {
    await index.close();
  }
}
