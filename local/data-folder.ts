/**
 * A data folder that knows what it holds (issue 14). `manifest.json` is written on the first start:
 * the folder's format, the table it holds and when it was created, whether the demo data was loaded,
 * and a high-water mark — the stream sequence number up to which every change is known to be in
 * LevelDB. A start that finds the manifest but not the data it describes is refused with a message
 * saying what is wrong and how to restore, instead of LevelDB quietly starting an empty database (and
 * deleting the old files) and the demo data being seeded over the loss.
 *
 * The high-water mark: every few seconds, and on close, the runtime writes a marker item holding the
 * stream's latest sequence number into a side table in the same LevelDB (so after every change it
 * covers, in LevelDB's log), then records the same number in the manifest. A LevelDB log cut short
 * loses its newest entries, the marker among them; at the next start the marker is older than the
 * manifest says, or gone, and the start is refused.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file';
import type { Backend } from './dynamodb/backend';
import { WireError } from './dynamodb/wire';
import { DataFolderError, RESTORE_ADVICE, readJsonState } from './state-file';

/** The layout this version reads and writes; a folder written by a newer one is refused. */
export const DATA_FOLDER_FORMAT = 1;
/** A side table in dynalite for the high-water marker (not in the stream, not in the app's table). */
export const MARKS_TABLE = '__local.marks';
const HIGH_WATER_KEY = { id: { S: 'high-water' } };

export interface Manifest {
  format: number;
  createdAt: string;
  /** The table this folder holds, once created. */
  table?: { name: string; createdAt: string };
  /** The demo data set was loaded (only ever into a folder that never held data). */
  seeded: boolean;
  /** Every change up to this stream sequence number ('' for none yet) is in LevelDB. */
  highWater: { sequence: string; markedAt: string };
  /** Set when a folder from before manifests was found and adopted. */
  adoptedAt?: string;
}

const START_AFRESH = '`npm run reset` starts afresh (it deletes everything in the folder)';

export class DataFolder {
  readonly manifestFile: string;
  readonly dynamoDir: string;
  private manifest?: Manifest;
  /** True when this start found a folder that never held data (no manifest, no table, no stream). */
  readonly fresh: boolean;

  /**
   * Checks the folder before dynalite opens it: without `CURRENT` LevelDB would create an empty
   * database and delete the files it no longer knows. Throws a DataFolderError naming the problem.
   */
  constructor(readonly dataDir: string) {
    this.manifestFile = path.join(dataDir, 'manifest.json');
    this.dynamoDir = path.join(dataDir, 'dynamodb');
    this.manifest = readJsonState<Manifest>(this.manifestFile, "the data folder's manifest");
    const refuse = (what: string) =>
      new DataFolderError(
        `Commonplace will not start on ${dataDir}: ${what} ${RESTORE_ADVICE}, or ${START_AFRESH}.`,
      );
    const manifest = this.manifest;
    if (manifest) {
      if (typeof manifest.format !== 'number' || !manifest.highWater)
        throw refuse(`${this.manifestFile} is not a data folder manifest.`);
      if (manifest.format > DATA_FOLDER_FORMAT)
        throw new DataFolderError(
          `Commonplace will not start on ${dataDir}: it was written by a newer version (data folder format ${manifest.format}; this version reads ${DATA_FOLDER_FORMAT}). Update Commonplace, or restore a backup made by this version (\`npm run restore -- <file>\`).`,
        );
    }
    const tableFiles = listFiles(this.dynamoDir);
    if (manifest && tableFiles.length === 0)
      throw refuse(
        `its manifest says it holds the table ${manifest.table?.name ?? ''} (created ${manifest.table?.createdAt ?? manifest.createdAt}), but ${this.dynamoDir} is missing or empty — the table's files were deleted or moved. Starting would create an empty table (and seed it) over the loss.`,
      );
    if (tableFiles.length > 0 && !tableFiles.includes('CURRENT'))
      throw refuse(
        `LevelDB reports damage in ${this.dynamoDir}: its CURRENT file is missing, so it cannot tell which of its files hold the table; opening it would start an empty database and delete them.`,
      );
    // The change log: `<table>.stream/` segment files (or, before segments, `<table>.records.jsonl`).
    const streamDir = path.join(dataDir, 'stream');
    const streamRecords = listFiles(streamDir).filter((name) =>
      name.endsWith('.stream')
        ? listFiles(path.join(streamDir, name)).some((segment) => segment.includes('.jsonl'))
        : name.endsWith('.records.jsonl') && fs.statSync(path.join(streamDir, name)).size > 0,
    );
    if (!manifest && tableFiles.length === 0 && streamRecords.length > 0)
      throw refuse(
        `it holds a change stream (stream/${streamRecords[0]}) but no table (${this.dynamoDir}) and no manifest — the table was deleted. Starting would create an empty table beside a stream of changes it does not hold.`,
      );
    this.fresh = !manifest && tableFiles.length === 0;
  }

