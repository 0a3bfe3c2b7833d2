/**
 * The one place the web client talks HTTP to the API: adds the bearer token, turns problem+json
 * answers (RFC 9457) into ApiError values the screens can switch on (`kind`: 'edit-conflict',
 * 'not-found', 'validation', ...), and reports a rejected token so the app can ask to sign in again.
 */
export interface FieldIssue {
  /** Where: `json.title`, `json.tags.2`. */
  field: string;
  /** The terse reason. */
  message: string;
  /** The same in a sentence for a person, when the API gives one. */
  detail?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The problem type's last path segment, e.g. 'edit-conflict'; 'network' when nothing answered. */
    readonly kind: string,
    readonly title: string,
    detail: string,
    readonly errors: FieldIssue[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** The sentence for a form field: `tags` matches `tags`, `body.tags` and `body.tags.0`. */
  fieldMessage(field: string): string | undefined {
    const issue = this.errors.find((candidate) => {
      const name = candidate.field.replace(/^(body|json|query|param)\./, '');
      return name === field || name.startsWith(`${field}.`);
    });
    return issue && (issue.detail ?? issue.message);
  }
}

export const isApiError = (error: unknown, kind?: string): error is ApiError =>
  error instanceof ApiError && (kind === undefined || error.kind === kind);

interface ClientSettings {
  baseUrl: string;
  token: () => string | undefined;
  onUnauthorized: () => void;
  /** The live notifications endpoint (config.json), if any. */
  live?: { realtimeUrl: string; httpHost?: string };
}

let settings: ClientSettings = { baseUrl: '/api', token: () => undefined, onUnauthorized: () => {} };

export function configureApi(next: ClientSettings): void {
  settings = next;
}

/** Where to open the live socket, and the current token (read at each connect: it is renewed). */
export function liveSettings(): { live: ClientSettings['live']; token: string | undefined } {
  return { live: settings.live, token: settings.token() };
}

export async function api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const token = settings.token();
  let response: Response;
  try {
    response = await fetch(`${settings.baseUrl}${path}`, {
      method,
      signal,
      headers: {
        accept: 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(
      0,
      'network',
      'No connection',
      'The server could not be reached. Check your connection and try again.',
    );
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (response.ok) return parseJson(text) as T;
  return Promise.reject(failure(response.status, response.statusText, text));
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** A refused answer as an ApiError (problem+json when the server sent one); a 401 asks to sign in again. */
function failure(status: number, statusText: string, text: string): ApiError {
  if (status === 401) settings.onUnauthorized();
  const problem = (parseJson(text) ?? {}) as Record<string, unknown>;
  const { type, title, detail, errors, status: _status, instance: _instance, ...extra } = problem;
  const kind =
    typeof type === 'string'
      ? (type.split('/').pop() ?? 'http-error')
      : status === 404
        ? 'not-found'
        : 'http-error';
  return new ApiError(
    status,
    kind,
    typeof title === 'string' ? title : statusText || 'Request failed',
    typeof detail === 'string' ? detail : `The server answered ${status}.`,
    Array.isArray(errors) ? (errors as FieldIssue[]) : [],
    extra,
  );
}

const unreachable = () =>
  new ApiError(
    0,
    'network',
    'No connection',
    'The server could not be reached. Check your connection and try again.',
  );

/** A GET whose answer is a file, not JSON (e.g. the bookmark export), as text. */
export async function getText(path: string, signal?: AbortSignal): Promise<string> {
  const token = settings.token();
  let response: Response;
  try {
    response = await fetch(`${settings.baseUrl}${path}`, {
      signal,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw unreachable();
  }
  const text = await response.text();
  if (!response.ok) throw failure(response.status, response.statusText, text);
  return text;
}

/**
 * POSTs a body with XMLHttpRequest, which (unlike fetch) reports upload progress: `onProgress` gets
 * the share sent, 0 to 1, and 1 once the whole body is on its way while the server works on it.
 */
export function upload<T>(
  path: string,
  body: Blob | string,
  contentType: string,
  onProgress: (share: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${settings.baseUrl}${path}`);
    const token = settings.token();
    if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
    request.setRequestHeader('content-type', contentType);
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.upload.onload = () => onProgress(1);
    request.onerror = () => reject(unreachable());
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) resolve(parseJson(request.responseText) as T);
      else reject(failure(request.status, request.statusText, request.responseText));
    };
    request.send(body);
  });
}

export const get = <T>(path: string, signal?: AbortSignal) => api<T>('GET', path, undefined, signal);

/** Builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const enc = encodeURIComponent;
