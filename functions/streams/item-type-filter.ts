/**
 * Which records reach a consumer: those whose item has one of its `type`s. In AWS this is the event
 * source mapping's filter (evaluated by Lambda, so filtered records cost no invocation); the local
 * event source mapping applies `recordHasItemType`, built from the same list, so both deliver the same
 * records. A REMOVE has only the old image, an INSERT only the new one.
 */
import type { DynamoDBRecord } from 'aws-lambda';

export function recordItemType(record: Pick<DynamoDBRecord, 'dynamodb'>): string | undefined {
  const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
  return image?.type?.S;
}

export function recordHasItemType(record: Pick<DynamoDBRecord, 'dynamodb'>, itemTypes: readonly string[]) {
  const type = recordItemType(record);
  return type !== undefined && itemTypes.includes(type);
}

/**
 * The Lambda filter patterns for the same rule (each one pattern of `FilterCriteria`; a record passes
 * when any matches): the new image's type for inserts and modifications, the old image's for removals.
 */
export function itemTypeFilterPatterns(itemTypes: readonly string[]): Record<string, unknown>[] {
  return [
    { dynamodb: { NewImage: { type: { S: [...itemTypes] } } } },
    { eventName: ['REMOVE'], dynamodb: { OldImage: { type: { S: [...itemTypes] } } } },
  ];
}
