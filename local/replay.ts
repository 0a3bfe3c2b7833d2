/**
 * `npm run replay`: replays every batch in the local stream's failure destination through its
 * consumer (the running `npm start`), oldest first. A batch that now succeeds is removed; one that
 * still fails stays, with its error. Idempotent: consumers tolerate a record twice, and a second run
 * finds nothing left to replay. In AWS the failure queues are redriven with `npm run redrive`.
 */
const url = `http://127.0.0.1:${process.env.PORT ?? 3000}/_local/stream/failures/replay-all`;
const response = await fetch(url, { method: 'POST' }).catch(() => {
  console.error(`Cannot reach the local runtime at ${url}. Is \`npm start\` running?`);
  process.exit(1);
});
const { replayed, stillFailing } = (await response.json()) as { replayed: number; stillFailing: number };
console.log(
  replayed + stillFailing === 0
    ? 'Nothing to replay: the failure destination is empty.'
    : `Replayed ${replayed} failed batch(es); ${stillFailing} still failing (see GET /_local/stream/failures).`,
);
if (stillFailing) process.exitCode = 1;

export {};
