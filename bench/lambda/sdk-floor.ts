/**
 * The floor every DynamoDB Lambda pays: one GetItem through lib-dynamodb, bundled exactly like the
 * stack's Lambdas. `npm run bench:load` measures each Lambda against this (budget: ≤ 1.5×).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: { id: string }) =>
  (
    await documents.send(
      new GetCommand({ TableName: process.env.TABLE_NAME, Key: { PK: event.id, SK: event.id } }),
    )
  ).Item;
