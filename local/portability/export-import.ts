/**
 * Export and import of a whole deployment, through the ordinary DynamoDB API, so the same code runs
 * against the local runtime and against a table in AWS (`npm run export` / `npm run import`).
 *
 * An export is a folder: `<module>.jsonl` per module (modules.ts), one item per line as plain JSON
 * with its keys sorted, the lines sorted by PK then SK — so the same data always gives the same bytes —
 * and `export.json` (format, when, counts). Derived items are left out and rebuilt after an import by
 * the stream consumers (search index, home feed) and the rebuild commands.
 *
 * An import refuses a folder written by a newer format and a table that already holds data (anything
 * but derived items): it is for an empty deployment — a company leaving, moving, or trying an upgrade.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { EXPORT_MODULES, type ExportModule, moduleOf } from './modules';

export const EXPORT_FORMAT = 1;
const MANIFEST = 'export.json';

export interface ExportManifest {
  format: number;
  kind: 'commonplace-export';
  exportedAt: string;
  table: string;
  items: Partial<Record<ExportModule, number>>;
  derivedLeftOut: number;
}

export type Progress = (done: number, total?: number) => void;

/** Scans the table (an operator's job, not a request path) and writes one JSON Lines file per module. */
export async function exportTable(
  client: DynamoDBDocumentClient,
  tableName: string,
  folder: string,
  onProgress: Progress = () => undefined,
): Promise<ExportManifest> {
  const lines = new Map<ExportModule, { key: string; line: string }[]>();
  let derived = 0;
  let scanned = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    for (const item of page.Items ?? []) {
      const module = moduleOf(item);
      if (module === 'derived') derived++;
      else {
        const list = lines.get(module) ?? [];
        list.push({ key: `${item.PK}\u0000${item.SK}`, line: canonicalJson(item) });
        lines.set(module, list);
      }
    }
    scanned += page.Items?.length ?? 0;
    onProgress(scanned);
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  fs.mkdirSync(folder, { recursive: true });
  const items: Partial<Record<ExportModule, number>> = {};
  for (const module of EXPORT_MODULES) {
    const list = (lines.get(module) ?? []).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const file = path.join(folder, `${module}.jsonl`);
    if (list.length === 0 && module === 'other') {
      fs.rmSync(file, { force: true });
      continue;
    }
    fs.writeFileSync(file, list.map((entry) => `${entry.line}\n`).join(''));
    items[module] = list.length;
  }
  const manifest: ExportManifest = {
    format: EXPORT_FORMAT,
    kind: 'commonplace-export',
    exportedAt: new Date().toISOString(),
    table: tableName,
    items,
    derivedLeftOut: derived,
  };
  fs.writeFileSync(path.join(folder, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export class ImportRefused extends Error {
  override name = 'ImportRefused';
}

/** Reads an export folder's manifest, refusing what this version cannot import. */
export function readManifest(folder: string): ExportManifest {
  const file = path.join(folder, MANIFEST);
  if (!fs.existsSync(file)) throw new ImportRefused(`${folder} is not an export: it has no ${MANIFEST}`);
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new ImportRefused(`${file} is damaged (not JSON)`);
  }
  if (manifest.kind !== 'commonplace-export') throw new ImportRefused(`${file} is not a Commonplace export`);
  if (!(manifest.format <= EXPORT_FORMAT))
    throw new ImportRefused(
      `${folder} was written in export format ${manifest.format}; this version reads up to ${EXPORT_FORMAT}. Upgrade first.`,
    );
  return manifest;
}

/** Whether the table holds anything but derived items (those an empty deployment writes itself). */
export async function holdsData(client: DynamoDBDocumentClient, tableName: string): Promise<boolean> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, Limit: 100 }),
    );
    if ((page.Items ?? []).some((item) => moduleOf(item) !== 'derived')) return true;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return false;
}

/** Writes every item of an export into an empty table, 25 at a time; returns how many were written. */
export async function importTable(
  client: DynamoDBDocumentClient,
  tableName: string,
  folder: string,
  onProgress: Progress = () => undefined,
): Promise<number> {
  const manifest = readManifest(folder);
  if (await holdsData(client, tableName))
    throw new ImportRefused(
      `table ${tableName} already holds data; import only into an empty deployment (nothing was written)`,
    );
  const total = Object.values(manifest.items).reduce((sum, n) => sum + (n ?? 0), 0);
  let written = 0;
  for (const module of EXPORT_MODULES) {
    const file = path.join(folder, `${module}.jsonl`);
    if (!fs.existsSync(file)) continue;
    let batch: Record<string, unknown>[] = [];
    const flush = async () => {
      await writeBatch(client, tableName, batch);
      written += batch.length;
      batch = [];
      onProgress(written, total);
    };
    const lines = readline.createInterface({
      input: fs.createReadStream(file),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      if (!line.trim()) continue;
      let item: Record<string, unknown>;
      try {
        item = JSON.parse(line);
      } catch {
        throw new ImportRefused(`${file}, line ${lineNumber}: not JSON (the export is damaged)`);
      }
      if (typeof item.PK !== 'string' || typeof item.SK !== 'string')
        throw new ImportRefused(`${file}, line ${lineNumber}: an item without PK and SK`);
      batch.push(item);
      if (batch.length === 25) await flush();
    }
    if (batch.length) await flush();
  }
  return written;
}

async function writeBatch(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: Record<string, unknown>[],
) {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; requests.length; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
    const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
    requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
  }
}

/** JSON with object keys sorted at every level: the same item always gives the same line. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
