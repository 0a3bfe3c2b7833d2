/**
 * What the table adapter reports, in its own terms: the domain decides what a cancelled transaction
 * means, and the HTTP layer (functions/api/problem.ts) maps the other two to 400 and 413.
 */

/** Raised when a transaction is cancelled; `reasons[i]` is the code for the i-th item ('None' if fine). */
export class TransactionFailed extends Error {
  constructor(readonly reasons: string[]) {
    super(`transaction cancelled: ${reasons.join(', ')}`);
  }
  failedAt(index: number) {
    return this.reasons[index] === 'ConditionalCheckFailed';
  }
}

/** A list cursor that this list did not hand out (tampered, from another list, or malformed). */
export class InvalidCursor extends Error {
  constructor() {
    super('The cursor is not valid for this list');
  }
}

/** An item over DynamoDB's 400 KB limit, counted in UTF-8 bytes as DynamoDB counts them. */
export class ItemTooLarge extends Error {}
