/**
 * TransactWriteItems and TransactGetItems, which dynalite lacks, done in front of it. The front runs
 * them under the locks of their items; they read and write dynalite with ordinary single-item calls.
 *
 * A transaction reads each item once (under its lock) and checks every condition on it with
 * dynalite's own validation and condition code (conditions.ts), not a second, hand-written evaluator.
 * Only when all pass are the writes applied; a failure while applying restores the old images. Each
 * write answers with the item after it (UpdateItem's ALL_NEW; a Put's item is what it stores; a
 * Delete leaves none), so each changed item gets one stream record, in transaction order, without a
 * second read. With a journal (transaction-journal.ts) the intent is written before the first write,
 * so a crash between the writes is completed or rolled back at start.
 */

import type { Backend } from './backend';
import type { ChangeStream } from './change-stream';
import { checkTransactItem } from './conditions';
import type { TransactionJournal } from './transaction-journal';
import { type AttributeMap, fail, ok, type RawResponse, WireError } from './wire';

type TransactWriteItem = {
  Put?: Record<string, unknown> & { TableName: string; Item: AttributeMap };
  Update?: Record<string, unknown> & { TableName: string; Key: AttributeMap };
  Delete?: Record<string, unknown> & { TableName: string; Key: AttributeMap };
  ConditionCheck?: Record<string, unknown> & { TableName: string; Key: AttributeMap };
};

/** What transactions need from the front: dynalite, the key of an item, its current state, the stream. */
export interface TransactionHost {
  backend: Backend;
  keyOf(table: string, item: AttributeMap | undefined): Promise<AttributeMap>;
  /** The table's description (DescribeTable), for checking items against its schema. */
  describe(table: string): Promise<unknown>;
  getItem(table: string, keys: AttributeMap): Promise<AttributeMap | undefined>;
  stream(table: string): ChangeStream;
  /** Where intents are kept across a crash (absent: in memory only, nothing to recover). */
  journal?: TransactionJournal;
  /** Tests only: called at each point between a transaction's writes (to kill the process there). */
  step?(point: string): void;
}

const SHADOW_PREFIX = '__txshadow.';

/** Whether a table is one of the shadow tables transactions checked conditions on before (a data
 * folder written then may still hold one; it is not a table of the application's). */
export function isShadow(table: string) {
  return typeof table === 'string' && table.startsWith(SHADOW_PREFIX);
}

/** Callers hold the lock of every item a call touches (the front's KeyLocks) for the whole call. */
export class Transactions {
  private readonly recentTransactions = new Map<string, { at: number; body: string }>();

  constructor(private readonly host: TransactionHost) {}

  async get(input: any): Promise<RawResponse> {
    const items = (input.TransactItems ?? []) as { Get: any }[];
    if (items.length === 0 || items.length > 100) {
      return fail('ValidationException', 'TransactItems must have between 1 and 100 items');
    }
    const responses = [];
    for (const { Get } of items) {
      const { TableName, Key, ProjectionExpression, ExpressionAttributeNames } = Get;
      const result = await this.host.backend.call<any>('GetItem', {
        TableName,
        Key,
        ConsistentRead: true,
        ...(ProjectionExpression ? { ProjectionExpression, ExpressionAttributeNames } : {}),
      });
      responses.push(result.Item ? { Item: result.Item } : {});
    }
    return ok({ Responses: responses });
  }

