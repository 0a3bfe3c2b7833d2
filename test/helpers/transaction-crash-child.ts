/**
 * A child process for test/local/transaction-crash.test.ts: dynalite on a data folder behind the local
 * DynamoDB front, one TransactWriteItems through the front, and a real `kill -9` of this process at
 * the point of the transaction named on the command line (or none).
 *
 *   tsx test/helpers/transaction-crash-child.ts <data folder> <table> <point | none> <transaction JSON>
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import dynalite from 'dynalite';
import { DynamoDbFront } from '../../local/dynamodb/dynamodb-front';
import { call } from '../../local/dynamodb/wire';

const [dataDir, , crashAt, transaction] = process.argv.slice(2);
const backend = dynalite({ path: path.join(dataDir, 'dynamodb'), createTableMs: 0 });
await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
const front = new DynamoDbFront({
  backend: new URL(`http://127.0.0.1:${(backend.address() as AddressInfo).port}`),
  stateDirectory: path.join(dataDir, 'stream'),
  transactionStep: (point) => {
    if (point === crashAt) process.kill(process.pid, 'SIGKILL');
  },
});
const endpoint = await front.listen();
await call(endpoint, 'TransactWriteItems', JSON.parse(transaction));
process.stdout.write('committed\n');
process.exit(0);
