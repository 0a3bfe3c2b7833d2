/** The real AWS calls behind redrive.ts: SQS, DynamoDB Streams and Lambda over signed JSON requests. */
import type { DynamoDBRecord } from 'aws-lambda';
import type { RedrivePorts, StreamBatchInfo } from './redrive';
import { StreamTrimmed } from './redrive';
import { AwsCallError, createSignedJsonClient } from './signed-json';

export function awsRedrivePorts(): RedrivePorts {
  const call = createSignedJsonClient();
  const sqs = (action: string, body: unknown) =>
    call({ service: 'sqs', target: `AmazonSQS.${action}`, body });
  const streams = (action: string, body: unknown) =>
    call({
      service: 'dynamodb',
      hostPrefix: 'streams.dynamodb',
      target: `DynamoDBStreams_20120810.${action}`,
      body,
    });
  return {
    async receive(queueUrl) {
      const { body } = await sqs('ReceiveMessage', {
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 120,
      });
      return (body.Messages ?? []).map((m: any) => ({
        messageId: m.MessageId,
        receiptHandle: m.ReceiptHandle,
        body: m.Body,
      }));
    },
    async remove(queueUrl, receiptHandle) {
      await sqs('DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: receiptHandle });
    },
    async readStream(batch: StreamBatchInfo) {
      let iterator: string | undefined;
      try {
        ({
          body: { ShardIterator: iterator },
        } = await streams('GetShardIterator', {
          StreamArn: batch.streamArn,
          ShardId: batch.shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: batch.startSequenceNumber,
        }));
      } catch (error) {
        if (error instanceof AwsCallError && /Trimmed|ResourceNotFound/.test(error.type))
          throw new StreamTrimmed(error.message);
        throw error;
      }
      const end = BigInt(batch.endSequenceNumber);
      const records: DynamoDBRecord[] = [];
      for (let emptyPolls = 0; iterator && emptyPolls < 5; ) {
        const { body } = await streams('GetRecords', { ShardIterator: iterator, Limit: 1000 });
        const page = (body.Records ?? []) as DynamoDBRecord[];
        if (page.length === 0) emptyPolls++;
        for (const record of page) {
          if (BigInt(record.dynamodb?.SequenceNumber ?? '0') > end) return records;
          records.push(record);
        }
        if (records.at(-1)?.dynamodb?.SequenceNumber === batch.endSequenceNumber) return records;
        iterator = body.NextShardIterator;
      }
      return records;
    },
    async invoke(functionName, event) {
      const { body, headers } = await call({
        service: 'lambda',
        path: `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
        body: event,
      });
      if (headers.get('x-amz-function-error')) throw new Error(`function error: ${JSON.stringify(body)}`);
      return body;
    },
    async startMove(deadLetterQueueArn) {
      try {
        await sqs('StartMessageMoveTask', { SourceArn: queueArn(deadLetterQueueArn) });
        return 'started';
      } catch (error) {
        if (error instanceof AwsCallError && /already|running/i.test(error.message)) return 'already running';
        throw error;
      }
    },
  };
}

/** A queue's ARN from its URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`); an ARN stays. */
export function queueArn(urlOrArn: string): string {
  if (urlOrArn.startsWith('arn:')) return urlOrArn;
  const url = new URL(urlOrArn);
  const region = url.hostname.split('.')[1];
  const [, account, name] = url.pathname.split('/');
  return `arn:aws:sqs:${region}:${account}:${name}`;
}
