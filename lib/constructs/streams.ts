/**
 * The table stream's consumers, all wired alike (the indexer and the fan-out): each reads only the
 * records of its item types (an event filter built by functions/streams/item-type-filter.ts), the stream
 * through an event source mapping that reports partial batch failures, bisects a failing batch, retries
 * a bounded number of times, drops records older than a bound, and then hands what it could not process
 * to its own encrypted SQS on-failure queue, which an operator inspects and replays. Each consumer has
 * alarms on iterator age (falling behind), on its failure queue and on its errors.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../functions/platform/environment';
import { itemTypeFilterPatterns } from '../../functions/streams/item-type-filter';
import { ServiceFunction, type TableAccess } from './service-function';

/** Upper bound on retries of a failing batch; more only delays the hand-off to the failure queue. */
export const MAX_RETRY_ATTEMPTS = 10;

export interface StreamConsumerProps {
  /** Construct id and name stem, e.g. `Indexer`. */
  id: string;
  /** Entry file exporting `handler(DynamoDBStreamEvent): DynamoDBBatchResponse`. */
  entry: string;
  /**
   * The item types the consumer reads (its StreamConsumer's `itemTypes`): the event source mapping
   * filters on them, so the function is never invoked for other items.
   */
  itemTypes: readonly string[];
  description: string;
  /** What the consumer may do on the table beyond reading the stream. @default no table access */
  tableAccess?: TableAccess;
  environment?: Record<string, string>;
  /** @default 100 */
  batchSize?: number;
  /** @default 1 second: a change is picked up within about a second (write → searchable budget). */
  maxBatchingWindow?: Duration;
  /** @default 5 (at most MAX_RETRY_ATTEMPTS) */
  retryAttempts?: number;
  /** Records older than this go to the failure queue unprocessed. @default 1 day */
  maxRecordAge?: Duration;
  /** @default 1 (keeps per-key order simple; raise for throughput) */
  parallelizationFactor?: number;
  /** @default 512 */
  memorySize?: number;
  /** @default 60 seconds */
  timeout?: Duration;
  /** Iterator age that raises the alarm. @default 5 minutes */
  iteratorAgeAlarm?: Duration;
}

export interface StreamConsumer {
  readonly handler: ServiceFunction;
  readonly failureQueue: Queue;
  readonly eventSource: DynamoEventSource;
  readonly alarms: Alarm[];
}

export interface StreamsProps {
  projectRoot: string;
  table: ITableV2;
  consumers: StreamConsumerProps[];
}

export class Streams extends Construct {
  readonly consumers: Readonly<Record<string, StreamConsumer>>;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: StreamsProps) {
    super(scope, id);
    if (!props.table.tableStreamArn)
      throw new Error('The table has no stream: consumers have nothing to read');

    const consumers: Record<string, StreamConsumer> = {};
    for (const consumer of props.consumers) {
      if (consumers[consumer.id]) throw new Error(`Stream consumer ${consumer.id} is declared twice`);
      consumers[consumer.id] = this.addConsumer(props, consumer);
    }
    this.consumers = consumers;
    this.alarms = Object.values(consumers).flatMap((c) => c.alarms);
  }

  private addConsumer(props: StreamsProps, consumer: StreamConsumerProps): StreamConsumer {
    const scope = new Construct(this, consumer.id);
    const retryAttempts = consumer.retryAttempts ?? 5;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > MAX_RETRY_ATTEMPTS) {
      throw new Error(
        `Stream consumer ${consumer.id}: retryAttempts must be an integer from 0 to ${MAX_RETRY_ATTEMPTS}`,
      );
    }

    const handler = new ServiceFunction(scope, 'Handler', {
      entry: consumer.entry,
      projectRoot: props.projectRoot,
      description: consumer.description,
      memorySize: consumer.memorySize ?? 512,
      timeout: consumer.timeout ?? Duration.seconds(60),
      environment: {
        [ENV.serviceName]: `commonplace-${consumer.id.toLowerCase()}`,
        ...consumer.environment,
      },
    });
    if (consumer.tableAccess) handler.bindTable(props.table, consumer.tableAccess);

    // Holds the *descriptions* of failed batches (shard, sequence numbers), not the records: the
    // operator reads the records back from the stream, or from the table, to replay them.
    const failureQueue = new Queue(scope, 'FailureQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    const queueReason =
      'This queue is itself the on-failure destination of the stream mapping, the end of the line: its messages stay 14 days for an operator to inspect and replay, and its depth raises an alarm.';
    Validations.of(failureQueue).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: queueReason },
      { id: 'Serverless-SQSRedrivePolicy', reason: queueReason },
    );

    const eventSource = new DynamoEventSource(props.table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: consumer.batchSize ?? 100,
      maxBatchingWindow: consumer.maxBatchingWindow ?? Duration.seconds(1),
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts,
      maxRecordAge: consumer.maxRecordAge ?? Duration.days(1),
      parallelizationFactor: consumer.parallelizationFactor ?? 1,
      onFailure: new SqsDlq(failureQueue),
      filters: itemTypeFilterPatterns(consumer.itemTypes).map((pattern) => FilterCriteria.filter(pattern)),
    });
    handler.function.addEventSource(eventSource);

    const fn = handler.function;
    const alarms = [
      new Alarm(scope, 'IteratorAgeAlarm', {
        alarmDescription: `${consumer.id} is falling behind the table stream (derived data is getting stale).`,
        metric: fn.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: (consumer.iteratorAgeAlarm ?? Duration.minutes(5)).toMilliseconds(),
        evaluationPeriods: 5,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(scope, 'FailureQueueAlarm', {
        alarmDescription: `${consumer.id} gave up on stream records: see its failure queue and replay them.`,
        metric: failureQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(scope, 'ErrorsAlarm', {
        alarmDescription: `${consumer.id} failed whole invocations (crashes or timeouts) in two five-minute periods running.`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
    return { handler, failureQueue, eventSource, alarms };
  }
}
