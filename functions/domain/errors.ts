/**
 * Domain errors: the domain throws these, the API maps them to problem+json in one place
 * (functions/api/problem.ts). Each carries a stable `type` slug that clients may switch on.
 */
/**
 * `field` is the precise path (`json.tags.2`); `message` the terse reason; `detail` the same in a
 * sentence a person can act on, which clients show next to the field.
 */
export type FieldIssue = { field: string; message: string; detail?: string };

export class DomainError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422,
    readonly type: string,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super(404, 'not-found', 'Not found', `${what} does not exist or you cannot see it`);
  }
}

/**
 * Something the request names in its body does not exist (the comment replied to, the parent page, a
 * partner organisation): the request is well formed, what it points at is missing, so 404 with the field.
 */
export class MissingReference extends DomainError {
  constructor(detail: string, errors: FieldIssue[]) {
    super(404, 'not-found', 'Not found', detail, { errors: explained(detail, errors) });
  }
}

export class Forbidden extends DomainError {
  constructor(detail: string) {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}

export class Unauthenticated extends DomainError {
  constructor(detail = 'A valid bearer token is required') {
    super(401, 'unauthenticated', 'Unauthenticated', detail);
  }
}

/** A write based on a version that is no longer current. */
export class EditConflict extends DomainError {
  constructor(what: string, currentVersion: number) {
    super(409, 'edit-conflict', 'Edit conflict', `${what} was changed by someone else since you loaded it`, {
      currentVersion,
    });
  }
}

/**
 * A well-formed request that the current state does not allow (a page below itself, a personal blog's
 * audience, following yourself): 409, with the field it is about when there is one. Input that no
 * state would accept is InvalidInput (400) and belongs in the request schema.
 */
export class Conflict extends DomainError {
  constructor(detail: string, errors: FieldIssue[] = []) {
    super(409, 'conflict', 'Conflict', detail, errors.length ? { errors: explained(detail, errors) } : {});
  }
}

export class InvalidInput extends DomainError {
  constructor(detail: string, errors: FieldIssue[] = []) {
    super(400, 'validation', 'Invalid request', detail, { errors: explained(detail, errors) });
  }
}

/** The sentence that explains the whole error explains each field too, unless one has its own. */
function explained(detail: string, errors: FieldIssue[]): FieldIssue[] {
  const sentence = /[.!?]$/.test(detail) ? detail : `${detail}.`;
  return errors.map((issue) => ({ ...issue, detail: issue.detail ?? sentence }));
}
