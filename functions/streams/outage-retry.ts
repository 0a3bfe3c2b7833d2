/**
 * Waiting out an outage inside one invocation, for both consumer shapes (stream-consumer.ts,
 * queue-consumer.ts). When every record of a batch of two or more fails for one and the same reason,
 * it is not a bad record but something the records all need that is down (the search index, the
 * table, the mail service): bisecting or retrying record by record would only spend the retries and
 * fill the failure destination. So the whole batch is retried after a pause that doubles, for as long
 * as the invocation's remaining time allows (within a budget); if the outage outlasts that, every
 * record is reported failed and the event source mapping retries the whole batch again (locally it
 * keeps backing off; local/dynamodb/event-source-mapping.ts). A batch where only some records fail
 * is answered at once, so a bad record is retried and set aside alone.
 */
import type { Context } from 'aws-lambda';
import { logger } from '../platform/logger';

export interface OutageRetryOptions {
  /** The most time spent waiting inside one invocation. @default 10 s */
  budgetMs?: number;
  /** The first pause; each next one doubles, up to maxDelayMs. @default 250 ms */
  firstDelayMs?: number;
  /** @default 4 s */
  maxDelayMs?: number;
}

/** What one attempt at a batch came to: its answer, and the one reason every record failed for, if so. */
export interface BatchAttempt<Answer> {
  answer: Answer;
  /** Set when every record (of two or more) failed, all for this same reason. */
  outage?: string;
}

/** Time kept back for answering after the last attempt. */
const ANSWER_MARGIN_MS = 5_000;

/**
 * Runs `attempt` and, while it reports an outage, pauses and runs it again within the budget and the
 * invocation's remaining time (a context without a deadline gets no waiting). Returns the last answer.
 */
export async function retryWholeBatchWhileDown<Answer>(
  consumer: string,
  context: Context,
  attempt: () => Promise<BatchAttempt<Answer>>,
  options: OutageRetryOptions = {},
): Promise<Answer> {
  const started = Date.now();
  const budget = options.budgetMs ?? 10_000;
  let delay = options.firstDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 4_000;
  for (let round = 1; ; round++) {
    const { answer, outage } = await attempt();
    if (!outage) return answer;
    const remaining =
      typeof context?.getRemainingTimeInMillis === 'function'
        ? context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS
        : 0;
    const left = Math.min(budget - (Date.now() - started), remaining);
    if (left < delay) {
      logger.warn('every record of the batch failed for one reason; handing it back to be retried', {
        consumer,
        reason: outage,
        rounds: round,
      });
      return answer;
    }
    logger.info('every record of the batch failed for one reason; retrying the whole batch', {
      consumer,
      reason: outage,
      round,
      pauseMs: delay,
    });
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, maxDelay);
  }
}

/** One failure reason, as compared between records ("same reason" = same error name and message). */
export function failureReason(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The one reason shared by every record of the batch (two or more), or undefined. */
export function sharedReason(recordCount: number, reasons: string[]): string | undefined {
  if (recordCount < 2 || reasons.length !== recordCount) return undefined;
  return reasons.every((reason) => reason === reasons[0]) ? reasons[0] : undefined;
}
