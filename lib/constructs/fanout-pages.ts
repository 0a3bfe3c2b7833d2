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
import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { addQueueWorker } from './queue-worker';
import type { ServiceFunction } from './service-function';

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
    const parts = addQueueWorker(this, {
      projectRoot: props.projectRoot,
      entry: props.entry,
      // Reads spaces, members, subscribers and profiles; writes inbox items (and a comment's feed items).
      table: props.table,
      consumerId: 'Writer',
      description: 'Commonplace notification fan-out pages (queued pages of a large audience to inbox items)',
      serviceName: 'commonplace-fanout-pages',
      timeout: Duration.seconds(60),
      batchSize: 10,
      maxConcurrency: 10,
      maxReceiveCount: props.maxReceiveCount ?? 5,
      oldestMessageAlarm: props.oldestMessageAlarm ?? Duration.minutes(5),
      deadLetterReason:
        'This queue is the dead-letter queue of the fan-out page queue, the end of the line: its messages stay 14 days for an operator to inspect and redrive, and its depth raises an alarm.',
      parkedReason:
        'after maxReceiveCount deliveries a page moves to the dead-letter queue, which raises an alarm.',
      alarmDescriptions: {
        deadLetter:
          'Fan-out pages failed every delivery and were parked: their recipients were not notified. Inspect the dead-letter queue and redrive it.',
        oldestMessage: 'Fan-out pages are waiting: notifications of a large audience are late.',
        errors:
          'The fan-out page writer failed whole invocations (crashes or timeouts) in two five-minute periods running.',
      },
    });
    this.queue = parts.queue;
    this.deadLetterQueue = parts.deadLetterQueue;
    this.writer = parts.consumer;
    this.alarms = parts.alarms;
  }

  /** The one sender: the fan-out (SendMessage only; the queue URL goes into its environment). */
  grantSend(sender: IGrantable) {
    this.queue.grantSendMessages(sender);
  }
}