  async write(input: any): Promise<RawResponse> {
    const items = (input.TransactItems ?? []) as TransactWriteItem[];
    if (items.length === 0 || items.length > 100) {
      return fail('ValidationException', 'TransactItems must have between 1 and 100 items');
    }
    // Idempotency token: a retried request within 10 minutes gets the same answer and writes nothing.
    const token = input.ClientRequestToken as string | undefined;
    if (token) {
      const seen = this.recentTransactions.get(token);
      if (seen && Date.now() - seen.at < 600_000) {
        if (seen.body !== JSON.stringify(items)) {
          return fail(
            'IdempotentParameterMismatchException',
            'ClientRequestToken reused with different parameters',
          );
        }
        return ok({});
      }
    }

    const operations = [];
    const seenKeys = new Set<string>();
    for (const item of items) {
      const [kind, params] = Object.entries(item)[0] as [keyof TransactWriteItem, any];
      if (!params?.TableName)
        return fail('ValidationException', 'Each transaction item needs exactly one operation');
      const keys = await this.host.keyOf(params.TableName, kind === 'Put' ? params.Item : params.Key);
      const identity = `${params.TableName}|${JSON.stringify(keys)}`;
      if (seenKeys.has(identity)) {
        return fail(
          'ValidationException',
          'Transaction request cannot include multiple operations on one item',
        );
      }
      seenKeys.add(identity);
      operations.push({ kind, params, table: params.TableName as string, keys });
    }

    // 1. Read current state and evaluate every condition on it (we hold the items' locks).
    const befores: (AttributeMap | undefined)[] = [];
    const reasons: Record<string, unknown>[] = [];
    for (const op of operations) {
      const before = await this.host.getItem(op.table, op.keys);
      befores.push(before);
      reasons.push(checkTransactItem(op.kind, op.params, before, await this.host.describe(op.table)));
    }
    if (reasons.some((reason) => reason.Code !== 'None')) {
      const codes = reasons.map((reason) => reason.Code).join(', ');
      return fail(
        'TransactionCanceledException',
        `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
        { CancellationReasons: reasons },
      );
    }

    // 2. Apply; conditions still hold because we hold the locks of these items. The intent goes to the journal
    // first, so a crash between the writes is settled at the next start (recover).
    const { journal, step } = this.host;
    const journalId = journal?.begin(
      operations.flatMap((op, index) =>
        op.kind === 'ConditionCheck'
          ? []
          : [
              {
                table: op.table,
                keys: op.keys,
                ...(befores[index] ? { before: befores[index] } : {}),
                streamAt: this.host.stream(op.table).latestSequenceNumber,
              },
            ],
      ),
    );
    step?.('journaled');
    const applied: number[] = [];
    const afters: (AttributeMap | undefined)[] = [];
    try {
      for (const [index, op] of operations.entries()) {
        if (op.kind === 'ConditionCheck') continue;
        const { ReturnValuesOnConditionCheckFailure: _ignored, ...params } = op.params;
        if (op.kind === 'Update') {
          const { Attributes } = await this.host.backend.call<{ Attributes?: AttributeMap }>('UpdateItem', {
            ...params,
            ReturnValues: 'ALL_NEW',
          });
          afters[index] = plain(Attributes);
        } else {
          await this.host.backend.call(op.kind === 'Put' ? 'PutItem' : 'DeleteItem', params);
          afters[index] = op.kind === 'Put' ? params.Item : undefined;
        }
        applied.push(index);
        step?.(`applied:${index}`);
      }
    } catch (error) {
      for (const index of applied.reverse())
        await this.restore(operations[index].table, operations[index].keys, befores[index]);
      if (journalId) journal?.end(journalId);
      if (error instanceof WireError && error.status < 500) return { status: error.status, body: error.body };
      throw error;
    }

    // 3. One stream record per changed item, in transaction order.
    for (const [index, op] of operations.entries()) {
      if (op.kind === 'ConditionCheck') continue;
      this.host.stream(op.table).append(op.keys, befores[index], afters[index]);
      step?.(`recorded:${index}`);
    }
    if (journalId) journal?.end(journalId);
    step?.('settled');
    if (token) {
      this.recentTransactions.set(token, { at: Date.now(), body: JSON.stringify(items) });
      if (this.recentTransactions.size > 10_000) this.recentTransactions.clear();
    }
    return ok({});
  }

  /**
   * Settles the transactions a crash left in the journal; call before serving requests. Its stream
   * records are appended after every item was applied, so any record of one of its items after the
   * transaction began means all were applied: the missing records are appended (completed). No record
   * means no consumer saw it: every item gets its image from before the transaction back (rolled back).
   */
  async recover(): Promise<{ completed: number; rolledBack: number }> {
    const outcome = { completed: 0, rolledBack: 0 };
    const journal = this.host.journal;
    if (!journal) return outcome;
    for (const entry of journal.pending()) {
      const recorded = entry.items.map((item) => {
        const identity = JSON.stringify(item.keys);
        return this.host
          .stream(item.table)
          .readAfter(item.streamAt, Number.MAX_SAFE_INTEGER)
          .some((record) => JSON.stringify(record.dynamodb.Keys) === identity);
      });
      if (recorded.some(Boolean)) {
        for (const [index, item] of entry.items.entries()) {
          if (recorded[index]) continue;
          const after = await this.host.getItem(item.table, item.keys);
          this.host.stream(item.table).append(item.keys, item.before, after);
        }
        outcome.completed++;
      } else {
        for (const item of [...entry.items].reverse()) await this.restore(item.table, item.keys, item.before);
        outcome.rolledBack++;
      }
      journal.end(entry.id);
    }
    return outcome;
  }

  private async restore(table: string, keys: AttributeMap, before?: AttributeMap) {
    if (before) await this.host.backend.call('PutItem', { TableName: table, Item: before });
    else await this.host.backend.call('DeleteItem', { TableName: table, Key: keys });
  }
}

/**
 * dynalite builds an UpdateItem's new item from prototype-less objects; stream records carry plain
 * ones (as a decoded read would), so handlers may use them like any parsed JSON.
 */
export function plain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(plain) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = plain((value as Record<string, unknown>)[key]);
  return out as T;
}
