/**
 * A Table for the stream consumers: the `getMany` calls made while one turn of the event loop runs go
 * out together as one BatchGetItem (100 keys a request, as `Table.getMany` pages them), each caller
 * getting its own keys' items in its own order; the `writeMany` calls of that turn likewise go out as
 * BatchWriteItem requests of up to 25 puts and deletes.
 *
 * Why: a consumer handles the records of a batch concurrently (Powertools' BatchProcessor), and each
 * record reads its few items by key (the indexer: a comment, its post and space; the fan-out: the
 * situation, the candidates' profiles, memberships and mutes) and writes a few feed items. Under load
 * a batch holds tens of records, so per-record requests were tens of BatchGetItem and BatchWriteItem
 * requests of a few items, each paying the SDK's whole request cost; together they are one or two.
 * With a batch of one record nothing changes but a turn of the event loop. Single writes (Put,
 * Update, Delete, transactions) keep their own requests: their conditions are per item.
 */
import { assertItemFits } from './item-size';
import { type Item, type Key, Table } from './table';

interface Waiting<Input, Output> {
  input: Input;
  resolve(output: Output): void;
  reject(error: unknown): void;
}

type Write = { put: Item } | { delete: Key };
const BATCH_WRITE_ITEMS = 25;

export class CoalescingTable extends Table {
  private reads?: Waiting<Key[], (Item | undefined)[]>[];
  private writes?: Waiting<Write[], void>[];

  override getMany(keysToGet: Key[]): Promise<(Item | undefined)[]> {
    if (keysToGet.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      if (!this.reads) {
        this.reads = [];
        // After every read this turn asks for (the records' continuations run as microtasks first).
        setImmediate(() => void this.flushReads());
      }
      this.reads.push({ input: keysToGet, resolve, reject });
    });
  }

  override writeMany(puts: Item[], deletes: Key[]): Promise<void> {
    if (puts.length === 0 && deletes.length === 0) return Promise.resolve();
    // An item too large fails its own caller here, not everyone's request.
    try {
      for (const item of puts) assertItemFits(item);
    } catch (error) {
      return Promise.reject(error);
    }
    const writes: Write[] = [...puts.map((put) => ({ put })), ...deletes.map((key) => ({ delete: key }))];
    return new Promise((resolve, reject) => {
      if (!this.writes) {
        this.writes = [];
        setImmediate(() => void this.flushWrites());
      }
      this.writes.push({ input: writes, resolve, reject });
    });
  }

  private async flushReads() {
    const waiting = this.reads ?? [];
    this.reads = undefined;
    try {
      // Table.getMany removes duplicate keys and answers in the order asked, misses as undefined.
      const items = await super.getMany(waiting.flatMap((w) => w.input));
      let at = 0;
      for (const w of waiting) {
        w.resolve(items.slice(at, at + w.input.length));
        at += w.input.length;
      }
    } catch (error) {
      // One request for all: its failure is each caller's (the stream retries their records).
      for (const w of waiting) w.reject(error);
    }
  }

  private async flushWrites() {
    const waiting = this.writes ?? [];
    this.writes = undefined;
    try {
      // In the callers' order, 25 a request; an item written twice starts a new request (DynamoDB
      // refuses a batch naming one item twice), so the later write still lands last.
      let chunk: Write[] = [];
      let named = new Set<string>();
      const send = async () => {
        if (chunk.length === 0) return;
        await super.writeMany(
          chunk.flatMap((w) => ('put' in w ? [w.put] : [])),
          chunk.flatMap((w) => ('delete' in w ? [w.delete] : [])),
        );
        chunk = [];
        named = new Set();
      };
      for (const write of waiting.flatMap((w) => w.input)) {
        const key = 'put' in write ? write.put : write.delete;
        const name = `${key.PK}|${key.SK}`;
        if (chunk.length === BATCH_WRITE_ITEMS || named.has(name)) await send();
        chunk.push(write);
        named.add(name);
      }
      await send();
      for (const w of waiting) w.resolve();
    } catch (error) {
      for (const w of waiting) w.reject(error);
    }
  }
}
