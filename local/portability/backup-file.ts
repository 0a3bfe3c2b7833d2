/**
 * The local backup file (`npm run backup` / `npm run restore`): gzipped JSON Lines — a header line
 * (kind, format, when, table, items, the stream position it matches), then every item of the table
 * in DynamoDB's own JSON (attribute values as `{ "S": … }`), derived items included, so a restore
 * gives back exactly what was there. Unlike an export (export-import.ts) it is for the same
 * deployment, taken while the server runs and restored while it does not.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import type { AttributeMap } from '../dynamodb/wire';

export const BACKUP_FORMAT = 1;

export interface BackupHeader {
  kind: 'commonplace-backup';
  format: number;
  createdAt: string;
  table: string;
  items: number;
  /** The last change-stream sequence number the backup includes. */
  streamSequence: string;
}

export class BackupRefused extends Error {
  override name = 'BackupRefused';
}

/** The whole backup as one gzipped buffer. */
export function encodeBackup(header: Omit<BackupHeader, 'kind' | 'format' | 'items'>, items: AttributeMap[]) {
  const full: BackupHeader = {
    kind: 'commonplace-backup',
    format: BACKUP_FORMAT,
    items: items.length,
    ...header,
  };
  const text = `${JSON.stringify(full)}\n${items.map((item) => `${JSON.stringify(item)}\n`).join('')}`;
  return zlib.gzipSync(text);
}

/** Reads a backup file: its header first (refusing another kind or a newer format), then its items. */
export async function readBackup(
  file: string,
): Promise<{ header: BackupHeader; items: AsyncIterable<AttributeMap> }> {
  if (!fs.existsSync(file)) throw new BackupRefused(`${file} does not exist`);
  const lines = readline
    .createInterface({
      input: fs.createReadStream(file).pipe(zlib.createGunzip()),
      crlfDelay: Number.POSITIVE_INFINITY,
    })
    [Symbol.asyncIterator]();
  let header: BackupHeader;
  try {
    const first = await lines.next();
    header = JSON.parse(String(first.value ?? ''));
  } catch {
    throw new BackupRefused(`${file} is not a Commonplace backup (not gzipped JSON Lines, or damaged)`);
  }
  if (header?.kind !== 'commonplace-backup') throw new BackupRefused(`${file} is not a Commonplace backup`);
  if (!(header.format <= BACKUP_FORMAT))
    throw new BackupRefused(
      `${file} is in backup format ${header.format}; this version restores up to ${BACKUP_FORMAT}. Upgrade first.`,
    );
  const items = {
    async *[Symbol.asyncIterator]() {
      let count = 0;
      for (let next = await lines.next(); !next.done; next = await lines.next()) {
        if (!next.value.trim()) continue;
        try {
          yield JSON.parse(next.value) as AttributeMap;
        } catch {
          throw new BackupRefused(`${file}: item ${count + 1} is damaged; nothing of it should be trusted`);
        }
        count++;
      }
      if (count !== header.items)
        throw new BackupRefused(
          `${file} holds ${count} items, its header says ${header.items}: it is truncated`,
        );
    },
  };
  return { header, items };
}