  /**
   * Opens LevelDB once on its own before dynalite does, without letting it create anything: dynalite
   * throws an open failure from a callback (a crash with a stack), so its message is caught here and
   * named instead. Nothing to do for a folder without a table yet.
   */
  async checkLevelDb(): Promise<void> {
    if (listFiles(this.dynamoDir).length === 0) return;
    // The LevelDB binding dynalite itself uses (its own dependency), not a second copy.
    const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
    const { Level } = requireFromDynalite('level') as { Level: new (location: string) => LevelDb };
    const db = new Level(this.dynamoDir);
    try {
      await db.open({ createIfMissing: false });
    } catch (error) {
      const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new DataFolderError(
        `Commonplace will not start on ${this.dataDir}: LevelDB reports damage in ${this.dynamoDir}: ${cause}. ${RESTORE_ADVICE}, or ${START_AFRESH}.`,
      );
    } finally {
      await db.close().catch(() => undefined);
    }
  }

  /** Whether the demo data set was loaded into this folder. */
  get seeded(): boolean {
    return this.manifest?.seeded ?? false;
  }

  get highWater(): string {
    return this.manifest?.highWater.sequence ?? '';
  }

  /**
   * After dynalite has opened the folder: LevelDB opened cleanly, the table the manifest names is
   * there, and the high-water marker is not older than the manifest's. Throws a DataFolderError.
   */
  async verify(backend: Backend, tableName: string): Promise<void> {
    const refuse = (what: string) =>
      new DataFolderError(
        `Commonplace will not start on ${this.dataDir}: ${what} ${RESTORE_ADVICE}, or ${START_AFRESH}.`,
      );
    try {
      await backend.call('DescribeTable', { TableName: tableName });
    } catch (error) {
      if (!(error instanceof WireError && error.type === 'ResourceNotFoundException'))
        throw refuse(`LevelDB reports damage in ${this.dynamoDir}: ${(error as Error).message}.`);
      if (this.manifest?.table)
        throw refuse(
          `its manifest says it holds the table ${this.manifest.table.name} (created ${this.manifest.table.createdAt}), but LevelDB in ${this.dynamoDir} has no such table.`,
        );
    }
    const expected = this.highWater;
    if (!expected) return;
    let marked = '';
    try {
      const { Item } = await backend.call<{ Item?: { sequence?: { S?: string } } }>('GetItem', {
        TableName: MARKS_TABLE,
        Key: HIGH_WATER_KEY,
        ConsistentRead: true,
      });
      marked = Item?.sequence?.S ?? '';
    } catch (error) {
      if (!(error instanceof WireError && error.type === 'ResourceNotFoundException'))
        throw refuse(`LevelDB reports damage in ${this.dynamoDir}: ${(error as Error).message}.`);
    }
    // Sequence numbers are zero-padded: string order is numeric order.
    if (marked < expected)
      throw refuse(
        `LevelDB in ${this.dynamoDir} has lost changes it had acknowledged: the manifest records every change up to stream sequence ${Number(expected)} (${this.manifest?.highWater.markedAt}) as written, but LevelDB holds them only up to ${marked ? Number(marked) : 'none of the marks'} — its log was cut short or files were removed.`,
      );
  }

  /** Records the table (first start) or adopts a folder from before manifests; writes the manifest. */
  async open(backend: Backend, tableName: string, demoDataLoaded: () => Promise<boolean>): Promise<void> {
    await ensureMarksTable(backend);
    if (this.manifest) return;
    const now = new Date().toISOString();
    const adopted = !this.fresh;
    this.manifest = {
      format: DATA_FOLDER_FORMAT,
      createdAt: now,
      table: { name: tableName, createdAt: now },
      seeded: adopted ? await demoDataLoaded() : false,
      highWater: { sequence: '', markedAt: now },
      ...(adopted ? { adoptedAt: now } : {}),
    };
    this.save();
  }

  markSeeded() {
    if (!this.manifest) return;
    this.manifest.seeded = true;
    this.save();
  }

  /**
   * Raises the high-water mark to `sequence` (the stream's latest): every change up to it was written
   * to dynalite before its stream record was appended, so the marker written now follows them all in
   * LevelDB's log. The marker first, then the manifest: a crash between them leaves the marker ahead,
   * which the check accepts.
   */
  async markHighWater(backend: Backend, sequence: string): Promise<void> {
    if (!this.manifest || sequence <= this.manifest.highWater.sequence) return;
    await backend.call('PutItem', {
      TableName: MARKS_TABLE,
      Item: { ...HIGH_WATER_KEY, sequence: { S: sequence } },
    });
    this.manifest.highWater = { sequence, markedAt: new Date().toISOString() };
    this.save();
  }

  private save() {
    writeFileAtomic(this.manifestFile, `${JSON.stringify(this.manifest, null, 2)}\n`);
  }
}

interface LevelDb {
  open(options: { createIfMissing: boolean }): Promise<void>;
  close(): Promise<void>;
}

async function ensureMarksTable(backend: Backend) {
  try {
    await backend.call('DescribeTable', { TableName: MARKS_TABLE });
    return;
  } catch (error) {
    if (!(error instanceof WireError && error.type === 'ResourceNotFoundException')) throw error;
  }
  await backend.call('CreateTable', {
    TableName: MARKS_TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  });
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Table } = await backend.call<{ Table: { TableStatus: string } }>('DescribeTable', {
      TableName: MARKS_TABLE,
    });
    if (Table.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${MARKS_TABLE} did not become active`);
}

function listFiles(folder: string): string[] {
  try {
    return fs.readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
