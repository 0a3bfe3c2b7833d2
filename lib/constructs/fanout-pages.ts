/**
 * The fan-out page queue (issue 11, item 3): the notification fan-out writes the first page of an
 * audience from the stream and sends each further page (the event, which subscriber list, the Query
 * cursor) here; the page writer Lambda (functions/streams/fanout-pages-lambda.ts) writes each page with
 * the same conditional inbox writes, so a redelivered message adds nothing.
 *
 * - the queue is encrypted (SQS-managed keys) and refuses plain HTTP; its visibility timeout is six
 *   times the writer's timeout (AWS's advice for Lambda event sources);
 * - a message that fails `maxReceiveCount` times moves to the dead-letter queue (14 days), which an
 *   operator inspects and redrives to the queue (docs/operations.md);
 * - the event source mapping reports partial batch failures, so one failed page is retried alone;
 * - only the fan-out is granted SendMessage (`grantSend`), only the page writer receives and deletes;
 * - alarms: any message in the dead-letter queue, and the age of the oldest message (pages waiting).
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../functions/platform/environment';
import { ServiceFunction } from './service-function';

export interface FanoutPagesProps {
  projectRoot: string;
  /** functions/streams/fanout-pages-lambda.ts */
  entry: string;
  table: ITableV2;
  /** Deliveries of a page before it is parked in the dead-letter queue. @default 5 */
  maxReceiveCount?: number;
  /** Oldest message age that raises the alarm. @default 5 minutes */
  oldestMessageAlarm?: Duration;
}

export class FanoutPages extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly writer: ServiceFunction;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: FanoutPagesProps) {
    super(scope, id);
    const timeout = Duration.seconds(60);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const reason =
      'This queue is the dead-letter queue of the fan-out page queue, the end of the line: its messages stay 14 days for an operator to inspect and redrive, and its depth raises an alarm.';
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason });

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    this.writer = new ServiceFunction(this, 'Writer', {
      entry: props.entry,
      projectRoot: props.projectRoot,
      description: 'Commonplace notification fan-out pages (queued pages of a large audience to inbox items)',
      memorySize: 512,
      timeout,
      environment: { [ENV.serviceName]: 'commonplace-fanout-pages' },
    });
    // Reads spaces, members, subscribers and profiles; writes inbox items (and a comment's feed items).
    this.writer.bindTable(props.table, 'readWrite');
    const eventSource = new SqsEventSource(this.queue, {
      batchSize: 10,
      maxBatchingWindow: Duration.seconds(0),
      reportBatchItemFailures: true,
      maxConcurrency: 10,
    });
    this.writer.function.addEventSource(eventSource);
    Validations.of(this.writer.function).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        "An SQS event source mapping takes no on-failure destination (streams and Kafka do); the queue's redrive policy is its failure destination: after maxReceiveCount deliveries a page moves to the dead-letter queue, which raises an alarm.",
    });

    this.alarms = [
      new Alarm(this, 'DeadLetterAlarm', {
        alarmDescription:
          'Fan-out pages failed every delivery and were parked: their recipients were not notified. Inspect the dead-letter queue and redrive it.',
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'OldestMessageAlarm', {
        alarmDescription: 'Fan-out pages are waiting: notifications of a large audience are late.',
        metric: this.queue.metricApproximateAgeOfOldestMessage({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
        threshold: (props.oldestMessageAlarm ?? Duration.minutes(5)).toSeconds(),
        evaluationPeriods: 5,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'ErrorsAlarm', {
        alarmDescription:
          'The fan-out page writer failed whole invocations (crashes or timeouts) in two five-minute periods running.',
        metric: this.writer.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
  }

  /** The one sender: the fan-out (SendMessage only; the queue URL goes into its environment). */
  grantSend(sender: IGrantable) {
    this.queue.grantSendMessages(sender);
  }
}
