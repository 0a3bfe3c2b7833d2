/**
 * A queue, its dead-letter queue and the Lambda that consumes it, as every queue of the stack has them
 * (the fan-out pages, the bookmark imports):
 *
 * - both queues encrypted (SQS-managed keys) and refusing plain HTTP; the visibility timeout is six
 *   times the consumer's timeout (AWS's advice for Lambda event sources);
 * - a message that fails `maxReceiveCount` times moves to the dead-letter queue (14 days), which an
 *   operator inspects and redrives (docs/operations.md);
 * - the event source mapping reports partial batch failures;
 * - alarms: any message in the dead-letter queue, the age of the oldest message, whole-invocation errors.
 *
 * It adds its parts to the calling construct under fixed ids (`DeadLetterQueue`, `Queue`, the consumer's
 * id, the three alarms), so the constructs that use it keep their logical ids.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '../../functions/platform/environment';
import { ServiceFunction } from './service-function';

export interface QueueWorkerProps {
  projectRoot: string;
  entry: string;
  table: ITableV2;
  /** The consumer's construct id (`Writer`, `Worker`). */
  consumerId: string;
  description: string;
  serviceName: string;
  timeout: Duration;
  batchSize: number;
  maxConcurrency: number;
  maxReceiveCount: number;
  oldestMessageAlarm: Duration;
  /** Why the dead-letter queue has no redrive policy of its own (cdk-nag). */
  deadLetterReason: string;
  /** Where a message goes after its last failed delivery, for the event source mapping (cdk-nag). */
  parkedReason: string;
  alarmDescriptions: { deadLetter: string; oldestMessage: string; errors: string };
}

export interface QueueWorkerParts {
  queue: Queue;
  deadLetterQueue: Queue;
  consumer: ServiceFunction;
  alarms: Alarm[];
}

export function addQueueWorker(scope: Construct, props: QueueWorkerProps): QueueWorkerParts {
  const deadLetterQueue = new Queue(scope, 'DeadLetterQueue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetterQueue).acknowledge({
    id: 'Serverless-SQSRedrivePolicy',
    reason: props.deadLetterReason,
  });

  const queue = new Queue(scope, 'Queue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(props.timeout.toSeconds() * 6),
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
  });

  const consumer = new ServiceFunction(scope, props.consumerId, {
    entry: props.entry,
    projectRoot: props.projectRoot,
    description: props.description,
    memorySize: 512,
    timeout: props.timeout,
    environment: { [ENV.serviceName]: props.serviceName },
  });
  consumer.bindTable(props.table, 'readWrite');
  consumer.function.addEventSource(
    new SqsEventSource(queue, {
      batchSize: props.batchSize,
      maxBatchingWindow: Duration.seconds(0),
      reportBatchItemFailures: true,
      maxConcurrency: props.maxConcurrency,
    }),
  );
  Validations.of(consumer.function).acknowledge({
    id: 'Serverless-LambdaEventSourceMappingDestination',
    reason: `An SQS event source mapping takes no on-failure destination (streams and Kafka do); the queue's redrive policy is its failure destination: ${props.parkedReason}`,
  });

  const alarms = [
    new Alarm(scope, 'DeadLetterAlarm', {
      alarmDescription: props.alarmDescriptions.deadLetter,
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
    new Alarm(scope, 'OldestMessageAlarm', {
      alarmDescription: props.alarmDescriptions.oldestMessage,
      metric: queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: props.oldestMessageAlarm.toSeconds(),
      evaluationPeriods: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
    new Alarm(scope, 'ErrorsAlarm', {
      alarmDescription: props.alarmDescriptions.errors,
      metric: consumer.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 2,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
  ];
  return { queue, deadLetterQueue, consumer, alarms };
}
