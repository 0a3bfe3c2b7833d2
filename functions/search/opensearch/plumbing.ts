/**
 * What the pieces of the OpenSearch index share: the error every port operation throws (saying what
 * failed and why), reading OpenSearch's error type off a failed request, and a sleep for back-off.
 * Kept apart so the alias, write and query files need not import each other for it.
 */

export type Json = Record<string, unknown>;

/** A failed OpenSearch request, with what OpenSearch said about it. */
export class OpenSearchError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly type: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OpenSearchError';
  }
}

/** Runs one port operation; a client error becomes an OpenSearchError that says what failed and why. */
export async function explained<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const meta = (error as { meta?: { statusCode?: number; body?: unknown } })?.meta;
    if (!meta || error instanceof OpenSearchError) throw error;
    const body = meta.body as
      | { error?: string | { type?: string; reason?: string; root_cause?: { reason?: string }[] } }
      | undefined;
    const detail = typeof body?.error === 'string' ? { reason: body.error } : body?.error;
    const reason = detail?.root_cause?.[0]?.reason ?? detail?.reason ?? (error as Error).message;
    throw new OpenSearchError(
      `OpenSearch ${action} failed (${meta.statusCode ?? 'no status'}${detail?.type ? ` ${detail.type}` : ''}): ${reason}`,
      meta.statusCode,
      detail?.type,
      { cause: error },
    );
  }
}

/** The OpenSearch error type of a failed request (e.g. index_not_found_exception), if it has one. */
export function errorType(error: unknown): string | undefined {
  const body = (error as { meta?: { body?: { error?: { type?: string } } } })?.meta?.body;
  return body?.error?.type;
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((done) => setTimeout(done, ms)) : Promise.resolve();
}
