/**
 * Restores a local backup into a data folder while no server uses it: the folder's current contents
 * are moved aside (`<folder>.before-restore-<time>`, never deleted), then a fresh folder gets the table
 * and every item of the backup, written straight into dynalite — not through the front, so no stream
 * records: consumers do not re-run over restored data, and the search index is rebuilt from the table
 * on the next start.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import dynalite from 'dynalite';
import { createTableInput } from '../../functions/data/table-definition';
import { type AttributeMap, call } from '../dynamodb/wire';
import { type BackupHeader, readBackup } from './backup-file';

export interface RestoreOutcome {
  header: BackupHeader;
  restored: number;
  /** Where the folder's previous contents went (undefined when it was empty or absent). */
  movedAside?: string;
}

export async function restoreBackup(file: string, dataDir: string): Promise<RestoreOutcome> {
  const { header, items } = await readBackup(file);
  let movedAside: string | undefined;
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    movedAside = `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(dataDir, movedAside);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const server = dynalite({ createTableMs: 0, path: path.join(dataDir, 'dynamodb') });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const backend = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  let restored = 0;
  try {
    await call(backend, 'CreateTable', createTableInput(header.table));
    // dynalite answers CREATING; writes before ACTIVE are refused.
    for (let attempt = 0; ; attempt++) {
      const { Table } = await call<{ Table: { TableStatus: string } }>(backend, 'DescribeTable', {
        TableName: header.table,
      });
      if (Table.TableStatus === 'ACTIVE') break;
      if (attempt > 500) throw new Error(`table ${header.table} did not become active`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    let batch: AttributeMap[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await call(backend, 'BatchWriteItem', {
        RequestItems: { [header.table]: batch.map((Item) => ({ PutRequest: { Item } })) },
      });
      restored += batch.length;
      batch = [];
    };
    for await (const item of items) {
      batch.push(item);
      if (batch.length === 25) await flush();
    }
    await flush();
  } catch (error) {
    // A damaged backup leaves nothing half restored: the previous folder comes back.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (movedAside) fs.renameSync(movedAside, dataDir);
    throw error;
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { header, restored, movedAside };
}
