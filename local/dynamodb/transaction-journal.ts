/**
 * The intent journal that makes a local transaction all-or-nothing across a crash. dynalite applies a
 * transaction's items as separate writes, so a process killed between them would leave half of it
 * (a like without its counter change). Before the first write the front records each item's key and
 * its image before the transaction, one file per transaction, renamed into place; after the last
 * stream record the file is removed. At start-up every file left behind is settled (transactions.ts,
 * `recover`): completed when its stream records had begun (every item was applied by then), rolled
 * back otherwise (no consumer saw any of it).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readJsonState } from '../state-file';
import type { AttributeMap } from './wire';

export interface JournalItem {
  table: string;
  keys: AttributeMap;
  /** The item before the transaction (absent: it did not exist). */
  before?: AttributeMap;
  /** The stream's latest sequence number when the transaction began: its records come after. */
  streamAt: string;
}

export interface JournalEntry {
  id: string;
  startedAt: string;
  items: JournalItem[];
}

export class TransactionJournal {
  constructor(private readonly directory: string) {
    fs.mkdirSync(directory, { recursive: true });
  }

  /**
   * Records a transaction's intent before any of its writes: a temp file renamed into place, so a
   * killed process leaves the whole entry or none. Not fsynced: it guards dynalite's writes, which
   * LevelDB does not fsync either (both survive a killed process; neither is promised to survive a
   * power cut, which the data folder's high-water check is there to notice), and an fsync per
   * transaction under the write lock would cost 2–8 ms of every write here.
   */
  begin(items: JournalItem[]): string {
    const entry: JournalEntry = { id: randomUUID(), startedAt: new Date().toISOString(), items };
    const file = this.fileOf(entry.id);
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(entry));
    fs.renameSync(temp, file);
    return entry.id;
  }

  /** The transaction is settled (applied and recorded, or undone): forget it. */
  end(id: string) {
    fs.rmSync(this.fileOf(id), { force: true });
  }

  /** Transactions a crash left unsettled, oldest first. */
  pending(): JournalEntry[] {
    return fs
      .readdirSync(this.directory)
      .filter((name) => name.startsWith('tx-') && name.endsWith('.json'))
      .map((name) =>
        readJsonState<JournalEntry>(path.join(this.directory, name), 'a local transaction journal entry'),
      )
      .filter((entry): entry is JournalEntry => entry !== undefined)
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  private fileOf(id: string) {
    return path.join(this.directory, `tx-${id}.json`);
  }
}
