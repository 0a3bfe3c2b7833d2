/**
 * `npm run redrive`: the operator's redrive of the failure queues of a deployment (the local runtime's
 * counterpart is `npm run replay`). Idempotent: run it again and it finds nothing more to do.
 *
 *   npm run redrive -- --failure-queue <queue URL> --function <consumer function name>   (repeatable)
 *   npm run redrive -- --dlq <dead-letter queue URL or ARN>                               (repeatable)
 *
 * Uses the operator's AWS credentials and AWS_REGION. docs/operations.md says where to find the names.
 */

import { redriveStreamFailures } from './aws/redrive';
import { awsRedrivePorts } from './aws/redrive-ports';

const args = process.argv.slice(2);
const values = (flag: string) => args.flatMap((arg, i) => (arg === flag && args[i + 1] ? [args[i + 1]] : []));
const queues = values('--failure-queue');
const functions = values('--function');
const deadLetterQueues = values('--dlq');
if ((queues.length === 0 && deadLetterQueues.length === 0) || queues.length !== functions.length) {
  console.error(
    'usage: npm run redrive -- --failure-queue <queue URL> --function <function name> [...]  |  --dlq <dead-letter queue URL or ARN>',
  );
  process.exit(2);
}
const ports = awsRedrivePorts();
let failing = 0;
for (const [i, queueUrl] of queues.entries()) {
  const outcome = await redriveStreamFailures(ports, queueUrl, functions[i], (line) =>
    console.log(`  ${line}`),
  );
  console.log(
    `${functions[i]}: ${outcome.replayed} batches replayed, ${outcome.stillFailing} still failing, ` +
      `${outcome.expired} past the stream's retention, ${outcome.unreadable} unreadable`,
  );
  failing += outcome.stillFailing + outcome.unreadable;
}
for (const arn of deadLetterQueues) {
  console.log(`${arn}: message move ${await ports.startMove(arn)}`);
}
if (failing) process.exitCode = 1;
