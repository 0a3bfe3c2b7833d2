/**
 * dynalite in this process (local/dynamodb/backend.ts): its actions called as functions answer as its
 * HTTP endpoint would, and the table descriptions it caches for item operations follow table changes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InProcessDynalite } from '../../local/dynamodb/backend';
import { call, type WireError } from '../../local/dynamodb/wire';

let backend: InProcessDynalite;
let endpoint: URL;

beforeAll(async () => {
  backend = new InProcessDynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  endpoint = await backend.listen();
});
afterAll(() => backend.close());

const table = (name: string) => ({
  TableName: name,
  BillingMode: 'PAY_PER_REQUEST',
  KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: WireError) => error.type,
  );

describe('dynalite in process', () => {
  it('answers as over HTTP: items, errors with their DynamoDB type', async () => {
    await backend.call('CreateTable', table('same'));
    await settle();
    await backend.call('PutItem', { TableName: 'same', Item: { PK: { S: 'a' }, n: { N: '1' } } });
    const direct = await backend.call('GetItem', { TableName: 'same', Key: { PK: { S: 'a' } } });
    const overHttp = await call(endpoint, 'GetItem', { TableName: 'same', Key: { PK: { S: 'a' } } });
    expect(direct).toEqual(overHttp);
    expect(direct).toEqual({ Item: { PK: { S: 'a' }, n: { N: '1' } } });
    const failed = backend.call('PutItem', {
      TableName: 'same',
      Item: { PK: { S: 'a' } },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(await failure(failed)).toBe('ConditionalCheckFailedException');
    expect(await failure(backend.call('GetItem', { TableName: 'same', Key: { nope: { S: 'a' } } }))).toBe(
      'ValidationException',
    );
    expect(await failure(backend.call('TransactWriteItems', {}))).toBe('UnknownOperationException');
  });

  it('does not keep a table description past the table: deleted, recreated with another key', async () => {
    await backend.call('CreateTable', table('changing'));
    await settle();
    await backend.call('PutItem', { TableName: 'changing', Item: { PK: { S: 'a' }, g: { N: '1' } } });
    await backend.call('DeleteTable', { TableName: 'changing' });
    await settle();
    expect(await failure(backend.call('PutItem', { TableName: 'changing', Item: { PK: { S: 'a' } } }))).toBe(
      'ResourceNotFoundException',
    );
    // Recreated with a number key: a string key is refused (a kept description would accept it).
    await backend.call('CreateTable', {
      ...table('changing'),
      AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'N' }],
    });
    await settle();
    expect(await failure(backend.call('PutItem', { TableName: 'changing', Item: { PK: { S: 'a' } } }))).toBe(
      'ValidationException',
    );
    await backend.call('PutItem', { TableName: 'changing', Item: { PK: { N: '1' } } });
    expect(await backend.call('GetItem', { TableName: 'changing', Key: { PK: { N: '1' } } })).toEqual({
      Item: { PK: { N: '1' } },
    });
  });
});
