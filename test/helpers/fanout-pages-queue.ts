/**
 * The local `fanout-pages` queue watched by a test: counts the pages the fan-out queues, and hands the
 * first batch to the consumer twice at the same time, as SQS's at-least-once delivery may.
 * `restore()` puts the queue back.
 */
import type { SQSEvent } from 'aws-lambda';
import type { TestRuntime } from './runtime';

export function duplicateFirstFanoutPage(rt: TestRuntime) {
  const queue = rt.queues.get('fanout-pages')!;
  const original = queue.handler;
  const send = queue.send.bind(queue);
  const watched = {
    pagesSent: 0,
    duplicated: 0,
    restore() {
      queue.handler = original;
      queue.send = send;
    },
  };
  queue.send = async (pages) => {
    watched.pagesSent += pages.length;
    return send(pages);
  };
  queue.handler = async (event: SQSEvent, context) => {
    if (watched.duplicated++ === 0) {
      const [first] = await Promise.all([original(event, context), original(event, context)]);
      return first;
    }
    return original(event, context);
  };
  return watched;
}
