/**
 * The stream consumers the local runtime runs: the same handler functions the CDK stack wires to the
 * DynamoDB stream, with the same batching and retry settings. None ship yet; search indexing (the
 * first consumer) is added with the search module.
 */
import type { EventSourceMappingOptions } from './dynamodb/event-source-mapping';

export function localStreamConsumers(): Omit<EventSourceMappingOptions, 'checkpointDirectory'>[] {
  return [];
}
