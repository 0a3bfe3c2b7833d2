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
import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BOOKMARK_IMPORT_QUEUE_URL_ENV } from '../../functions/domain/bookmarks/import-job';
import { addQueueWorker } from './queue-worker';
import type { ServiceFunction } from './service-function';

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
    const parts = addQueueWorker(this, {
      projectRoot: props.projectRoot,
      entry: props.entry,
      // Reads the job and which links are mine already; writes saves, counters and the job's progress.
      table: props.table,
      consumerId: 'Worker',
      description: 'Commonplace bookmark import worker (queued import jobs, in chunks, resumable)',
      serviceName: 'commonplace-bookmark-import',
      timeout: Duration.seconds(120),
      batchSize: 1,
      maxConcurrency: 5,
      maxReceiveCount: props.maxReceiveCount ?? 5,
      oldestMessageAlarm: props.oldestMessageAlarm ?? Duration.minutes(15),
      deadLetterReason:
        'This queue is the dead-letter queue of the bookmark import queue, the end of the line: its messages stay 14 days for an operator to inspect and redrive (the job resumes from its position), and its depth raises an alarm.',
      parkedReason:
        "after maxReceiveCount deliveries a job's message moves to the dead-letter queue, which raises an alarm.",
      alarmDescriptions: {
        deadLetter:
          'A bookmark import failed every delivery and was parked: its owner sees it running without progress. Inspect the dead-letter queue and redrive it (the job resumes where it stopped).',
        oldestMessage: 'Bookmark imports are waiting: people see their import queued without progress.',
        errors:
          'The bookmark import worker failed whole invocations (crashes or timeouts) in two five-minute periods running.',
      },
    });
    this.queue = parts.queue;
    this.deadLetterQueue = parts.deadLetterQueue;
    this.worker = parts.consumer;
    this.alarms = parts.alarms;
    this.worker.function.addEnvironment(BOOKMARK_IMPORT_QUEUE_URL_ENV, this.queue.queueUrl);
    // The next part of a long job.
    this.queue.grantSendMessages(this.worker.function);
  }

  /** The bookmarks API Lambda: queues new jobs (SendMessage only; the queue URL goes into its environment). */
  allowStarting(handler: ServiceFunction) {
    this.queue.grantSendMessages(handler.function);
    handler.function.addEnvironment(BOOKMARK_IMPORT_QUEUE_URL_ENV, this.queue.queueUrl);
  }
}
