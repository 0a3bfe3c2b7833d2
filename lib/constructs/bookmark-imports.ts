/**
 * The bookmark import queue (issue 12): the bookmarks API queues one message per import job; the worker
 * Lambda (functions/streams/bookmark-import-lambda.ts) writes the job's links in chunks from the job's
 * recorded position and, past its time budget, sends itself the next part. As lib/constructs/fanout-pages.ts:
 *
 * - the queue is encrypted (SQS-managed keys) and refuses plain HTTP; its visibility timeout is six
 *   times the worker's timeout (AWS's advice for Lambda event sources) — a crashed part of a job is
 *   picked up again after it and resumes from the recorded position;
 * - a message that fails `maxReceiveCount` times moves to the dead-letter queue (14 days); a redrive
 *   resumes the job where it stopped (docs/operations.md);
 * - the event source mapping reports partial batch failures (batches of one: a part runs ~80 s);
 * - the worker's role reaches the table, this queue (receive, delete, and send for the next part) and
 *   the upload objects (granted by the Files construct: read and delete `uploads/*`), nothing else;
 * - alarms: any message in the dead-letter queue, the age of the oldest message, whole-invocation errors.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BOOKMARK_IMPORT_QUEUE_URL_ENV } from '../../functions/domain/bookmarks/import-job';
import { ENV } from '../../functions/platform/environment';
import { ServiceFunction } from './service-function';

export interface BookmarkImportsProps {
  projectRoot: string;
  /** functions/streams/bookmark-import-lambda.ts */
  entry: string;
  table: ITableV2;
  /** Deliveries of a message before it is parked in the dead-letter queue. @default 5 */
  maxReceiveCount?: number;
  /** Oldest message age that raises the alarm. @default 15 minutes */
  oldestMessageAlarm?: Duration;
}

export class BookmarkImports extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly worker: ServiceFunction;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: BookmarkImportsProps) {
    super(scope, id);
    const timeout = Duration.seconds(120);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is the dead-letter queue of the bookmark import queue, the end of the line: its messages stay 14 days for an operator to inspect and redrive (the job resumes from its position), and its depth raises an alarm.',
    });

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    this.worker = new ServiceFunction(this, 'Worker', {
      entry: props.entry,
      projectRoot: props.projectRoot,
      description: 'Commonplace bookmark import worker (queued import jobs, in chunks, resumable)',
      memorySize: 512,
      timeout,
      environment: {
        [ENV.serviceName]: 'commonplace-bookmark-import',
        [BOOKMARK_IMPORT_QUEUE_URL_ENV]: this.queue.queueUrl,
      },
    });
    // Reads the job and which links are mine already; writes saves, counters and the job's progress.
    this.worker.bindTable(props.table, 'readWrite');
    this.worker.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 1,
        maxBatchingWindow: Duration.seconds(0),
        reportBatchItemFailures: true,
        maxConcurrency: 5,
      }),
    );
    // The next part of a long job.
    this.queue.grantSendMessages(this.worker.function);
    Validations.of(this.worker.function).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        "An SQS event source mapping takes no on-failure destination (streams and Kafka do); the queue's redrive policy is its failure destination: after maxReceiveCount deliveries a job's message moves to the dead-letter queue, which raises an alarm.",
    });

    this.alarms = [
      new Alarm(this, 'DeadLetterAlarm', {
        alarmDescription:
          'A bookmark import failed every delivery and was parked: its owner sees it running without progress. Inspect the dead-letter queue and redrive it (the job resumes where it stopped).',
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
        alarmDescription: 'Bookmark imports are waiting: people see their import queued without progress.',
        metric: this.queue.metricApproximateAgeOfOldestMessage({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
        threshold: (props.oldestMessageAlarm ?? Duration.minutes(15)).toSeconds(),
        evaluationPeriods: 5,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'ErrorsAlarm', {
        alarmDescription:
          'The bookmark import worker failed whole invocations (crashes or timeouts) in two five-minute periods running.',
        metric: this.worker.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
  }

  /** The bookmarks API Lambda: queues new jobs (SendMessage only; the queue URL goes into its environment). */
  allowStarting(handler: ServiceFunction) {
    this.queue.grantSendMessages(handler.function);
    handler.function.addEnvironment(BOOKMARK_IMPORT_QUEUE_URL_ENV, this.queue.queueUrl);
  }
}
