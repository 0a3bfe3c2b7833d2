/**
 * One way every form shows what is wrong: a sentence under the field (from the check made before
 * sending, or from the API's problem details), the field marked invalid, a summary at the bottom
 * that says nothing was saved, and each message gone as soon as its field changes.
 *
 * Long text is never cut: fields show their size against the limit, and the form refuses to send
 * while one is over it (a `maxLength` would silently drop the end of a paste).
 */
import { useState } from 'react';
import { type ApiError, type FieldIssue, isApiError } from '../api/client';

/** `json.tags.2` → `tags.2`; matched against a form's field names. */
const fieldOf = (issue: FieldIssue) => issue.field.replace(/^(body|json|query|param)\./, '');
const belongsTo = (issue: FieldIssue, field: string) => {
  const name = fieldOf(issue);
  return name === field || name.startsWith(`${field}.`);
};

export interface FieldErrors {
  /** The sentence to show under a field, if any. */
  of(field: string): string | undefined;
  /** aria-invalid and aria-describedby for a field's control, with its hint ids first. */
  describe(field: string, ...hints: (string | false | undefined)[]): FieldAria;
  /** The field changed: its message goes away. */
  changed(field: string): void;
  /** Shows these issues found before sending; true when there are none. */
  check(issues: FieldIssue[]): boolean;
  /** Every issue still shown, for the summary. */
  issues: FieldIssue[];
}

export interface FieldAria {
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

/**
 * `ids` maps the form's field names to the ids of their controls (the error's id is `<id>-error`).
 * `error` is the last save's error; its field issues replace whatever was shown before.
 */
export function useFieldErrors(ids: Record<string, string>, error: unknown): FieldErrors {
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [shownFor, setShownFor] = useState<unknown>(error);
  if (error !== shownFor) {
    // A new answer from the server: adjust during render so the old messages never flash.
    setShownFor(error);
    setIssues(isApiError(error) ? error.errors : []);
  }
  const of = (field: string) => {
    const issue = issues.find((candidate) => belongsTo(candidate, field));
    return issue && (issue.detail ?? issue.message);
  };
  return {
    of,
    describe(field, ...hints) {
      const invalid = of(field) !== undefined;
      const described = [...hints.filter(Boolean), invalid && `${ids[field]}-error`].filter(Boolean);
      return {
        'aria-invalid': invalid,
        ...(described.length ? { 'aria-describedby': described.join(' ') } : {}),
      };
    },
    changed(field) {
      if (issues.some((issue) => belongsTo(issue, field)))
        setIssues(issues.filter((issue) => !belongsTo(issue, field)));
    },
    check(found) {
      setIssues(found);
      return found.length === 0;
    },
    issues,
  };
}

/** The message under a field; renders nothing when the field is fine. */
export function FieldError({ errors, field, id }: { errors: FieldErrors; field: string; id: string }) {
  const message = errors.of(field);
  if (!message) return null;
  return (
    <p id={`${id}-error`} className="error-text small field-error">
      {message}
    </p>
  );
}

const number = (n: number) => n.toLocaleString('en');

/** "The text is too long: …" when over the limit, else nothing; the same sentence the counter shows. */
export function lengthIssue(field: string, label: string, value: string, limit: number): FieldIssue[] {
  if (value.length <= limit) return [];
  return [
    {
      field,
      message: 'too long',
      detail: `The ${label} is too long: ${number(value.length)} characters, at most ${number(limit)}. Shorten it to save; nothing was cut.`,
    },
  ];
}

/** "The title cannot be empty." for a field left blank. */
export function requiredIssue(field: string, label: string, value: string): FieldIssue[] {
  return value.trim() ? [] : [{ field, message: 'required', detail: `The ${label} cannot be empty.` }];
}

/**
 * The size of a field against its limit. Always shown for long text (`always`), otherwise only near
 * the limit; over it, it says so in words and is announced.
 */
export function LengthMeter({
  id,
  value,
  limit,
  always = false,
}: {
  id: string;
  value: string;
  limit: number;
  always?: boolean;
}) {
  const over = value.length > limit;
  if (!always && !over && value.length < limit * 0.9) return null;
  return (
    <p
      id={id}
      className={`small length-meter ${over ? 'error-text' : 'muted'}`}
      role={over ? 'status' : undefined}
    >
      {over
        ? `${number(value.length)} of ${number(limit)} characters: ${number(value.length - limit)} over the limit`
        : `${number(value.length)} of ${number(limit)} characters`}
    </p>
  );
}

/**
 * What went wrong with a save, under the form: the fields that need attention (linked to them), or
 * the reason the server gave. Renders nothing once every field message has been dealt with.
 */
export function SaveError({
  error,
  errors,
  ids,
  kept,
  verb = 'saved',
}: {
  error: ApiError | null;
  errors: FieldErrors;
  ids: Record<string, string>;
  /** What happened to the person's text, e.g. "Your text is still here." */
  kept?: string;
  verb?: string;
}) {
  const fieldIssues = errors.issues;
  if (!fieldIssues.length && (!error || isApiError(error, 'validation'))) return null;
  return (
    <div role="alert" className="notice notice-error save-error">
      {fieldIssues.length ? (
        <>
          <p>
            Not {verb}: {fieldIssues.length === 1 ? 'one field needs' : `${fieldIssues.length} fields need`}{' '}
            attention. {kept}
          </p>
          <ul>
            {fieldIssues.map((issue) => {
              const target = Object.keys(ids).find((name) => belongsTo(issue, name));
              const text = issue.detail ?? issue.message;
              return (
                <li key={`${issue.field}:${text}`}>
                  {target ? (
                    <a
                      href={`#${ids[target]}`}
                      onClick={(event) => {
                        event.preventDefault();
                        document.getElementById(ids[target])?.focus();
                      }}
                    >
                      {text}
                    </a>
                  ) : (
                    text
                  )}
                </li>
              );
            })}
          </ul>
        </>
      ) : (
        <p>
          {isApiError(error, 'network')
            ? `Not ${verb}: the server could not be reached.`
            : `Not ${verb}: ${(error as Error | null)?.message}`}{' '}
          {kept}
        </p>
      )}
    </div>
  );
}
