/**
 * A transaction item's condition, checked in this process on the item as read under its lock — with
 * dynalite's own code, so it means what dynalite's PutItem/UpdateItem/DeleteItem would: the same type
 * checks, request validations (expressions, names and values, item size), key and item checks
 * against the table's schema, then the condition on the current item. It replaces running each item
 * against a shadow copy in a second table (two LevelDB writes and two requests per item) and is the
 * same check: dynalite's actions evaluate the condition on the item they read, which under the lock
 * is the item read here. What only applying can find (an ADD to a string) still fails at apply time,
 * which rolls back the items already applied (transactions.ts).
 */
import { createRequire } from 'node:module';
import { type AttributeMap, errorBody, fromDynaliteError, WireError } from './wire';

const require = createRequire(import.meta.url);

let modules:
  | {
      db: {
        MAX_SIZE: number;
        validateItem(item: unknown, table: unknown): Error | undefined;
        validateKey(key: unknown, table: unknown): Error | undefined;
        validateUpdates(updates: unknown, expressionUpdates: unknown, table: unknown): Error | undefined;
        checkConditional(data: unknown, item: unknown): Error | undefined | null;
      };
      validations: {
        checkTypes(data: any, types: unknown): any;
        checkValidations(data: any, types: unknown, custom: unknown, store: unknown): void;
      };
      byKind: Record<'Put' | 'Update' | 'Delete', { types: unknown; custom?: unknown }>;
    }
  | undefined;

function load() {
  if (!modules) {
    modules = {
      db: require('dynalite/db'),
      validations: require('dynalite/validations'),
      byKind: {
        Put: require('dynalite/validations/putItem'),
        Update: require('dynalite/validations/updateItem'),
        Delete: require('dynalite/validations/deleteItem'),
      },
    };
  }
  return modules;
}

export type TransactKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
export type CancellationReason = { Code: string; Message?: string; Item?: AttributeMap };

/**
 * The cancellation reason of one transaction item against `before` (the item now; absent when it does
 * not exist): `None` or `ConditionalCheckFailed`. A malformed item throws the ValidationException
 * DynamoDB answers with (the whole request fails, as in AWS). `table` is the table's description.
 */
export function checkTransactItem(
  kind: TransactKind,
  params: Record<string, any>,
  before: AttributeMap | undefined,
  table: unknown,
): CancellationReason {
  const { db, validations, byKind } = load();
  const { ReturnValuesOnConditionCheckFailure, ...rest } = params;
  let input: Record<string, any> = rest;
  if (kind === 'ConditionCheck') {
    if (!rest.ConditionExpression)
      throw new WireError(
        400,
        'ValidationException',
        'ConditionCheck needs a ConditionExpression',
        errorBody('ValidationException', 'ConditionCheck needs a ConditionExpression'),
      );
    const { TableName, Key, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues } = rest;
    input = { TableName, Key, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues };
  }
  const validation = byKind[kind === 'ConditionCheck' ? 'Delete' : kind];
  let data: any;
  try {
    data = validations.checkTypes({ ...input }, validation.types);
    validations.checkValidations(data, validation.types, validation.custom, {
      options: { maxItemSize: db.MAX_SIZE },
    });
  } catch (error) {
    throw fromDynaliteError(error);
  }
  const invalid =
    kind === 'Put'
      ? db.validateItem(data.Item, table)
      : kind === 'Update'
        ? (db.validateKey(data.Key, table) ?? db.validateUpdates(data.AttributeUpdates, data._updates, table))
        : db.validateKey(data.Key, table);
  if (invalid) throw fromDynaliteError(invalid);
  if (!db.checkConditional(data, before)) return { Code: 'None' };
  return {
    Code: 'ConditionalCheckFailed',
    Message: 'The conditional request failed',
    ...(ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before ? { Item: before } : {}),
  };
}
